#!/usr/bin/env python3
"""Training throughput side by side: bitsgd's kernels against its NumPy and PyTorch reference trainers.

Steps/s of what training does per step (draw a fresh batch, label it, one SGD step), one thread each, for the
same (n,k,h,B) shapes. A round is one `bitsgd profile` process (scalar and vector kernels, throughput only) and
then one process per peer and shape (`--throughput S`); rounds repeat, so a drifting machine hits every side alike.
The table gives medians with [min-max] over rounds and the ratio of bitsgd's vector median to the best peer's.
Run it on an otherwise idle machine: both sides are wall-clock measurements on a shared core.

  sh bench/peers/setup.sh                  # once, as root: NumPy, PyTorch, OpenBLAS
  python3 bench/throughput.py              # the four standard shapes, 3 rounds
  python3 bench/throughput.py --rounds 5 --shapes 50,3,1000,32

The peers run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (some machines set them to an older core, which
makes OpenBLAS pick slow kernels), one BLAS thread; PyTorch with its hand-written backward (--impl manual).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from peerenv import PEERS, ROOT, cpu_name, peer_env

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--rounds", type=int, default=3, help="alternated rounds (default 3)")
ap.add_argument("--shapes", nargs="+", default=["20,3,100,32", "50,3,1000,32", "50,3,1000,256", "100,2,1000,32"],
                help="n,k,width,batch per shape")
ap.add_argument("--seconds", type=float, default=2.0, help="timed seconds per peer process (default 2)")
ap.add_argument("--python", default="/usr/bin/python3", help="interpreter with numpy and torch (default: Debian's)")
ap.add_argument("--json", metavar="FILE", help="also write every measurement as JSON lines")
a = ap.parse_args()


def output(cmd, env=None):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return json.loads(p.stdout.strip().splitlines()[-1])


PEER_CMDS = {"numpy": ("numpy_sgd.py", [], "pthread"), "torch": ("torch_sgd.py", ["--impl", "manual"], "openmp")}
PEER_ENVS = {name: peer_env(blas) for name, (_, _, blas) in PEER_CMDS.items()}  # before any timing: no OpenBLAS, no run


def bitsgd_round(shapes):
    """One profile process: {shape: {"scalar": steps/s, "vector": steps/s}}, and the vector kernels' name."""
    with tempfile.TemporaryDirectory() as d:
        out = output([os.path.join(ROOT, "bin", "bitsgd"), "profile", "--shapes", " ".join(shapes), "--solve-shapes", "none",
                      "--rounds", "3", "--round-seconds", "0.5", "--json", "--out", d])
    res, vector_name = {}, None
    for row in out["throughput"]:
        shape = f"{row['n']},{row['k']},{row['width']},{row['batch']}"
        vector = next(key for key in row if key.startswith("vector"))
        vector_name = vector
        res[shape] = {"scalar": row["scalar"]["steps_per_second_median"], "vector": row[vector]["steps_per_second_median"]}
    return res, vector_name


def peer(name, shape):
    script, extra, _ = PEER_CMDS[name]
    n, k, h, b = shape.split(",")
    out = output([a.python, os.path.join(PEERS, script), "--n", n, "--k", k, "--width", h, "--batch", b, *extra,
                  "--throughput", str(a.seconds), "--json"], PEER_ENVS[name])
    return out["steps_per_second"]


def fmt(xs):
    return f"{statistics.median(xs):,.0f} [{min(xs):,.0f}-{max(xs):,.0f}]"


log = open(a.json, "w") if a.json else None
sides = ["vector", "scalar", "numpy", "torch"]
got = {shape: {side: [] for side in sides} for shape in a.shapes}
vector_name = "vector"
for r in range(a.rounds):
    res, vector_name = bitsgd_round(a.shapes)
    for shape in a.shapes:
        for side in ("vector", "scalar"):
            got[shape][side].append(res[shape][side])
        for name in PEER_CMDS:
            got[shape][name].append(peer(name, shape))
        if log:
            log.write(json.dumps(dict(round=r, shape=shape, **{s: got[shape][s][-1] for s in sides})) + "\n")
    print(f"round {r + 1} of {a.rounds} done", file=sys.stderr, flush=True)

print(f"# steps/s, one thread, median [min-max] of {a.rounds} alternated rounds; {cpu_name()}, {os.cpu_count()} cores\n")
print(f"| (n,k,h,B) | bitsgd {vector_name} | bitsgd scalar | NumPy | PyTorch (manual) | bitsgd / best peer (paired) |")
print("|---|---|---|---|---|---|")
for shape in a.shapes:
    g = got[shape]
    # per round: the vector kernels over the faster peer of that round, so drift between rounds cancels
    pairs = [v / max(nu, to) for v, nu, to in zip(g["vector"], g["numpy"], g["torch"])]
    print(f"| ({shape}) | {fmt(g['vector'])} | {fmt(g['scalar'])} | {fmt(g['numpy'])} | {fmt(g['torch'])} | "
          f"{statistics.median(pairs):.1f}x [{min(pairs):.1f}-{max(pairs):.1f}] |")
