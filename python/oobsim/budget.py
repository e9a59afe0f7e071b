"""Budgets: limits on a run's metrics and counters, read from a TOML file, checked against a :class:`Result`, and
written as JUnit XML for CI.

    # scenarios/timer_latency.toml
    seed = 1                                      # optional: the seed `oobsim check` runs with
    [budgets]
    "irq_to_oob_handler.p99" = "<= 600 cycles"    # METRIC.STAT, STAT: count min mean p50 p90 p99 p99.9 max
    "oob_responder_wakeup.max" = "<= 1.2 us"      # units: cycles (the default), ns, us, ms, s
    "irq_to_oob_handler.count" = ">= 100"         # counts take no unit
    "counters.cpu1.irqs" = ">= 150"               # the scenario firmware's counters (Result.counter())
    "irq_logged_inband.max" = [">= 4000 cycles", "<= 9000 cycles"]    # a list: both limits

    [classic]                                     # optional: the same scenario on the classic kernel
    "irq_to_inband_handler.max" = ">= 2000 cycles"    # (and [pipelined]): `oobsim check` runs it too

Operators: <=, <, >=, >, ==. A budget on a statistic of a metric without samples fails ("no samples"): it measured
nothing.
"""

from __future__ import annotations

import os
import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from fractions import Fraction

from .errors import ScenarioError
from .result import METRIC_NAMES, STATS, Result, check_counter_name
from .scenario import TIME_UNITS_NS

OPERATORS = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b,
             ">": lambda a, b: a > b, "==": lambda a, b: a == b}
_LIMIT = re.compile(r"^\s*(<=|<|>=|>|==)\s*([0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?)\s*([a-zµ]*)\s*$")
FILE_KEYS = ("budgets", "classic", "pipelined", "seed")
KERNEL_TABLES = ("classic", "pipelined")  # budgets of the scenario rerun on that kernel


@dataclass(frozen=True)
class Budget:
    """One limit: ``key`` ("irq_to_oob_handler.p99", "counters.cpu1.irqs"), ``op``, ``limit`` in ``unit``
    ("cycles", "ns", "us", "ms", "s", or "" for counts); ``text`` as written; ``kernel``: "" for the scenario as
    written, "classic" or "pipelined" for the scenario rerun on that kernel."""
    key: str
    op: str
    limit: float
    unit: str
    text: str
    kernel: str = ""

    @property
    def is_counter(self) -> bool:
        return self.key.startswith("counters.")

    @property
    def metric(self) -> str:
        return self.key.partition(".")[0]

    @property
    def stat(self) -> str:
        return self.key.partition(".")[2]

    def __str__(self):
        prefix = f"{self.kernel}: " if self.kernel else ""
        return f"{prefix}{self.key} {self.op} {_fmt(self.limit)}{' ' + self.unit if self.unit else ''}"


@dataclass
class Outcome:
    """A budget checked: ``measured`` in the budget's unit (None: nothing measured), ``passed``, ``margin`` (how far
    inside the limit, in the unit; negative: over it), ``message``."""
    budget: Budget
    measured: float | None
    passed: bool
    margin: float | None
    message: str


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and not x.is_integer():
        return f"{x:.3f}".rstrip("0").rstrip(".")
    return str(int(x)) if isinstance(x, float) else str(x)


def parse_budget(key: str, text, where: str = "budget", kernel: str = "") -> Budget:
    """One budget from its key and its text ("<= 600 cycles")."""
    b = _parse_budget(key, text, where)
    return Budget(b.key, b.op, b.limit, b.unit, b.text, kernel)


