"""The ``oobsim`` command (``python3 -m oobsim``): run, check, regress and compare scenarios.

Exit codes (also in ``--help`` and docs/python.md):
    0   success: the run ended normally, every budget held
    1   a budget was breached, or a budgeted metric had no samples
    2   usage error (bad command line)
    3   scenario error: an invalid scenario, scenario file or budget file (nothing ran), or an output file
        (--json, --junit, traces) that cannot be written
    4   simulation error: the simulator refused the run or it did not reach the scenario's end
    130 interrupted (Ctrl-C)
``oobsim run FILE.elf ...`` is the simulator's own command and keeps its exit codes (``oobsim --help`` of
build/oobsim: the firmware's code, 100..108 for the simulator's errors).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import sys
import time

from . import budget as budgets_mod
from . import paths, scenario_file
from .errors import ScenarioError, SimulationError
from .progress import ProgressBar
from .result import Result
from .runner import sweep

EXIT_OK = 0
EXIT_BUDGET = 1
EXIT_USAGE = 2
EXIT_SCENARIO = 3
EXIT_SIMULATION = 4
EXIT_INTERRUPTED = 130

EPILOG = """\
exit codes:
  0    success: the run ended normally and every budget held
  1    a budget was breached, or a budgeted metric had no samples
  2    usage error
  3    scenario error: invalid scenario, scenario file or budget file (nothing ran), or an output file that
       cannot be written
  4    simulation error: the simulator refused the run, or it did not reach the scenario's end
  130  interrupted
  `oobsim run FILE.elf ...` runs the simulator itself (build/oobsim run) and exits with its codes: the firmware's
  exit code, 100..108 for the simulator's own errors (build/oobsim --help).

