"""What a run gives back: :class:`Result`, with its latency metrics (docs/metrics.md), per-core figures and the
scenario firmware's counters."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Iterator, Mapping

STATS = ("min", "mean", "p50", "p90", "p99", "p99.9", "max")
# The simulator's metrics (sim/trace/metrics.cpp, docs/metrics.md), so that a budget on a misspelt one is refused
# before anything runs; tests/python/test_run.py checks this list against the metrics of a real run.
METRIC_NAMES = ("irq_to_ack", "irq_to_oob_handler", "irq_to_inband_handler", "irq_logged_inband", "irq_logged_oob",
                "run_oob_call_overhead", "ipi_delivery_oob", "ipi_delivery_inband", "sgi_delivery",
                "oob_responder_wakeup", "xcall_issue_to_remote_start", "xcall_issue_to_wait_return", "oob_handler",
                "inband_handler", "pipeline_entry_exit", "inband_stalled")


class Metric:
    """One latency metric: ``count``; ``min``, ``mean``, ``p50``, ``p90``, ``p99``, ``["p99.9"]``, ``max`` in cycles
    (None without samples); ``ns``: the same in nanoseconds; ``max_at_cycle``, ``max_from_cycle``, ``max_cpu``
    (where the worst sample is); ``histogram``: [(cycles, samples), ...]; ``definition``."""

    def __init__(self, name: str, data: Mapping):
        self.name = name
        self.definition = data.get("definition", "")
        self.count = int(data.get("count", 0))
        self.cycles = dict(data.get("cycles") or {})
        self.ns = dict(data.get("ns") or {})
        self.max_at_cycle = data.get("max_at_cycle")
        self.max_from_cycle = data.get("max_from_cycle")
        self.max_cpu = data.get("max_cpu")
        self.histogram = [tuple(b) for b in data.get("histogram", [])]

    def __getitem__(self, stat: str):
        """A statistic by name, in cycles: ``m["p99.9"]``, ``m["count"]``; None without samples."""
        if stat == "count":
            return self.count
        if stat not in STATS:
            raise KeyError(f"{stat!r}: the statistics are count, {', '.join(STATS)}")
        return self.cycles.get(stat)

    min = property(lambda self: self.cycles.get("min"))
    mean = property(lambda self: self.cycles.get("mean"))
    p50 = property(lambda self: self.cycles.get("p50"))
    p90 = property(lambda self: self.cycles.get("p90"))
    p99 = property(lambda self: self.cycles.get("p99"))
    p999 = property(lambda self: self.cycles.get("p99.9"))
    max = property(lambda self: self.cycles.get("max"))

    def to_dict(self) -> dict:
        return {"definition": self.definition, "count": self.count, "cycles": self.cycles or None,
                "ns": self.ns or None, "max_at_cycle": self.max_at_cycle, "max_from_cycle": self.max_from_cycle,
                "max_cpu": self.max_cpu, "histogram": [list(b) for b in self.histogram]}

    def __repr__(self):
        if not self.count:
            return f"<Metric {self.name}: no samples>"
        return (f"<Metric {self.name}: count={self.count} min={self.min} p50={self.p50} p99={self.p99} "
                f"max={self.max} cycles>")


class Metrics(Mapping):
    """The latency metrics of a run by name (every metric of docs/metrics.md, in its order), plus ``clock_hz``,
    ``cycle_ps``, ``end_cycle`` and :meth:`table`."""

    def __init__(self, data: Mapping | None = None, table_text: str = ""):
        data = data or {}
        self.clock_hz = data.get("clock_hz")
        self.cycle_ps = data.get("cycle_ps")
        self.end_cycle = data.get("end_cycle")
        self._metrics = {name: Metric(name, m) for name, m in (data.get("metrics") or {}).items()}
        self._table = table_text

    def __getitem__(self, name: str) -> Metric:
        try:
            return self._metrics[name]
        except KeyError:
            raise KeyError(f"{name!r}: no such metric (the metrics are {', '.join(self._metrics)})") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._metrics)

    def __len__(self) -> int:
        return len(self._metrics)

    def table(self) -> str:
        """The metrics table, as ``oobsim run`` prints it."""
        return self._table or render_table(self)

    def to_dict(self) -> dict:
        return {"clock_hz": self.clock_hz, "cycle_ps": self.cycle_ps, "end_cycle": self.end_cycle,
                "metrics": {name: m.to_dict() for name, m in self._metrics.items()}}


def render_table(metrics: Metrics) -> str:
    """The table of the simulator's report, from the metrics alone (the simulator's own text is used when there)."""
    mhz = (metrics.clock_hz or 0) / 1e6
    lines = [f"latency metrics: cycles (second line: ns at {mhz:.3f} MHz); docs/metrics.md",
             f"{'metric':<28} {'count':>8} {'min':>9} {'mean':>11} {'p50':>9} {'p90':>9} {'p99':>9} {'p99.9':>9} "
             f"{'max':>9} {'max at cycle':>14}"]
    for name, m in metrics.items():
        if not m.count:
            lines.append(f"{name:<28} {0:>8} {'-':>9} {'-':>11} {'-':>9} {'-':>9} {'-':>9} {'-':>9} {'-':>9} {'-':>14}")
            continue
        c, n = m.cycles, m.ns
        lines.append(f"{name:<28} {m.count:>8} {c['min']:>9} {c['mean']:>11.1f} {c['p50']:>9} {c['p90']:>9} "
                     f"{c['p99']:>9} {c['p99.9']:>9} {c['max']:>9} {m.max_at_cycle:>14}")
        lines.append(f"{'  ns':<28} {'':>8} {n['min']:>9.1f} {n['mean']:>11.1f} {n['p50']:>9.1f} {n['p90']:>9.1f} "
                     f"{n['p99']:>9.1f} {n['p99.9']:>9.1f} {n['max']:>9.1f}")
    return "\n".join(lines) + "\n"


@dataclass
class CoreStats:
    """One core at the end of the run."""
    cycles: int
    instructions: int
    sleep_cycles: int


_KV = re.compile(r"(\w+)=(\S+)")


def _number(text: str):
    try:
        return int(text, 0)
    except ValueError:
        return text


def parse_counters(console: str) -> dict:
    """The scenario firmware's counter lines (firmware/include/oobsim/scenario_table.h) as
    ``{"cpus": [{"cpu": 0, "compute": k, ..., "oob_ipi": k, "oob_ipis": k}, ...], "sources": [{"channel": 0,
    "spi": 40, "handled": k, ...}], "start": {...}, "end_cycle": n}``. Every ``key=value`` of a line is taken, so
    fields the firmware adds at the end of a line (as it did with ``oob_ipi`` and ``oob_ipis``) come through, and a
    line of an older firmware simply lacks them."""
    counters: dict = {"cpus": [], "sources": [], "responders": [], "start": {}, "end_cycle": None}
    for line in console.splitlines():
        if line.startswith("scenario-counters "):
            counters["cpus"].append({k: _number(v) for k, v in _KV.findall(line)})
        elif line.startswith("scenario-source "):
            counters["sources"].append({k: _number(v) for k, v in _KV.findall(line)})
        elif line.startswith("scenario-responder "):
            counters["responders"].append({k: _number(v) for k, v in _KV.findall(line)})
        elif line.startswith("scenario: start "):
            words = line.split()
            counters["start"] = {"kernel": words[2], **{k: _number(v) for k, v in _KV.findall(line)}}
        elif line.startswith("scenario: end "):
            m = re.search(r"cycle=(\d+)", line)
            counters["end_cycle"] = int(m.group(1)) if m else None
    return counters


def _counter_head(path: str):
    """The match of a counter name's head (cpuN, channelN, spiN, responderN, all); KeyError for a bad name."""
    head, _, key = path.partition(".")
    m = re.fullmatch(r"(cpu|channel|spi|responder)(\d+)|all", head)
    if not m or not re.fullmatch(r"\w+", key):
        raise KeyError(f"{path!r}: counters are named cpuN.FIELD, channelN.FIELD, spiN.FIELD, responderN.FIELD or "
                       f"all.FIELD")
    return m