def _parse_budget(key: str, text, where: str) -> Budget:
    if not isinstance(text, str):
        raise ScenarioError(f"{where}: {key!r} = {text!r}: write the limit as a string such as \"<= 600 cycles\"")
    m = _LIMIT.match(text)
    if not m:
        raise ScenarioError(f"{where}: {key!r} = {text!r}: expected OPERATOR NUMBER [UNIT], e.g. \"<= 600 cycles\" "
                            f"(operators {', '.join(OPERATORS)}; units cycles, ns, us, ms, s)")
    op, number, unit = m.group(1), float(m.group(2).replace("_", "")), m.group(3)
    if key.startswith("counters."):
        if unit:
            raise ScenarioError(f"{where}: {key!r} = {text!r}: a counter takes no unit")
        try:
            check_counter_name(key[len("counters."):])
        except KeyError:
            raise ScenarioError(f"{where}: {key!r}: counters are named counters.cpuN.FIELD, counters.channelN.FIELD, "
                                f"counters.spiN.FIELD, counters.responderN.FIELD or counters.all.FIELD") from None
        return Budget(key, op, number, "", text)
    metric, _, stat = key.partition(".")
    if not metric or stat not in ("count",) + STATS:
        raise ScenarioError(f"{where}: {key!r}: expected METRIC.STAT with STAT one of count, {', '.join(STATS)} "
                            f"(or counters.…)")
    if metric not in METRIC_NAMES:
        raise ScenarioError(f"{where}: {key!r}: no metric {metric!r} (the metrics are {', '.join(METRIC_NAMES)}; "
                            f"docs/metrics.md)")
    if stat == "count":
        if unit:
            raise ScenarioError(f"{where}: {key!r} = {text!r}: a count takes no unit")
    else:
        unit = unit or "cycles"
        if unit != "cycles" and unit not in TIME_UNITS_NS:
            raise ScenarioError(f"{where}: {key!r} = {text!r}: unknown unit {unit!r} (cycles, ns, us or µs, ms, s)")
    return Budget(key, op, number, unit, text)


def load(path) -> tuple[list[Budget], dict]:
    """The budgets of a TOML file, in file order, and its other settings ({"seed": n} if given)."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such budget file") from None
    except OSError as e:
        raise ScenarioError(f"{path}: cannot read it: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{path}: not valid TOML: {e}") from None
    unknown = [k for k in data if k not in FILE_KEYS]
    if unknown:
        raise ScenarioError(f"{path}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                            f"(a budget file has {', '.join(FILE_KEYS)})")
    tables = {name: data.get(name) for name in ("budgets",) + KERNEL_TABLES if name in data}
    for name, table in tables.items():
        if not isinstance(table, dict) or not table:
            raise ScenarioError(f"{path}: [{name}] must be a table of budgets")
    if not tables:
        raise ScenarioError(f"{path}: no [budgets] table (e.g. [budgets] \"irq_to_oob_handler.p99\" = \"<= 600 cycles\")")
    settings = {}
    if "seed" in data:
        seed = data["seed"]
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= 0xFFFFFFFF:
            raise ScenarioError(f"{path}: seed = {seed!r}: must be a whole number from 0 to 4294967295")
        settings["seed"] = seed
    budgets = []
    for name, table in tables.items():
        for key, value in table.items():
            if isinstance(value, dict):  # a dotted key written bare: irq_to_oob_handler.p99 = "..."
                raise ScenarioError(f"{path}: [{name}] {key}: quote dotted keys, e.g. \"{key}.p99\" = \"<= 600 cycles\"")
            for text in value if isinstance(value, list) else [value]:  # a list: several limits on one figure
                budgets.append(parse_budget(key, text, f"{path} [{name}]", "" if name == "budgets" else name))
    return budgets, settings


def _measure(result: Result, b: Budget):
    """(value in the budget's unit or None, why there is none)."""
    if b.is_counter:
        try:
            return result.counter(b.key[len("counters."):]), ""
        except KeyError as e:
            return None, str(e.args[0] if e.args else e)
    if b.metric not in result.metrics:
        return None, f"no metric {b.metric!r} (the metrics are {', '.join(result.metrics)})"
    m = result.metrics[b.metric]
    if b.stat == "count":
        return m.count, ""
    if not m.count:
        return None, "no samples"
    cycles = m[b.stat]
    if b.unit == "cycles":
        return cycles, ""
    cycle_ps = result.metrics.cycle_ps or round(1e12 / (result.metrics.clock_hz or 1e9))
    return float(Fraction(cycles) * cycle_ps / 1000 / TIME_UNITS_NS[b.unit]), ""


def check(result, budgets) -> list[Outcome]:
    """Check each budget against ``result`` (a Result, or {kernel: Result} with "" for the scenario as written and
    "classic"/"pipelined" for the reruns of :func:`runs_needed`)."""
    results = result if isinstance(result, dict) else {"": result}
    outcomes = []
    for b in budgets:
        if b.kernel not in results:
            raise ScenarioError(f"budget {b}: no run on the {b.kernel} kernel to check it against")
        measured, why = _measure(results[b.kernel], b)
        unit = f" {b.unit}" if b.unit else ""
        if measured is None:
            outcomes.append(Outcome(b, None, False, None, f"{why}: cannot check {b}"))
            continue
        passed = OPERATORS[b.op](measured, b.limit)
        if b.op in ("<=", "<"):
            margin = b.limit - measured
        elif b.op in (">=", ">"):
            margin = measured - b.limit
        else:
            margin = -abs(measured - b.limit)
        verdict = "within" if passed else "breached"
        msg = f"measured {_fmt(measured)}{unit}, limit {b.op} {_fmt(b.limit)}{unit}: {verdict}"
        if b.op != "==":
            msg += f" (margin {_fmt(margin)}{unit})"
        outcomes.append(Outcome(b, measured, passed, margin, msg))
    return outcomes


def runs_needed(budgets) -> list:
    """The kernels the budgets need runs on besides the scenario as written ("classic", "pipelined")."""
    return sorted({b.kernel for b in budgets if b.kernel})


def run_and_check(scenario, budgets, progress=None):
    """Run the scenario (and its reruns on other kernels that budgets ask for, in parallel) and check the budgets:
    ({kernel: Result}, outcomes). A failed run raises SimulationError."""
    import concurrent.futures
    runs = {"": scenario}
    for kernel in runs_needed(budgets):
        runs[kernel] = scenario.replace(pipeline=(kernel == "pipelined"))
    if len(runs) == 1:
        results = {"": scenario.run(progress=progress)}
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(runs)) as pool:
            futures = {k: pool.submit(sc.run, progress=progress if k == "" else None) for k, sc in runs.items()}
            concurrent.futures.wait(futures.values())
            results = {k: f.result() for k, f in futures.items()}
    return results, check(results, budgets)


