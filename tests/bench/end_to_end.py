#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`cordon run` end to end against the numpy reference on a large county (issue 11).

    tests/bench/end_to_end.py [--build build] [--villages 100000] [--work DIR]

Writes the case (end_to_end_case.py: ~8 OD pairs per village, 1,000
checkpoints on ~1% of the pairs, imports, policies, beds, 60 days), then times
in one run, wall clock and peak memory (GNU time): `cordon run` on 1 and 2
threads (reading the CSVs, building, running, writing every output, daily.nc included;
and on 2 threads without daily values) and
tests/reference/reference_model.py (vectorized numpy, the same model) on the
same scenario. Checks that both agree on series.csv (compare_with_reference's
tolerance) and prints one markdown table. Ratios, not seconds, carry between
machines.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import end_to_end_case  # noqa: E402
import compare_with_reference as cmp  # noqa: E402


def Timed(cmd):
    """(seconds, peak MiB) of a command, measured by GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", out.name] + cmd, check=True,
                       stdout=subprocess.DEVNULL)
        seconds, kib = out.read().split()[-2:]
    return float(seconds), float(kib) / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    ap.add_argument("--villages", type=int, default=100000)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "cordon-end-to-end"))
    args = ap.parse_args()
    cordon = os.path.join(args.build, "apps", "cordon")
    case = os.path.join(args.work, "case-%d" % args.villages)
    scenario = end_to_end_case.MakeCase(case, args.villages)
    runs = {}
    for threads in (1, 2):
        out = os.path.join(args.work, "cordon-%d" % threads)
        runs[threads] = Timed([cordon, "run", scenario, "--out", out, "-q",
                               "--threads", str(threads)])
    # The same run without daily values: what writing daily.nc costs.
    bare = Timed([cordon, "run", scenario, "--out", os.path.join(args.work, "cordon-bare"),
                  "-q", "--threads", "2", "--set", "simulation.daily=false"])
    daily_mb = os.path.getsize(os.path.join(args.work, "cordon-2", "daily.nc")) / 1e6
    ref = os.path.join(args.work, "reference")
    numpy = Timed([sys.executable, os.path.join(HERE, "..", "reference", "reference_model.py"),
                   scenario, "--out", ref])

    rep = cmp.Report()
    cmp.compare_series(os.path.join(args.work, "cordon-1"), ref, rep)
    agree = "agree to %g" % cmp.REL if not rep.errors else "DIFFER: " + rep.errors[0]

    print("%d villages, 60 days, RK4 dt 0.25; series.csv of cordon and numpy %s"
          % (args.villages, agree))
    print()
    print("| | seconds | peak MiB | speed-up over numpy |")
    print("|---|---|---|---|")
    for threads in (1, 2):
        s, mib = runs[threads]
        print("| cordon run, %d thread%s | %.2f | %.0f | %.1fx |"
              % (threads, "s" if threads > 1 else "", s, mib, numpy[0] / s))
    print("| cordon run, 2 threads, no daily values | %.2f | %.0f | %.1fx |"
          % (bare[0], bare[1], numpy[0] / bare[0]))
    print("| numpy reference | %.2f | %.0f | 1.0x |" % numpy)
    print()
    print("daily.nc: %.0f MB, written in %.2f s beside the run (2 threads, with - without)"
          % (daily_mb, runs[2][0] - bare[0]))
    return 0 if not rep.errors else 1


if __name__ == "__main__":
    sys.exit(main())
