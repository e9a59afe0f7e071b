#!/usr/bin/env python3
"""Check the xcall events of an oobsim event log (--events) against the rules of pipeline/xcall.c and against what
the firmware printed.

Usage: check_xcall_events.py EVENTS CONSOLE

For every call issued (xcall_issue, value = the ticket's trace value, bit 31 = high priority), in the log:
  - the next event of the issuing CPU from the xcall list is its xcall_targets (ipl << 8 | cpumask);
  - each target CPU then runs the function once: one xcall_func_start, then one xcall_func_end, with that value,
    none before the issue;
  - a xcall_wait_return with that value comes after the last xcall_func_end.
Cold-boot calls (ticket 0) run on the calling CPU at once: start and end follow the issue on that CPU.
The console's "XCALL-ORDER <value> <cpu>..." lines give the completion order the firmware measured (from its own
counter); the order of the xcall_func_end events must be the same.
"""
import re
import sys

XCALL = ("xcall_issue", "xcall_targets", "xcall_func_start", "xcall_func_end", "xcall_wait_return")


def fail(msg):
    print("check_xcall_events: FAIL:", msg)
    sys.exit(1)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    events = []
    with open(sys.argv[1]) as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) < 3 or parts[2] not in XCALL:
                continue
            kv = dict(p.split("=", 1) for p in parts[3:] if "=" in p)
            events.append((int(parts[0]), int(parts[1]), parts[2], int(kv.get("value", "0"), 0)))
    orders = {}
    with open(sys.argv[2]) as f:
        for line in f:
            m = re.match(r"XCALL-ORDER (0x[0-9a-f]+|\d+)((?: \d+)+)\s*$", line)
            if m:
                orders[int(m.group(1), 0)] = [int(c) for c in m.group(2).split()]
    if not events:
        fail("no xcall event in the log")

    calls = {}  # value -> state of the call being checked (tickets are unique but for 0)
    checked = 0
    for i, (cycle, cpu, name, value) in enumerate(events):
        if name == "xcall_issue":
            if value in calls and value != 0 and not calls[value]["done"]:
                fail(f"ticket {value:#x} issued again at {cycle} before its call completed")
            nxt = next((e for e in events[i + 1:] if e[1] == cpu), None)
            if not nxt or nxt[2] != "xcall_targets":
                fail(f"issue of {value:#x} at {cycle}: no xcall_targets after it on cpu {cpu}")
            mask = nxt[3] & 0xff
            targets = [c for c in range(8) if mask >> c & 1]
            if value == 0:
                targets = [cpu]  # cold boot: synchronous, on the calling CPU
            calls[value] = {"issued": cycle, "cpu": cpu, "targets": set(targets), "started": {}, "ended": [],
                            "done": False, "last_end": None}
            checked += 1
        elif name in ("xcall_func_start", "xcall_func_end"):
            call = calls.get(value)
            if call is None:
                fail(f"{name} of {value:#x} on cpu {cpu} at {cycle} with no issue before it")
            if cpu not in call["targets"]:
                fail(f"{name} of {value:#x} on cpu {cpu}, not a target ({sorted(call['targets'])})")
            if name == "xcall_func_start":
                if cpu in call["started"]:
                    fail(f"{value:#x} started twice on cpu {cpu}")
                call["started"][cpu] = cycle
            else:
                if cpu not in call["started"] or cpu in call["ended"]:
                    fail(f"{value:#x}: end on cpu {cpu} at {cycle} without its start, or twice")
                call["ended"].append(cpu)
                if set(call["ended"]) == call["targets"]:
                    call["done"] = True
                    call["last_end"] = cycle
        elif name == "xcall_wait_return":
            call = calls.get(value & 0xffffffff)
            if call is not None and value != 0 and not call["done"]:
                fail(f"xc_wait({value:#x}) returned at {cycle} on cpu {cpu} before the call completed "
                     f"(ended on {call['ended']} of {sorted(call['targets'])})")
    for value, call in calls.items():
        if not call["done"]:
            fail(f"call {value:#x} issued at {call['issued']} never completed: ended on {call['ended']} of "
                 f"{sorted(call['targets'])}")
    for value, order in orders.items():
        call = calls.get(value)
        if call is None:
            fail(f"the console reports an order for {value:#x}, which the trace never issued")
        if call["ended"] != order:
            fail(f"{value:#x}: the trace's completion order {call['ended']} is not the firmware's {order}")
    print(f"check_xcall_events: {checked} calls, every one complete and consistent; completion order of "
          f"{len(orders)} checked against the firmware: " +
          ", ".join(f"{v:#x}: {' '.join(map(str, o))}" for v, o in orders.items()))


if __name__ == "__main__":
    main()
