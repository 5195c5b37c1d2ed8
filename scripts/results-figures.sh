#!/usr/bin/env bash
# Copies the figures docs/results.md shows from the full presets' output dirs (out/reproduce/<name>/plots,
# written by `bin/bitsgd reproduce <name>`) into docs/img/, byte for byte, so the doc's figures are exactly
# what those commands produce. --check only compares (exit 1 when a figure differs or is missing);
# --from DIR reads the presets' dirs from DIR instead of out/reproduce (e.g. a rerun with --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
from=out/reproduce
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1; shift ;;
    --from) from="$2"; shift 2 ;;
    *) echo "usage: $0 [--check] [--from DIR]" >&2; exit 2 ;;
  esac
done
status=0
while read -r src dst; do
  [ -z "$src" ] && continue
  s="$from/$src"
  d="docs/img/$dst"
  if [ ! -s "$s" ]; then echo "missing $s (run: bin/bitsgd reproduce ${src%%/*})"; status=1; continue; fi
  if [ "$check" -eq 1 ]; then
    cmp -s "$s" "$d" || { echo "differs: $d vs $s"; status=1; }
  else
    cp "$s" "$d" && echo "$d <- $s ($(stat -c %s "$d") bytes)"
  fi
done <<'LIST'
finding1/plots/scaling-t_c-vs-n.png results-finding1-t_c-vs-n.png
finding1-grid/plots/finding1-grid-best-lr.png results-finding1-grid.png
scaling-relu100/plots/scaling-t_c-vs-n.png results-scaling-relu100.png
scaling-panels/plots/scaling-panels.png results-scaling-panels.png
width/plots/scaling-t_c-vs-width.png results-width.png
noisy/plots/noisy-t_c-vs-noise.png results-noisy-t_c.png
noisy/plots/curves-eval_accuracy.png results-noisy-curves.png
grokking/plots/grokking-wd=0.01.png results-grokking-wd0.01.png
grokking/plots/grokking-wd=0.0.png results-grokking-wd0.png
leap/plots/leap-samples-vs-d.png results-leap.png
leap/plots/curves-eval_mse-target=x1+x1x2x3x4.png results-leap3-mse.png
staircase/plots/staircase-seed0-curve.png results-staircase-mse.png
staircase/plots/staircase-seed0-coef.png results-staircase-coefficients.png
staircase/plots/chi-seed0-coef.png results-chi10-coefficients.png
staircase-variants/plots/biased-seed0-coef.png results-staircase-biased-coefficients.png
staircase-variants/plots/gaussian-seed0-coef.png results-staircase-gaussian-coefficients.png
staircase-variants/plots/double-seed0-curve.png results-staircase-double-mse.png
hidden-progress/plots/sine-seed0-rho.png results-hidden-progress-sine.png
hidden-progress/plots/mlp-seed0-rho.png results-hidden-progress-mlp.png
hidden-progress/plots/gap-n15-seed0-gap.png results-hidden-progress-gap.png
transformer/plots/scaling-t_c-vs-n.png results-transformer.png
LIST
exit "$status"
