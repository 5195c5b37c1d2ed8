"""Where the peers live and how they run, for the scripts in bench/ that time them against bitsgd."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "bench", "peers")
LIB = "/usr/lib/x86_64-linux-gnu"


def peer_env(blas):
    """One BLAS thread on OpenBLAS' `blas` build ("pthread" for NumPy, "openmp" for PyTorch), with OPENBLAS_CORETYPE
    and OPENBLAS_L2_SIZE unset: some machines set them to an older core, and OpenBLAS then picks slow kernels."""
    env = dict(os.environ)
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(k, None)
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", LD_LIBRARY_PATH=f"{LIB}/openblas-{blas}")
    return env
