#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rooms one can see at a glance: no C++ file outside tests/ over 600 lines,
no function over 120 lines (clang-tidy's readability-function-size, which
counts the lines of a function's body).

    check_sizes.py --root REPO --build BUILD_DIR_WITH_compile_commands.json [--jobs 2]

Exit 0 when every file and function fits, 1 naming each one that does not,
2 on a usage error (no compile_commands.json, no clang-tidy).
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 120
CODE_DIRS = ("sim", "data", "engine", "render", "apps")


def sources(root):
    for top in CODE_DIRS:
        for base, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if name.endswith((".cpp", ".hpp", ".h")):
                    yield os.path.join(base, name)


def tidy(clang_tidy, build, path):
    config = ("{Checks: '-*,readability-function-size', CheckOptions: "
              "[{key: readability-function-size.LineThreshold, value: %d}]}" % MAX_FUNCTION_LINES)
    result = subprocess.run([clang_tidy, "-p", build, "--quiet", "--config=" + config, path],
                            capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if "warning:" in line]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--root", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--jobs", type=int, default=2)
    a = p.parse_args()
    clang_tidy = shutil.which("clang-tidy") or shutil.which("clang-tidy-14")
    database = os.path.join(a.build, "compile_commands.json")
    if not clang_tidy or not os.path.exists(database):
        print("check_sizes: needs clang-tidy and %s" % database, file=sys.stderr)
        return 2
    problems = []
    files = list(sources(a.root))
    for path in files:
        with open(path, encoding="utf-8") as f:
            lines = sum(1 for _ in f)
        if lines > MAX_FILE_LINES:
            problems.append("%s: %d lines (at most %d)" % (path, lines, MAX_FILE_LINES))
    with open(database) as f:
        compiled = {os.path.realpath(entry["file"]) for entry in json.load(f)}
    units = [f for f in files if f.endswith(".cpp") and os.path.realpath(f) in compiled]
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for warnings in pool.map(lambda f: tidy(clang_tidy, a.build, f), units):
            problems.extend(warnings)
    for problem in sorted(set(problems)):
        print(problem)
    print("check_sizes: %d files, %d translation units checked, %d over the limits" %
          (len(files), len(units), len(set(problems))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
