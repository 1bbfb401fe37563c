#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""cordon.run against `cordon run` on the generated 1e5-village network case, in one run
(issue 26: the package within 1.05x of the CLI with the same outputs requested).

    PYTHONPATH=build/python /usr/bin/python3 tests/bench/python_vs_cli.py \
        [--cordon build/apps/cordon] [--villages 100000] [--repeat 3] [--daily]

Writes the case with end_to_end_case.py, then alternates the CLI and cordon.run (each
`--repeat` times, threads 2), both writing the same files (series, villages, checkpoints,
summary, and daily.nc with --daily) into a fresh folder; cordon.run's time includes
reading series.csv, villages.csv and checkpoints.csv back into DataFrames. With --daily
a third timing: cordon.run without a folder, its daily values held in memory (Result.daily,
no daily file), as a researcher in a notebook runs it. Prints the median seconds of each
and their ratios, and checks the series are equal to the bit.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cordon", default=os.path.join(ROOT, "build", "apps", "cordon"))
    ap.add_argument("--villages", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--daily", action="store_true", help="also write daily.nc (both)")
    args = ap.parse_args()
    import cordon
    import pandas as pd

    work = tempfile.mkdtemp(prefix="cordon_python_bench_")
    subprocess.run([sys.executable, os.path.join(HERE, "end_to_end_case.py"), work,
                    "--villages", str(args.villages)], check=True)
    scenario = os.path.join(work, "scenario.yaml")
    daily = "true" if args.daily else "false"
    cli_s, py_s, mem_s = [], [], []
    for k in range(args.repeat):
        out = os.path.join(work, "cli%d" % k)
        start = time.perf_counter()
        subprocess.run([args.cordon, "run", scenario, "--out", out, "--threads", "2", "-q",
                        "--set", "simulation.daily=" + daily], check=True)
        cli_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        r = cordon.run(scenario, threads=2, daily=args.daily, out=os.path.join(work, "py%d" % k))
        py_s.append(time.perf_counter() - start)
        if args.daily:
            del r
            start = time.perf_counter()
            r = cordon.run(scenario, threads=2, daily=True)
            mem_s.append(time.perf_counter() - start)
    expected = pd.read_csv(os.path.join(work, "cli0", "series.csv"), float_precision="round_trip")
    pd.testing.assert_frame_equal(r.series, expected, check_exact=True)
    cli, py = statistics.median(cli_s), statistics.median(py_s)
    print("| %d villages, daily %s | seconds (median of %d) |" % (args.villages, daily, args.repeat))
    print("|---|---|")
    print("| cordon run (CLI) | %.2f |" % cli)
    print("| cordon.run (Python) | %.2f |" % py)
    print("| Python / CLI | %.3fx |" % (py / cli))
    if mem_s:
        mem = statistics.median(mem_s)
        print("| cordon.run, daily values in memory (no daily.nc) | %.2f |" % mem)
        print("| in memory / CLI with daily.nc | %.3fx |" % (mem / cli))
    print("series equal to the bit: yes")


if __name__ == "__main__":
    main()