def check_counter_name(path: str) -> None:
    """Raises KeyError unless ``path`` is a counter name :func:`counter_value` takes (whether the run has it or not)."""
    _counter_head(path)


def counter_value(counters: Mapping, path: str):
    """A counter by its budget name: ``cpu1.irqs``, ``cpu0.oob_ipi`` (oob IPI fan-outs sent), ``cpu1.oob_ipis``
    (oob IPI handler runs there), ``channel0.handled``, ``spi40.overrun``, ``responder0.missed``
    (the responder on CPU 0), ``all.irqs`` (the sum over the CPUs, sources or responders that have the field).
    Raises KeyError saying what exists."""
    m = _counter_head(path)
    head, _, key = path.partition(".")
    if head == "all":
        for rows in (counters.get("cpus"), counters.get("sources"), counters.get("responders")):
            if rows and key in rows[0]:
                return sum(r[key] for r in rows)
        raise KeyError(f"{path!r}: no counter {key!r} in the run's output")
    kind, index = m.group(1), int(m.group(2))
    rows = {"cpu": "cpus", "channel": "sources", "spi": "sources", "responder": "responders"}[kind]
    match = "cpu" if kind == "responder" else kind
    found = [r for r in counters.get(rows) or [] if r.get(match) == index]
    if not found:
        raise KeyError(f"{path!r}: the run printed no counters for {kind} {index}")
    if key not in found[0] or key == match:
        raise KeyError(f"{path!r}: {kind} {index} has the counters {', '.join(k for k in found[0] if k != match)}")
    return sum(r[key] for r in found)  # several channels may share an SPI: spiN.count is the line's total