A scenario file is a Python file with a docstring defining `scenario(seed=1)` returning an oobsim.Scenario; its budget
is the .toml file of the same name next to it. docs/python.md has the details.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors exit 2 too; say where to look
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"oobsim: usage error: {message} (see oobsim --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="oobsim", description="Run interrupt-pipeline scenarios on the oobsim simulator.",
                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    r = sub.add_parser("run", help="run a scenario file (or an ELF, with the simulator's own options)",
                       description="Run SCENARIO.py and print the guest's output, the report with the metrics table "
                                   "and the scenario counters. `oobsim run FILE.elf [options]` runs a program with "
                                   "the simulator's own options (build/oobsim --help).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("scenario", metavar="SCENARIO.py")
    _run_options(r)
    r.add_argument("--json", metavar="F", help="write the whole Result as JSON")
    r.add_argument("--metrics", metavar="F", help="write the metrics JSON (docs/metrics.md)")
    r.add_argument("--classic", action="store_true", help="run on the classic kernel instead of the pipelined one")

    c = sub.add_parser("check", help="run a scenario and check its budget",
                       description="Run SCENARIO.py and check every budget of its TOML file: prints each with the "
                                   "measured value and the margin; exits 1 if any is breached.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("scenario", metavar="SCENARIO.py")
    c.add_argument("--budget", metavar="BUDGET.toml", help="default: the .toml next to the scenario")
    c.add_argument("--junit", metavar="F", help="write JUnit XML (one testcase per budget)")
    c.add_argument("--seed", type=int, help="the scenario seed (default: the budget file's, else the scenario's)")
    c.add_argument("--json", metavar="F", help="write the whole Result as JSON")

    g = sub.add_parser("regress", help="check every scenario of a directory against its budget, in parallel",
                       description="Run every scenario file of DIR (files starting with _ are skipped) with its "
                                   "budget; a scenario without a budget file passes when it runs to its end.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    g.add_argument("directory", metavar="DIR")
    g.add_argument("--junit", metavar="F", help="write JUnit XML (a testsuite per scenario)")
    g.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="runs at a time (default: the number of CPUs)")
    g.add_argument("-v", "--verbose", action="store_true", help="print every budget, not only the failing ones")

    k = sub.add_parser("compare", help="run a scenario pipelined and classic, side by side",
                       description="Run SCENARIO.py on the pipelined and on the classic kernel and print the "
                                   "metrics side by side with the classic/pipelined ratio.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    k.add_argument("scenario", metavar="SCENARIO.py")
    k.add_argument("--seed", type=int, help="the scenario seed (default: the scenario's)")
    k.add_argument("--json", metavar="F", help="write both Results as JSON: {\"pipelined\": ..., \"classic\": ...}")
    return p


def _run_options(p):
    p.add_argument("--vcd", metavar="F", help="write a VCD waveform")
    p.add_argument("--perfetto", metavar="F", help="write a Perfetto timeline (ui.perfetto.dev)")
    p.add_argument("--events", metavar="F", help="write the event log")
    p.add_argument("--seed", type=int, help="the scenario seed (default: the scenario's)")


# ---- helpers --------------------------------------------------------------------------------------------------------

def _err(message: str) -> None:
    print(f"oobsim: {message}", file=sys.stderr)


def _write_output(option: str, path, write) -> None:
    """Calls write(path); a file that cannot be written is the user's to fix, said as such (exit 3)."""
    try:
        write(path)
    except OSError as e:
        raise ScenarioError(f"{option} {path}: cannot write it: {e.strerror or e}") from None


def _write_json(path, text: str) -> None:
    def write(p):
        os.makedirs(os.path.dirname(os.path.abspath(p)), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
    _write_output("--json", path, write)


def _write_junit(path, suites) -> None:
    _write_output("--junit", path, lambda p: budgets_mod.write_junit(p, suites))
    print(f"junit: {os.path.abspath(path)}")


def _sim_message(e: SimulationError) -> str:
    return f"simulation error: {e.message} (exit code {e.code})"


def _sim_error(e: SimulationError) -> int:
    _err(_sim_message(e))
    lines = [l for l in (e.console or "").splitlines() if l.strip()]
    if lines:
        print("last guest output:\n  " + "\n  ".join(lines[-10:]), file=sys.stderr)
    return EXIT_SIMULATION


def _describe(sc, path=None) -> str:
    plat = sc.platform
    kernel = "pipelined" if plat.pipeline else "classic"
    where = f" ({path})" if path else ""
    return (f"{sc.name}{where}: seed {sc.seed}, {plat.cpus} CPUs, {kernel}, {sc.duration} cycles at "
            f"{plat.clock_hz / 1e6:g} MHz")


# ---- run ------------------------------------------------------------------------------------------------------------

def _exec_elf(args) -> int:
    binary = paths.simulator_binary()
    if not os.path.exists(binary):
        _err(f"simulation error: the simulator {binary} is not built (cmake --build {paths.build_dir()})")
        return EXIT_SIMULATION
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(binary, [binary, "run", *args])
    return EXIT_SIMULATION  # not reached


def cmd_run(a) -> int:
    sc = scenario_file.load(a.scenario, seed=a.seed)
    if a.classic:
        sc = sc.replace(pipeline=False)
    print(f"oobsim: {_describe(sc, a.scenario)}", file=sys.stderr)
    res = sc.run(vcd=a.vcd, perfetto=a.perfetto, events=a.events, metrics=a.metrics, progress=True)
    sys.stdout.write(res.console)
    if res.console and not res.console.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.write(res.report)
    for kind in ("vcd", "perfetto", "events", "metrics_path"):
        if getattr(res, kind):
            print(f"{kind.replace('_path', '')}: {getattr(res, kind)}")
    if a.json:
        _write_json(a.json, res.to_json())
        print(f"json: {os.path.abspath(a.json)}")
    return EXIT_OK


# ---- check ----------------------------------------------------------------------------------------------------------

def _prepare(path, budget_path, seed):
    """The budgets (none without a budget file) and the scenario, made with the seed: the one given, else the budget
    file's, else the scenario's default. Raises ScenarioError before anything runs."""
    budgets, settings = budgets_mod.load(budget_path) if budget_path else ([], {})
    return budgets, scenario_file.load(path, seed=seed if seed is not None else settings.get("seed"))


def _check_one(sc, budgets, progress=None):
    """({kernel: Result} or None, outcomes, error message or None, exit code, seconds)."""
    started = time.monotonic()
    try:
        results, outcomes = budgets_mod.run_and_check(sc, budgets, progress)
    except SimulationError as e:
        return None, [], _sim_message(e), EXIT_SIMULATION, time.monotonic() - started
    except ScenarioError as e:  # e.g. an output path, or a budget on a kernel the run cannot give
        return None, [], f"scenario error: {e}", EXIT_SCENARIO, time.monotonic() - started
    code = EXIT_OK if all(o.passed for o in outcomes) else EXIT_BUDGET
    return results, outcomes, None, code, time.monotonic() - started


def cmd_check(a) -> int:
    budget_path = a.budget or scenario_file.budget_path(a.scenario)
    budgets, sc = _prepare(a.scenario, budget_path, a.seed)
    print(f"check {_describe(sc, a.scenario)}")
    print(f"budget: {budget_path}")
    results, outcomes, error, code, seconds = _check_one(sc, budgets, progress=True)
    properties = {"seed": sc.seed, "scenario": os.path.abspath(a.scenario), "budget": os.path.abspath(budget_path)}
    if error:
        _err(error)
    else:
        for kernel, res in results.items():
            label = kernel or ("pipelined" if res.pipeline else "classic")
            print(f"{label} run: ended at cycle {res.end_cycle}, {res.wall_seconds:.2f} s")
        sys.stdout.write(budgets_mod.format_outcomes(outcomes))
        failed = [o for o in outcomes if not o.passed]
        print(f"budgets: {len(outcomes) - len(failed)} passed, {len(failed)} failed"
              + (f" ({', '.join(str(o.budget) for o in failed)})" if failed else ""))
        if a.json:
            _write_json(a.json, results[""].to_json())
    if a.junit:
        _write_junit(a.junit, [budgets_mod.SuiteReport(sc.name, outcomes, seconds, error, properties)])
    return code


# ---- regress --------------------------------------------------------------------------------------------------------

def cmd_regress(a) -> int:
    if a.jobs < 1:
        raise ScenarioError(f"-j {a.jobs}: at least 1 run at a time")
    files = scenario_file.find(a.directory)
    if not files:
        raise ScenarioError(f"{a.directory}: no scenario files (*.py)")
    started = time.monotonic()
    reports, codes, lines = {}, {}, {}
    done = 0
    bar = ProgressBar(len(files), "regress", unit="scenarios")

    def task(path):
        bpath = scenario_file.budget_path(path)
        try:
            budgets, sc = _prepare(path, bpath if os.path.exists(bpath) else None, None)
        except ScenarioError as e:
            return None, ([], f"scenario error: {e}", EXIT_SCENARIO, 0.0)
        _, outcomes, error, code, seconds = _check_one(sc, budgets)
        return sc, (outcomes, error, code, seconds)

    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = {pool.submit(task, f): f for f in files}
        for fut in concurrent.futures.as_completed(futures):
            path = futures[fut]
            sc, (outcomes, error, code, seconds) = fut.result()
            name = sc.name if sc else os.path.splitext(os.path.basename(path))[0]
            codes[path] = code
            reports[path] = budgets_mod.SuiteReport(
                name, outcomes, seconds, error,
                {"scenario": os.path.abspath(path), **({"seed": sc.seed} if sc else {})})
            failed = [o for o in outcomes if not o.passed]
            verdict = {EXIT_OK: "PASS", EXIT_BUDGET: "FAIL", EXIT_SCENARIO: "ERROR", EXIT_SIMULATION: "ERROR"}[code]
            text = [f"{verdict:5} {name:<28} {len(outcomes) - len(failed)}/{len(outcomes)} budgets  "
                    f"{seconds:5.2f} s  ({os.path.relpath(path)})"]
            if error:
                text.append(f"      {error}")
            shown = outcomes if a.verbose else failed
            if shown:
                text += ["      " + l for l in budgets_mod.format_outcomes(shown).splitlines()]
            lines[path] = "\n".join(text)
            done += 1
            bar.update(done)
    bar.close()
    for path in files:  # in file name order, not in the order the runs ended
        print(lines[path])
    n_fail = sum(1 for c in codes.values() if c != EXIT_OK)
    print(f"regress: {len(files) - n_fail} of {len(files)} scenarios passed in {time.monotonic() - started:.2f} s")
    if a.junit:
        _write_junit(a.junit, [reports[p] for p in files])
    return max(codes.values())


# ---- compare --------------------------------------------------------------------------------------------------------

def _merged_stats(metrics, names):
    """count, min, p50, p99, max of the union of several metrics' samples, from their histograms (nearest rank,
    as docs/metrics.md: exact below 2048 cycles, a bucket's lower bound above, clamped to [min, max])."""
    parts = [metrics[n] for n in names if n in metrics and metrics[n].count]
    count = sum(m.count for m in parts)
    if not count:
        return {"count": 0}
    lo, hi = min(m.min for m in parts), max(m.max for m in parts)
    buckets = {}
    for m in parts:
        for value, n in m.histogram:
            buckets[value] = buckets.get(value, 0) + n
    ordered = sorted(buckets.items())

    def pct(permille):
        rank = max(1, -(-permille * count // 1000))
        seen = 0
        for value, n in ordered:
            seen += n
            if seen >= rank:
                return min(max(value, lo), hi)
        return hi
    return {"count": count, "min": lo, "p50": pct(500), "p99": pct(990), "max": hi}


COMPARE_STATS = ("count", "p50", "p99", "max")


def compare_table(pipelined: Result, classic: Result) -> str:
    """The metrics that matter, pipelined and classic side by side with the ratio classic / pipelined."""
    rows = []

    def add(label, stat, p, c):
        ratio = ""
        if stat in ("p50", "p99", "max", "mean") and isinstance(p, (int, float)) and isinstance(c, (int, float)) and p:
            ratio = f"{c / p:.2f}x"
        rows.append((label, stat, "-" if p is None else str(p), "-" if c is None else str(c), ratio))

    # Every device IRQ to its first handler, whichever stage runs it: the same interrupts in both kernels.
    both = ("irq_to_oob_handler", "irq_to_inband_handler")
    mp, mc = _merged_stats(pipelined.metrics, both), _merged_stats(classic.metrics, both)
    for stat in COMPARE_STATS:
        add("irq_to_handler (any stage)" if stat == "count" else "", stat, mp.get(stat), mc.get(stat))
    for name in pipelined.metrics:
        p, c = pipelined.metrics[name], classic.metrics.get(name)
        if not p.count and not (c and c.count):
            continue
        for stat in COMPARE_STATS:
            add(name if stat == "count" else "", stat, p[stat], c[stat] if c else None)
    # The responders' own measure (timer compare value -> the thread runs), made by the firmware in both kernels.
    for rp in pipelined.counters.get("responders", []):
        rc = next((r for r in classic.counters.get("responders", []) if r["cpu"] == rp["cpu"]), {})
        label = f"responder cpu{rp['cpu']} (firmware)"
        mean_p = round(rp["latency_sum"] / rp["wakeups"], 1) if rp.get("wakeups") else None
        mean_c = round(rc["latency_sum"] / rc["wakeups"], 1) if rc.get("wakeups") else None
        add(label, "wakeups", rp.get("wakeups"), rc.get("wakeups"))
        add("", "mean", mean_p, mean_c)
        add("", "max", rp.get("latency_max"), rc.get("latency_max"))
        add("", "missed", rp.get("missed"), rc.get("missed"))
    head = ("metric (cycles)", "stat", "pipelined", "classic", "classic/pipelined")
    widths = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(5)]
    fmt = lambda r: (f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}  "
                     f"{r[4]:>{widths[4]}}").rstrip()
    # Every per-CPU counter the firmware printed (phases of each kind, IRQs, wake-ups, oob IPIs), in its order.
    work = []
    cpu_rows = pipelined.counters.get("cpus") or [{}]
    for kind in (k for k in cpu_rows[0] if k != "cpu"):
        try:
            p, c = pipelined.counter(f"all.{kind}"), classic.counter(f"all.{kind}")
        except KeyError:
            continue
        work.append(f"{kind} {p}/{c}")
    out = [fmt(head)] + [fmt(r) for r in rows]
    if work:
        out.append("work done (pipelined/classic): " + ", ".join(work))
    return "\n".join(out) + "\n"


def cmd_compare(a) -> int:
    sc = scenario_file.load(a.scenario, seed=a.seed)
    runs = {"pipelined": sc.replace(pipeline=True), "classic": sc.replace(pipeline=False)}
    print(f"compare {_describe(runs['pipelined'], a.scenario).replace(', pipelined', '')}")
    p, c = sweep([runs["pipelined"], runs["classic"]])
    print(f"pipelined: ended at cycle {p.end_cycle} ({p.host_seconds:.2f} s); "
          f"classic: ended at cycle {c.end_cycle} ({c.host_seconds:.2f} s)")
    sys.stdout.write(compare_table(p, c))
    if a.json:
        _write_json(a.json, '{"pipelined": ' + p.to_json() + ', "classic": ' + c.to_json() + "}\n")
    return EXIT_OK


# ---- main -----------------------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `oobsim run FILE.elf ...`: the simulator's own command, options untouched (anything but a .py file goes there).
    if argv and argv[0] == "run":
        rest = argv[1:]
        if rest and not any(x.endswith(".py") for x in rest) and not any(x in ("-h", "--help") for x in rest):
            return _exec_elf(rest)
    a = _parser().parse_args(argv)
    try:
        return {"run": cmd_run, "check": cmd_check, "regress": cmd_regress, "compare": cmd_compare}[a.command](a)
    except ScenarioError as e:
        _err(f"scenario error: {e}")
        return EXIT_SCENARIO
    except SimulationError as e:
        return _sim_error(e)
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except OSError as e:
        _err(f"error: {e}")
        return EXIT_SCENARIO
