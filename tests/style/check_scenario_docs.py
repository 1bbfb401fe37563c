#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""docs/scenario.md lists every key the scenario parser accepts.

    check_scenario_docs.py --root REPO

Reads the key lists of the parser's CheckKeys calls (engine/scenario/src/
scenario_parser.cpp) and the policy types it knows, and fails (exit 1) naming
each that docs/scenario.md does not show in backquotes.
"""

import argparse
import os
import re
import sys


def ParserKeys(source):
    """Every string literal inside the braces of a CheckKeys(..., {...}) call, and the
    policy types compared with `type ==`."""
    keys = set()
    for call in re.finditer(r"CheckKeys\((.*?)\);", source, re.S):
        braces = re.search(r"\{([^{}]*)\}\s*$", call.group(1), re.S)
        if braces:
            keys.update(re.findall(r'"([A-Za-z_]+)"', braces.group(1)))
    keys.update(re.findall(r'type == "([a-z_]+)"', source))
    return keys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    with open(os.path.join(args.root, "engine/scenario/src/scenario_parser.cpp")) as fh:
        keys = ParserKeys(fh.read())
    with open(os.path.join(args.root, "docs/scenario.md")) as fh:
        doc = fh.read()
    doc = re.sub(r"```.*?```", "", doc, flags=re.S)  # examples are not the documentation
    documented = set(re.findall(r"`([^`]+)`", doc))
    # A key is documented when some backquoted text names it as a key: `key`, `x.key`,
    # `key: ...` or `.key`.
    words = set()
    for text in documented:
        words.update(re.findall(r"[A-Za-z_]+", text))
    missing = sorted(k for k in keys if k not in words)
    if missing:
        print("docs/scenario.md does not document these keys the parser accepts: " +
              ", ".join(missing))
        return 1
    print("docs/scenario.md: %d parser keys documented" % len(keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