@dataclass
class Result:
    """What a run gives back.

    name, seed, pipeline     the scenario's name and seed; True for the pipelined kernel, False for classic
    exit_code, outcome       what ``oobsim run`` exits with (0: the scenario ran to its end) and "exit" /
                             "max_cycles" / "deadlock" / "fatal"
    end_cycle, host_seconds  the latest core's time at the end; host time of the simulation alone
    metrics                  :class:`Metrics` (docs/metrics.md)
    console, report          the guest's output; the simulator's report (with the metrics table)
    cores                    [:class:`CoreStats`], per core
    counters                 the scenario firmware's counters (:func:`parse_counters`)
    vcd, perfetto, events,   paths of the files written, or None
    metrics_path, histogram
    wall_seconds             host time of the whole run, child process start-up included
    warnings                 the simulator's warnings, if any
    """
    name: str = ""
    seed: int = 0
    pipeline: bool = True
    exit_code: int = 0
    outcome: str = "exit"
    message: str = ""
    end_cycle: int = 0
    host_seconds: float = 0.0
    wall_seconds: float = 0.0
    metrics: Metrics = field(default_factory=Metrics)
    console: str = ""
    report: str = ""
    warnings: str = ""
    cores: list = field(default_factory=list)
    counters: dict = field(default_factory=dict)
    vcd: str | None = None
    perfetto: str | None = None
    events: str | None = None
    metrics_path: str | None = None
    histogram: str | None = None
    duration: int = 0

    @property
    def simulated_cycles_per_second(self) -> float:
        """Simulated cycles per host second of the simulation itself."""
        return self.end_cycle / self.host_seconds if self.host_seconds > 0 else 0.0

    def counter(self, path: str):
        """A scenario counter by name (see :func:`counter_value`): ``res.counter("cpu1.irqs")``."""
        return counter_value(self.counters, path)

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ("name", "seed", "pipeline", "exit_code", "outcome", "message", "end_cycle",
                                           "duration", "host_seconds", "wall_seconds", "console", "report",
                                           "warnings", "counters", "vcd", "perfetto", "events", "metrics_path",
                                           "histogram")}
        d["cores"] = [vars(c) for c in self.cores]
        d["metrics"] = self.metrics.to_dict()
        return d

    def to_json(self, indent: int | None = 2) -> str:
        """The whole result as JSON (:meth:`from_json` reads it back)."""
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, d: Mapping) -> "Result":
        d = dict(d)
        metrics = d.pop("metrics", None) or {}
        cores = d.pop("cores", None) or []
        report = d.get("report", "")
        r = cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})
        r.metrics = Metrics(metrics, metrics_table_of(report))
        r.cores = [CoreStats(**c) for c in cores]
        return r

    @classmethod
    def from_json(cls, text: str) -> "Result":
        return cls.from_dict(json.loads(text))

    def __repr__(self):
        return (f"<Result {self.name} seed={self.seed} {'pipelined' if self.pipeline else 'classic'}: "
                f"exit {self.exit_code} at cycle {self.end_cycle}, {self.host_seconds:.3f} s>")


def metrics_table_of(report: str) -> str:
    """The metrics table inside the simulator's report ("" when the report has none)."""
    i = report.find("latency metrics:")
    return report[i:] if i >= 0 else ""
