#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden outputs: cordon's files for the sample scenarios, a sweep, a
comparison and an optimization, recorded once and compared on every test run.

    golden.py --cordon BIN --work DIR [--shared DIR] [--update]

Every case runs a cordon command into DIR and compares what it wrote with
tests/golden/expected/CASE/:
  *.csv, *.md   byte for byte (over 400 kB: FILE.sha256, their hash)
  *.json        equal once parsed (numbers as numbers: 29 == 29.0), leaving
                out what depends on the machine (runtime_s, build_s, threads)
  *.gpkg        `ogrinfo -ro -al` text equal, timestamps left out, stored as
                FILE.ogrinfo.txt (large dumps: FILE.ogrinfo.sha256, their hash)

A change that is meant to change outputs re-approves them explicitly:
`golden.py ... --update` rewrites expected/ and `git diff` shows what moved.
Cases that need ../shared/data/real are skipped when it is absent.
Exit 0 when every file matches, 1 on a difference (each is named), 2 on a
usage error.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(ROOT, "data", "samples")
EXPECTED = os.path.join(HERE, "expected")
MACHINE_KEYS = {"runtime_s", "build_s", "threads"}
# Outputs (CSV, ogrinfo dumps) larger than this are kept as a hash, not as text.
MAX_DUMP = 400_000


def run(args, cwd=None):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("golden: command failed (%d): %s\n%s" %
                 (result.returncode, " ".join(args), result.stderr[-2000:]))
    return result.stdout


def write_sweep(work):
    """A 2x2 grid on a stochastic copy of the network sample, 3 runs per point."""
    with open(os.path.join(SAMPLES, "network.yaml")) as f:
        text = f.read()
    # The tables travel with it, so that no checkout path enters the file (or its hash).
    shutil.copytree(os.path.join(SAMPLES, "network"), os.path.join(work, "network"),
                    dirs_exist_ok=True)
    text = text.replace("days: 120, dt: 0.25, mode: deterministic, runs: 1",
                        "days: 60, dt: 0.25, mode: stochastic, runs: 3")
    base = os.path.join(work, "network-stochastic.yaml")
    with open(base, "w") as f:
        f.write(text)
    path = os.path.join(work, "grid.yaml")
    with open(path, "w") as f:
        f.write("base: %s\nruns: 3\nvary:\n  disease.r0: [2, 3]\n"
                "  policies[0].coverage: [0.3, 0.9]\n" % base)
    return path


def cases(cordon, work, shared):
    """(name, command, output folder) for every golden case, in order."""
    net = os.path.join(SAMPLES, "network.yaml")
    demo = os.path.join(SAMPLES, "demo.yaml")
    county = os.path.join(work, "demo-county.gpkg")
    out = lambda name: os.path.join(work, name)  # noqa: E731
    # daily.csv (full precision, byte for byte) here; the default daily.nc below.
    yield ("network", [cordon, "run", net, "--out", out("network"), "-q",
                       "--set", "simulation.daily=csv"])
    yield ("network-stochastic", [cordon, "run", net, "--out", out("network-stochastic"), "-q",
                                  "--set", "simulation.mode=stochastic",
                                  "--set", "simulation.runs=4", "--set", "simulation.days=60"])
    # The demo county is generated exactly as scripts/dev.sh demo does.
    run([cordon, "generate", "--villages", "50", "--seed", "1", "--out", county, "-q"])
    os.makedirs(out("generate"), exist_ok=True)
    shutil.copy(county, os.path.join(out("generate"), "demo-county.gpkg"))
    yield ("generate", None)
    demo_copy = os.path.join(work, "demo.yaml")
    shutil.copy(demo, demo_copy)  # beside the generated county, as in data/samples
    yield ("demo", [cordon, "run", demo_copy, "--out", out("demo"), "-q"])
    yield ("sweep", [cordon, "sweep", write_sweep(work), "--out", out("sweep"), "-q"])
    yield ("compare", [cordon, "compare", net, net, "--out", out("compare"), "-q",
                       "--set", "simulation.days=60", "--village", "V001"])
    yield ("optimize", [cordon, "optimize", demo_copy, "--set", "checkpoints=[]",
                        "--sites", "cordon:village", "--budget", "2", "--runs", "3",
                        "--out", out("optimize"), "-q"])
    real = os.path.join(shared, "data", "real", "china")
    if os.path.isdir(real):
        derived = os.path.join(work, "deqin-derived.gpkg")
        run([cordon, "derive", "--county", "533422", "--out", derived, "-q",
             "--counties", os.path.join(real, "diqing_533400_counties_wgs84.geojson"),
             "--units", os.path.join(real, "diqing_533400_units.csv")])
        deqin = os.path.join(work, "deqin.yaml")
        shutil.copy(os.path.join(SAMPLES, "deqin.yaml"), deqin)
        yield ("deqin", [cordon, "run", deqin, "--out", out("deqin"), "-q"])
    else:
        print("golden: %s absent, skipping the Deqin case" % real)


