#!/usr/bin/python3
"""Checks that the parameter table of docs/timing-model.md is what `oobsim timing` prints: the same keys in the same
order, each with its default and meaning, so that every timing parameter is documented as the code has it.

Usage: check_timing_table.py OOBSIM DOC.md
"""

import re
import subprocess
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    oobsim, doc = sys.argv[1:]
    out = subprocess.run([oobsim, "timing"], stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines()
    if not out or out[0].split()[:3] != ["key", "default", "meaning"]:
        sys.exit(f"check_timing_table: unexpected `oobsim timing` header: {out[:1]}")
    code = []
    for line in out[1:]:
        m = re.match(r"^(\S+)\s+(\S+)\s+(.*\S)\s*$", line)
        if not m:
            sys.exit(f"check_timing_table: cannot read `oobsim timing` line: {line!r}")
        code.append(m.groups())
    documented = []
    with open(doc, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\|\s*`([a-z_]+)`\s*\|\s*([^|]+?)\s*\|\s*(.+?)\s*\|\s*$", line)
            if m:
                documented.append(m.groups())
    problems = []
    code_keys = [k for k, _, _ in code]
    doc_keys = [k for k, _, _ in documented]
    for key in code_keys:
        if key not in doc_keys:
            problems.append(f"{key}: printed by `oobsim timing`, missing from {doc}")
    for key in doc_keys:
        if key not in code_keys:
            problems.append(f"{key}: in {doc}, not a parameter of `oobsim timing`")
    if not problems and code_keys != doc_keys:
        problems.append(f"the order differs: oobsim timing has {code_keys}, {doc} has {doc_keys}")
    docs_by_key = {k: (d, m) for k, d, m in documented}
    for key, default, meaning in code:
        if key in docs_by_key and docs_by_key[key] != (default, meaning):
            problems.append(f"{key}: {doc} says default {docs_by_key[key][0]!r}, {docs_by_key[key][1]!r}; "
                            f"oobsim timing says {default!r}, {meaning!r}")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"{len(code)} timing parameters documented with their defaults and meanings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