def format_outcomes(outcomes) -> str:
    """One line per budget: verdict, budget, measured value, margin (and its share of the limit)."""
    rows = []
    for o in outcomes:
        b = o.budget
        unit = f" {b.unit}" if b.unit else ""
        verdict = "PASS" if o.passed else ("NO DATA" if o.measured is None else "FAIL")
        if o.measured is None:
            rows.append((verdict, str(b), o.message.split(": cannot check")[0], ""))
            continue
        share = ""
        if o.margin is not None and b.limit and b.op != "==":
            share = f" ({o.margin / abs(b.limit) * 100:+.0f}%)"
        rows.append((verdict, str(b), f"{_fmt(o.measured)}{unit}",
                     "" if b.op == "==" else f"{_fmt(o.margin)}{unit}{share}"))
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(("verdict", "budget", "measured", "margin"))]
    head = ("verdict", "budget", "measured", "margin")
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


# ---- JUnit XML ------------------------------------------------------------------------------------------------------

@dataclass
class SuiteReport:
    """One scenario in a JUnit file: its outcomes, or the error that kept it from running."""
    name: str
    outcomes: list
    seconds: float = 0.0
    error: str | None = None
    properties: dict | None = None


def junit_xml(suites) -> str:
    """JUnit XML (the Ant/Jenkins schema that GitLab, GitHub actions' reporters and Jenkins read): a <testsuite> per
    scenario, a <testcase> per budget, <failure> for a breach or a metric without samples, <error> for a scenario
    that did not run."""
    root = ET.Element("testsuites", name="oobsim budgets")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    total_time = 0.0
    for s in suites:
        suite = ET.SubElement(root, "testsuite", name=s.name)
        if s.properties:
            props = ET.SubElement(suite, "properties")
            for k, v in s.properties.items():
                ET.SubElement(props, "property", name=str(k), value=str(v))
        tests = failures = errors = 0
        classname = "oobsim." + s.name
        if s.error is not None:
            case = ET.SubElement(suite, "testcase", classname=classname, name="run", time=f"{s.seconds:.3f}")
            first = s.error.splitlines()[0] if s.error else "error"
            kind = "ScenarioError" if s.error.startswith("scenario error") else "SimulationError"
            ET.SubElement(case, "error", message=first, type=kind).text = s.error
            tests, errors = 1, 1
        for o in s.outcomes:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=classname, name=str(o.budget), time="0")
            if not o.passed:
                failures += 1
                kind = "NoSamples" if o.measured is None else "BudgetExceeded"
                ET.SubElement(case, "failure", message=o.message, type=kind).text = o.message
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        suite.set("time", f"{s.seconds:.3f}")
        totals["tests"] += tests
        totals["failures"] += failures
        totals["errors"] += errors
        total_time += s.seconds
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path, suites) -> None:
    path = os.fspath(path)
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(junit_xml(suites))
