#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Li et al. (Science 2020) reproduced over five seeds: runs
# data/samples/li2020-calibrate.yaml with --seed 1..5 and prints the paper's
# estimates beside the median over seeds of cordon's posterior means (and the
# per-seed values). About 30 s a seed on 2 cores.
#   tests/reference/li2020_calibration_seeds.sh [build/apps/cordon] [out folder]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cordon="${1:-$root/build/apps/cordon}"
out="${2:-$root/out/li2020-seeds}"
for seed in 1 2 3 4 5; do
  start=$(date +%s%N)
  "$cordon" calibrate "$root/data/samples/li2020-calibrate.yaml" --out "$out/seed$seed" \
    --seed "$seed" -q
  echo "seed $seed: $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
python3 - "$out" <<'PY'
import csv, statistics, sys
out = sys.argv[1]
paper = {"disease.alpha": ("0.14", 0.10, 0.18), "disease.mu": ("0.55", 0.46, 0.62),
         "Re": ("2.38", 2.04, 2.77), "disease.beta": ("1.12", None, None),
         "disease.Z": ("3.69", None, None), "disease.D": ("3.47", None, None),
         "disease.theta": ("1.36", None, None)}
means = {k: [] for k in paper}
for seed in range(1, 6):
    for row in csv.DictReader(open(f"{out}/seed{seed}/posterior.csv")):
        if row["parameter"] in means:
            means[row["parameter"]].append(float(row["mean"]))
print("| parameter | paper | cordon (median of 5 seeds) | inside the paper's 95% CI | seeds 1-5 |")
print("|---|---|---|---|---|")
ok = True
for k, (estimate, lo, hi) in paper.items():
    m = statistics.median(means[k])
    inside = "" if lo is None else ("yes" if lo <= m <= hi else "NO")
    ok &= inside != "NO"
    print(f"| {k} | {estimate}" + (f" ({lo:.2f}-{hi:.2f})" if lo else "") +
          f" | {m:.3f} | {inside} | {' '.join(f'{v:.3f}' for v in means[k])} |")
sys.exit(0 if ok else 1)
PY
