#!/usr/bin/env bash
# Regenerates the PyTorch golden traces that GoldenTraceTest checks bitsgd against.
# Needs Debian's python3-torch (apt-get install python3-torch); CI needs no PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
out=harness/src/test/resources/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
trace() { # name, bitsgd trace options...
  local name=$1; shift
  bin/bitsgd trace --wd 0.01 --steps 300 "$@" --kernels scalar --out "$tmp/$name"
  /usr/bin/python3 scripts/torch_replay.py "$tmp/$name/trace.json" --golden "$tmp/golden-$name.json"
}
for loss in hinge square logistic; do
  trace "torch-$loss-n20-h32-b32" --n 20 --k 3 --width 32 --batch 32 --loss "$loss" --seed 5
done
trace torch-hinge-n70-h100-b33 --n 70 --k 3 --width 100 --batch 33 --loss hinge --seed 11
trace torch-momentum-square-n20-h32-b32 --n 20 --k 3 --width 32 --batch 32 --loss square --seed 5 --lr 0.02 --optimizer momentum
trace torch-nesterov-hinge-n20-h32-b32 --n 20 --k 3 --width 32 --batch 32 --loss hinge --seed 5 --optimizer nesterov --momentum 0.5
trace torch-adam-square-n20-h32-b32 --n 20 --k 3 --width 32 --batch 32 --loss square --seed 5 --lr 0.001 --optimizer adam
trace torch-adamw-logistic-n20-h32-b32 --n 20 --k 3 --width 32 --batch 32 --loss logistic --seed 5 --lr 0.001 --optimizer adamw --beta2 0.99
trace torch-adam-hinge-n70-h100-b33 --n 70 --k 3 --width 100 --batch 33 --loss hinge --seed 11 --lr 0.001 --optimizer adam --eps 1e-6
# copied at the end: writing under harness/src earlier would make the launcher rebuild the jar per trace
for f in "$tmp"/golden-*.json; do cp "$f" "$out/${f##*/golden-}"; done
