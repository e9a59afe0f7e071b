#!/usr/bin/python3
"""Prints one CPU's track of an `oobsim run --perfetto` file as text: what ui.perfetto.dev draws, slice by slice.

    python3 docs/tutorials/examples/perfetto_slices.py out/replay.json --cpu 0 --from 50300 --to 53000

One line per event in the window [FROM, TO] (cycles), in time order: the cycle, then the slice's name indented by its
nesting depth (`[` a slice begins, `]` it ends, `*` an instant event). Standard library only.
"""

import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trace", help="a file written by oobsim run --perfetto")
    parser.add_argument("--cpu", type=int, default=0)
    parser.add_argument("--from", dest="start", type=int, default=0, help="first cycle shown")
    parser.add_argument("--to", dest="end", type=int, default=None, help="last cycle shown")
    args = parser.parse_args()
    try:
        with open(args.trace) as f:
            trace = json.load(f)
        cycle_ps = trace["otherData"]["cycle_ps"]
        events = trace["traceEvents"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"perfetto_slices: {args.trace}: not an oobsim Perfetto trace ({e})")
    depth = 0
    names = []
    for e in events:
        if e.get("tid") != args.cpu or e.get("ph") not in ("B", "E", "i"):
            continue
        # Timestamps are microseconds, exact to the picosecond: back to the cycle.
        cycle = round(e["ts"] * 1e6 / cycle_ps)
        shown = cycle >= args.start and (args.end is None or cycle <= args.end)
        if e["ph"] == "B":
            if shown:
                print(f"{cycle:>8}  {'  ' * depth}[ {e['name']}")
            names.append(e["name"])
            depth += 1
        elif e["ph"] == "E":
            depth = max(depth - 1, 0)
            name = names.pop() if names else "?"
            if shown:
                print(f"{cycle:>8}  {'  ' * depth}] {name}")
        elif shown:
            print(f"{cycle:>8}  {'  ' * depth}* {e['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
