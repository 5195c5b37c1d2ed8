"""Where the peers live and how they run, for the scripts in bench/ that time them against bitsgd."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "bench", "peers")
LIB = "/usr/lib/x86_64-linux-gnu"


def peer_env(blas):
    """One BLAS thread on OpenBLAS' `blas` build ("pthread" for NumPy, "openmp" for PyTorch), with OPENBLAS_CORETYPE
    and OPENBLAS_L2_SIZE unset: some machines set them to an older core, and OpenBLAS then picks slow kernels."""
    lib = f"{LIB}/openblas-{blas}"
    if not os.path.isdir(lib):
        # without it NumPy and PyTorch fall back to the reference BLAS, ~15x slower, and every ratio is void
        print(f"bench: OpenBLAS' {blas} build is not installed ({lib} is missing); run `sh bench/peers/setup.sh` as root first",
              file=sys.stderr)
        sys.exit(2)
    env = dict(os.environ)
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(k, None)
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", LD_LIBRARY_PATH=lib)
    return env


def cpu_name():
    """The CPU as /proc/cpuinfo names it, with its family and model: a cloud VM may say only "AMD EPYC", and the same
    VM type lands on different cores from day to day (family 25 model 17 is Zen 4, family 26 is Zen 5), which moves
    every number in a table."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, sep, value = line.partition(":")
                if sep and key.strip() in ("model name", "cpu family", "model") and key.strip() not in fields:
                    fields[key.strip()] = value.strip()
                if not line.strip() and fields:
                    break
    except OSError:
        pass
    if "model name" not in fields:
        return "unknown CPU"
    return f"{fields['model name']} (family {fields.get('cpu family', '?')}, model {fields.get('model', '?')})"
