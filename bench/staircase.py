#!/usr/bin/env python3
"""The staircase main run timed side by side: bitsgd against PyTorch autograd (bench/peers/staircase_torch.py).

One seed of the `staircase` preset's main run (docs/protocols.md §B: ReLU ResNet L=5, W=40, n=30, S_10, square loss,
B=20 cycled over 60k samples, lr 0.01 halved every 15k steps, 100k steps, a check every 1000 steps on 30k held-out
samples) as `bitsgd train` with the preset's flags, and the same protocol in PyTorch, one thread each. The two
alternate for --rounds rounds in one sitting, so a drifting machine hits both alike. Two clocks per side:

  run      the trainer's own clock: the training loop with its checks, JIT warm-up included, data generation not
           (bitsgd's train_seconds, the peer's "seconds")
  process  the whole process from launch to exit (JVM start / Python and torch import included)

The table gives median [min-max] seconds over rounds and the ratio torch/bitsgd per round (paired), median [min-max].

  python3 bench/staircase.py                 # 3 rounds
  python3 bench/staircase.py --rounds 5 --max-steps 20000
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
ap.add_argument("--rounds", type=int, default=3, help="alternated rounds (default 3)")
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--max-steps", type=int, default=100_000, help="shorten both runs (default: the preset's 100000)")
ap.add_argument("--skip-torch", action="store_true", help="time bitsgd only (no ratio)")
ap.add_argument("--python", default="/usr/bin/python3", help="interpreter with torch (default: Debian's)")
ap.add_argument("--json", metavar="FILE", help="also write every measurement as JSON lines")
a = ap.parse_args()

# the preset's main run (harness/.../reproduce/Scripts.java, staircase, not quick), target S_10
BITSGD_FLAGS = ["--n", "30", "--arch", "resnet", "--depth", "5", "--width", "40", "--loss", "square", "--lr", "0.01",
                "--batch", "20", "--train-size", "60000", "--schedule", "halve:15000", "--max-steps", str(a.max_steps),
                "--eval-every", "1000", "--eval-samples", "30000", "--track-prefixes", "10", "--no-stop-on-solve",
                "--target", "staircase:10", "--seed", str(a.seed)]
TORCH_FLAGS = ["--n", "30", "--d", "10", "--target", "staircase", "--depth", "5", "--width", "40", "--lr", "0.01",
               "--halve-every", "15000", "--batch", "20", "--train-size", "60000", "--max-steps", str(a.max_steps),
               "--eval-every", "1000", "--eval-samples", "30000", "--seed", str(a.seed)]

TORCH_ENV = peer_env("openmp")  # before any timing: no OpenBLAS, no run


def timed(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    return p.stdout, wall


def bitsgd():
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "run")
        _, wall = timed([os.path.join(ROOT, "bin", "bitsgd"), "train", *BITSGD_FLAGS, "--out", out])
        with open(os.path.join(out, "result.json")) as f:
            r = json.load(f)
    return {"run": r["train_seconds"], "process": wall, "eval": r["eval_seconds"], "final_mse": r["final_eval_mse"],
            "kernels": r["kernel_name"]}


def torch():
    stdout, wall = timed([a.python, os.path.join(PEERS, "staircase_torch.py"), *TORCH_FLAGS], TORCH_ENV)
    lines = [json.loads(line) for line in stdout.strip().splitlines()]
    return {"run": lines[-1]["seconds"], "process": wall, "final_mse": lines[-2]["eval_mse"]}


def fmt(xs):
    return f"{statistics.median(xs):.2f} [{min(xs):.2f}-{max(xs):.2f}]"


def ratio(xs):
    return f"{statistics.median(xs):.1f}x [{min(xs):.1f}-{max(xs):.1f}]"


# one untimed bitsgd launch first: the launcher (re)builds the jar and its start-up cache when they are stale
subprocess.run([os.path.join(ROOT, "bin", "bitsgd"), "--version"], capture_output=True)
log = open(a.json, "w") if a.json else None
rows = []
for r in range(a.rounds):
    row = {"round": r, "bitsgd": bitsgd()}
    if not a.skip_torch:
        row["torch"] = torch()
    rows.append(row)
    if log:
        log.write(json.dumps(row) + "\n")
        log.flush()
    print(f"round {r + 1} of {a.rounds}: " + ", ".join(f"{side} {row[side]['run']:.2f} s" for side in ("bitsgd", "torch") if side in row),
          file=sys.stderr, flush=True)

b = [row["bitsgd"] for row in rows]
print(f"# staircase main run, {a.max_steps} steps, seed {a.seed}: seconds, median [min-max] of {a.rounds} alternated rounds; "
      f"{cpu_name()}, {os.cpu_count()} cores; bitsgd {b[0]['kernels']}\n")
print("| clock | bitsgd | PyTorch autograd | PyTorch / bitsgd (paired) |")
print("|---|---|---|---|")
for clock in ("run", "process"):
    bs = [x[clock] for x in b]
    if a.skip_torch:
        print(f"| {clock} | {fmt(bs)} | | |")
        continue
    ts = [row["torch"][clock] for row in rows]
    print(f"| {clock} | {fmt(bs)} | {fmt(ts)} | {ratio([t / x for t, x in zip(ts, bs)])} |")
print(f"\nbitsgd checks (inside run): {fmt([x['eval'] for x in b])} s; final eval MSE bitsgd "
      f"{statistics.median(x['final_mse'] for x in b):.4f}" +
      ("" if a.skip_torch else f", PyTorch {statistics.median(row['torch']['final_mse'] for row in rows):.4f}"))
