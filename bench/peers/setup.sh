#!/bin/sh
# Installs what the reference trainers need (Debian bookworm, as root): NumPy, PyTorch (CPU) and both OpenBLAS
# builds. cold-start.py picks the BLAS per peer with LD_LIBRARY_PATH: NumPy on the pthread build, PyTorch on the
# OpenMP one (with the pthread build PyTorch's and OpenBLAS' thread pools fight over the cores).
set -e
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y python3-numpy python3-torch libopenblas0-pthread libopenblas0-openmp