def strip_machine(value):
    if isinstance(value, dict):
        return {k: strip_machine(v) for k, v in value.items() if k not in MACHINE_KEYS}
    if isinstance(value, list):
        return [strip_machine(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 29 and 29.0 are the same number
    return value


def netcdf_dump(path):
    """A netCDF file as text: dimensions, attributes, variables with their values (floats
    to 9 digits, what a float32 holds)."""
    import netCDF4
    import numpy
    lines = []
    with netCDF4.Dataset(path) as nc:
        for name, dim in nc.dimensions.items():
            lines.append("dimension %s = %d" % (name, len(dim)))
        for key in nc.ncattrs():
            lines.append(":%s = %s" % (key, nc.getncattr(key)))
        for name, var in nc.variables.items():
            lines.append("variable %s%s %s" % (name, var.dimensions, var.dtype))
            for key in var.ncattrs():
                lines.append("  %s:%s = %s" % (name, key, var.getncattr(key)))
            var.set_auto_mask(False)
            var.set_auto_chartostring(False)
            values = numpy.asarray(var[:])
            if values.dtype.kind in "fc":
                lines.extend("  " + " ".join("%.9g" % v for v in row)
                             for row in numpy.atleast_2d(values))
            elif values.dtype.kind == "S":
                lines.append("  " + " ".join(b"".join(row).rstrip(b"\0").decode("utf-8")
                                             for row in values))
            else:
                lines.append("  " + " ".join(str(v) for v in values.ravel()))
    return "\n".join(lines) + "\n"


def ogrinfo(path):
    text = run(["ogrinfo", "-ro", "-al", path])
    text = text.replace(os.path.dirname(path), "DIR")
    # GeoPackages carry their write time in gpkg_contents.
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "TIMESTAMP", text)


def large_as_hash(rel, text):
    """{rel: text}, or {rel without .txt + .sha256: its hash} when text is over MAX_DUMP:
    large outputs are compared byte for byte through their hash, not kept in git."""
    if len(text) <= MAX_DUMP:
        return {rel: text}
    base = rel[:-len(".txt")] if rel.endswith(".txt") else rel
    return {base + ".sha256": hashlib.sha256(text.encode()).hexdigest() + "\n"}


def snapshot(folder, work):
    """{relative name: comparable text} of every output file in `folder`,
    with the work folder's path written as WORK."""
    files = {}
    for base, _, names in os.walk(folder):
        for name in sorted(names):
            path = os.path.join(base, name)
            rel = os.path.relpath(path, folder)
            if name.endswith((".csv", ".md")):
                with open(path, encoding="utf-8") as f:
                    text = f.read().replace(work, "WORK")
                files.update(large_as_hash(rel, text))
            elif name.endswith(".json"):
                with open(path, encoding="utf-8") as f:
                    parsed = strip_machine(json.load(f))
                files[rel + ".parsed"] = json.dumps(parsed, indent=1, sort_keys=True) + "\n"
            elif name.endswith(".gpkg"):
                files.update(large_as_hash(rel + ".ogrinfo.txt", ogrinfo(path)))
            elif name.endswith(".nc"):
                files.update(large_as_hash(rel + ".dump.txt", netcdf_dump(path)))
    return {rel: text.replace(work, "WORK") for rel, text in files.items()}


def expected(case):
    folder = os.path.join(EXPECTED, case)
    files = {}
    for base, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            with open(path, encoding="utf-8") as f:
                files[os.path.relpath(path, folder)] = f.read()
    return files


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--cordon", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    p.add_argument("--update", action="store_true", help="rewrite expected/ from this run")
    a = p.parse_args()
    if not os.access(a.cordon, os.X_OK):
        print("golden: %s is not executable" % a.cordon, file=sys.stderr)
        return 2
    a.work = os.path.abspath(a.work)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    failures = compared = 0
    for name, command in cases(os.path.abspath(a.cordon), a.work, a.shared):
        if command:
            run(command)
        got = snapshot(os.path.join(a.work, name), os.path.abspath(a.work))
        if a.update:
            folder = os.path.join(EXPECTED, name)
            shutil.rmtree(folder, ignore_errors=True)
            for rel, text in got.items():
                os.makedirs(os.path.dirname(os.path.join(folder, rel)), exist_ok=True)
                with open(os.path.join(folder, rel), "w", encoding="utf-8") as f:
                    f.write(text)
            print("golden: %s: recorded %d files" % (name, len(got)))
            continue
        want = expected(name)
        for rel in sorted(set(got) | set(want)):
            compared += 1
            if rel not in want:
                failures += 1
                print("golden: %s/%s: new output, not in expected/" % (name, rel))
            elif rel not in got:
                failures += 1
                print("golden: %s/%s: missing" % (name, rel))
            elif got[rel] != want[rel]:
                failures += 1
                g, w = got[rel].splitlines(), want[rel].splitlines()
                line = next((i for i in range(min(len(g), len(w))) if g[i] != w[i]),
                            min(len(g), len(w)))
                print("golden: %s/%s differs at line %d:\n  expected: %s\n  got:      %s" %
                      (name, rel, line + 1, w[line][:200] if line < len(w) else "<end>",
                       g[line][:200] if line < len(g) else "<end>"))
    if a.update:
        return 0
    print("golden: %d files compared, %d differ" % (compared, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
