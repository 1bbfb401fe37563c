#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Executes the example notebooks (docs/examples/*.ipynb) with the built package and checks
# that each wrote its figures.   run_notebooks.sh PYTHON ROOT OUT
set -euo pipefail
python="$1" root="$2" out="$3"
rm -rf "$out" && mkdir -p "$out/figures"
for nb in "$root"/docs/examples/*.ipynb; do
  (cd "$out" && CORDON_ROOT="$root" CORDON_FIGURES="$out/figures" \
    "$python" -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
    --output-dir "$out" "$nb" >/dev/null 2>"$out/nbconvert.log") ||
    { tail -30 "$out/nbconvert.log"; echo "$nb: FAILED"; exit 1; }
done
for figure in sweep_attack_rate.png calibration_fit.png; do
  [ -s "$out/figures/$figure" ] || { echo "no figure $figure"; exit 1; }
done
echo "notebooks: ok ($(ls "$out/figures" | wc -l) figures)"
