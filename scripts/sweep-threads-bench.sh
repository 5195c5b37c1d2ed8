#!/usr/bin/env bash
# runs/s of one sweep at 1 vs 2 (or more) threads, alternating, R rounds; prints the `sweep` and
# `cpu` lines (how many cores the run threads actually got: on a shared machine that is the limit).
# Usage: scripts/sweep-threads-bench.sh [ROUNDS] [THREADS...]   (default: 2 rounds of 1 and 2 threads)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
rounds=${1:-2}; shift || true
threads=("$@"); [ ${#threads[@]} -gt 0 ] || threads=(1 2)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cat >"$W/bench.json" <<'JSON'
{"name": "threads-bench",
 "fixed": {"width": 100, "batch": 64, "lr": 1, "loss": "hinge", "eval_every": 1, "eval_samples": 8192},
 "grid": {"k": [3, 4], "n": [10, 15, 20, 25]},
 "seeds": 8,
 "budget": 100000}
JSON
for r in $(seq "$rounds"); do
  for t in "${threads[@]}"; do
    rm -rf "$W/out"
    echo "round $r, $t threads, $(uptime | sed 's/.*load/load/')"
    "$ROOT/bin/bitsgd" sweep "$W/bench.json" --out "$W/out" --threads "$t" --progress none 2>/dev/null | grep -E '^(sweep|cpu)'
  done
done
