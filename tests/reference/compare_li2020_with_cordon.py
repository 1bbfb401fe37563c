#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""cordon's bundled li2020 model against the independent numpy implementation
of the README's equations (li2020_reference.py), city by city and day by day
on the 375-city data: every S, E, Ir, Iu, N and `reported` within 1e-9
relative (denominator max(|reference|, 1e-3 persons)).

    compare_li2020_with_cordon.py --cordon build/apps/cordon --repo . --shared ../shared \
        --work /tmp/li2020

Exit 77 (ctest: skipped) when ../shared/data/real/li2020 is absent.
"""

import argparse
import csv
import os
import subprocess
import sys

TOLERANCE = 1e-9
COLUMNS = ["S", "E", "Ir", "Iu", "N", "reported"]


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {(r["day"], r["id"]): r for r in csv.DictReader(f)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cordon", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    data = os.path.join(a.shared, "data", "real", "li2020")
    if not os.path.isfile(os.path.join(data, "mobility.csv")):
        print(f"skipped: {data} is absent")
        return 77
    os.makedirs(a.work, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    reference_csv = os.path.join(a.work, "reference.csv")
    subprocess.run([sys.executable, os.path.join(here, "li2020_reference.py"), "--data", data,
                    "--out", reference_csv], check=True)
    out = os.path.join(a.work, "cordon")
    subprocess.run([a.cordon, "run", os.path.join(a.repo, "data", "samples", "li2020.yaml"),
                    "--out", out, "--quiet", "--set", "simulation.daily=csv"], check=True)
    reference = read(reference_csv)
    mine = read(os.path.join(out, "daily.csv"))
    if set(reference) != set(mine):
        print(f"FAIL: rows differ: {len(reference)} reference, {len(mine)} cordon")
        return 1
    worst, where = 0.0, None
    for key, ref in reference.items():
        for c in COLUMNS:
            b, v = float(ref[c]), float(mine[key][c])
            rel = abs(v - b) / max(abs(b), 1e-3)
            if rel > worst:
                worst, where = rel, (key, c, v, b)
    print(f"largest relative difference {worst:.3g} at {where}")
    national = {}
    for (day, _), r in mine.items():
        national[int(day)] = national.get(int(day), 0.0) + float(r["reported"])
    print("national reported:", " ".join(f"{national[d]:.0f}" for d in sorted(national) if d > 0))
    if worst > TOLERANCE:
        print(f"FAIL: above {TOLERANCE}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
