#!/usr/bin/env python3
"""Cold single runs, whole process, side by side: bitsgd against its NumPy and PyTorch reference trainers.

Every run is a fresh process timed from start to exit (launcher, JVM or interpreter start, imports, training to
the solve, output). All sides use the same protocol: weight decay 0.01, a fixed held-out set of 10,000 samples,
solved when its error is below 1%, checked every 100 steps. The commands alternate (A B C A B C ...) so a drifting
machine hits them alike; the table gives medians with [min-max] and the paired ratio bitsgd / peer.

  sh bench/peers/setup.sh                     # once, as root: NumPy, PyTorch, OpenBLAS
  python3 bench/cold-start.py                 # the two standard cells, 7 rounds
  python3 bench/cold-start.py --rounds 9 --cells 20,3,100,32 --scalar
  python3 bench/cold-start.py --sweep         # also: a sweep's first runs against its later ones

The peers run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (some machines set them to an older core, which
makes OpenBLAS pick slow kernels), one BLAS thread.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from peerenv import PEERS, ROOT, cpu_name, peer_env

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--rounds", type=int, default=7, help="timed runs of each command (default 7)")
ap.add_argument("--cells", nargs="+", default=["20,3,100,32", "50,3,1000,32"], help="n,k,width,batch per cell")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--python", default="/usr/bin/python3", help="interpreter with numpy and torch (default: Debian's)")
ap.add_argument("--scalar", action="store_true", help="also bitsgd --kernels scalar")
ap.add_argument("--no-torch", action="store_true")
ap.add_argument("--no-numpy", action="store_true")
ap.add_argument("--sweep", action="store_true", help="also measure a sweep's warm-up: its first runs against the rest")
ap.add_argument("--json", metavar="FILE", help="also write every run as JSON lines")
a = ap.parse_args()


def commands(n, k, h, b):
    protocol = ["--n", str(n), "--k", str(k), "--width", str(h), "--batch", str(b), "--lr", "0.1", "--wd", "0.01",
                "--seed", str(a.seed), "--eval-every", "100", "--eval-samples", "10000"]
    # error < 1% on 10,000 samples: at most 99 wrong, i.e. accuracy >= 0.9901
    cmds = {"bitsgd": ([os.path.join(ROOT, "bin", "bitsgd"), "train", *protocol, "--target-accuracy", "0.9901", "--json"], None)}
    if a.scalar:
        cmds["bitsgd scalar"] = (cmds["bitsgd"][0] + ["--kernels", "scalar"], None)
    if not a.no_numpy:
        cmds["numpy"] = ([a.python, os.path.join(PEERS, "numpy_sgd.py"), *protocol, "--json"], peer_env("pthread"))
    if not a.no_torch:
        cmds["torch"] = ([a.python, os.path.join(PEERS, "torch_sgd.py"), *protocol, "--impl", "manual", "--json"], peer_env("openmp"))
    return cmds


def run(cmd, env):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    out = json.loads(p.stdout.strip().splitlines()[-1])
    solve = out.get("solve_seconds", out.get("seconds"))
    steps = out.get("t_c", out.get("steps"))
    return dict(wall=wall, solve=solve, steps=steps, solved=out.get("solved"), twin_steps=out.get("twin_steps"))


def fmt(xs, unit="s", digits=2):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    return f"{statistics.median(xs):.{digits}f} {unit} [{min(xs):.{digits}f}-{max(xs):.{digits}f}]"


java = subprocess.run([os.path.join(ROOT, "bin", "bitsgd"), "--print-java"], capture_output=True, text=True).stdout.strip()
jdk = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0] if java else "?"
print(f"# cold single runs, whole process; {cpu_name()}, {os.cpu_count()} cores; {jdk}; {a.rounds} alternated rounds")
log = open(a.json, "w") if a.json else None
for cell in a.cells:
    n, k, h, b = (int(v) for v in cell.split(","))
    cmds = commands(n, k, h, b)
    for name, (cmd, env) in cmds.items():   # untimed: builds the jar and its start-up cache, fills the page cache
        run(cmd, env)
    res = {name: [] for name in cmds}
    for r in range(a.rounds):
        for name, (cmd, env) in cmds.items():
            m = run(cmd, env)
            res[name].append(m)
            if log:
                log.write(json.dumps(dict(cell=cell, impl=name, round=r, **m)) + "\n")
    print(f"\n## (n,k,h,B) = ({n},{k},{h},{b}), seed {a.seed}\n")
    print("| command | process wall | solve (training + checks) | steps | bitsgd / this (paired) |")
    print("|---|---|---|---|---|")
    for name, ms in res.items():
        ratio = "-"
        if name != "bitsgd":
            pairs = [x["wall"] / y["wall"] for x, y in zip(res["bitsgd"], ms)]
            ratio = f"{statistics.median(pairs):.2f}x [{min(pairs):.2f}-{max(pairs):.2f}]"
        steps = sorted({m["steps"] for m in ms})
        print(f"| {name} | {fmt([m['wall'] for m in ms])} | {fmt([m['solve'] for m in ms], digits=3)} | "
              f"{', '.join(map(str, steps))} | {ratio} |")
    twin = [m["twin_steps"] for m in res["bitsgd"] if m["twin_steps"] is not None]
    if twin:
        print(f"\nbitsgd steps on the twin kernels (before the Vector API code took over): {sorted(set(twin))}")

if a.sweep:
    # one process, 2 threads, runs of (20|21,3,100,32): the whole sweep's wall against its steady state (the runs
    # count times the median wall of a run on the compiled Vector API code, per thread), for two sizes, today's
    # policy against the Vector API code from the first run (-Dbitsgd.handover=off, how sweeps ran before)
    print("\n## sweeps: warm-up overhead per process (2 threads, runs of (20|21,3,100,32), 3 alternated rounds)\n")
    print("| runs | policy | sweep wall | steady state (runs x median compiled run / threads) | overhead |")
    print("|---|---|---|---|---|")
    for seeds in (20, 150):
        spec = dict(name="warmup", seeds=seeds, fixed=dict(k=3, width=100, batch=32, lr=0.1, wd=0.01, eval_every=100,
                                                          eval_samples=10000, target_accuracy=0.9901), grid=dict(n=[20, 21]))
        walls, steady = {"twin first": [], "vector from the start": []}, []
        for r in range(3):
            for policy, opts in (("twin first", ""), ("vector from the start", "-Dbitsgd.handover=off")):
                with tempfile.TemporaryDirectory() as d:
                    path = os.path.join(d, "spec.json")
                    with open(path, "w") as f:
                        json.dump(spec, f)
                    env = dict(os.environ, BITSGD_JAVA_OPTS=opts)
                    t0 = time.perf_counter()
                    p = subprocess.run([os.path.join(ROOT, "bin", "bitsgd"), "sweep", path, "--out", os.path.join(d, "out"),
                                        "--progress", "none", "--threads", "2"], capture_output=True, text=True, env=env)
                    walls[policy].append(time.perf_counter() - t0)
                    if p.returncode != 0:
                        sys.exit(f"sweep failed: {p.stderr}")
                    runs_dir = os.path.join(d, "out", "runs")
                    recs = [json.load(open(os.path.join(runs_dir, f))) for f in os.listdir(runs_dir) if f.endswith(".json")]
                    recs.sort(key=lambda rec: rec["process_run"])
                    compiled = [rec["wall_seconds"] for rec in recs[len(recs) // 2:] if rec.get("twin_steps") == 0]
                    if policy == "vector from the start" and compiled:
                        steady.append(len(recs) * statistics.median(compiled) / 2)
        ideal = statistics.median(steady)
        for policy, ws in walls.items():
            print(f"| {2 * seeds} | {policy} | {fmt(ws)} | {ideal:.2f} s | {statistics.median(ws) - ideal:.2f} s |")
