"""Platforms and scenarios: what to simulate, validated before anything runs.

A :class:`Scenario` holds a :class:`Platform`, IRQ sources, per-CPU in-band workloads and oob responders. It turns
into two things the simulator takes: ``--irq-source`` strings (docs/irq-sources.md), which make the devices raise
interrupts at the chosen cycles, and the binary scenario table (:mod:`oobsim.table`), which tells the scenario
firmware what to request and what to run. Every check the simulator or the firmware would make is made here first,
so a mistake is a :class:`ScenarioError` naming the key and the value, not a failed run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Sequence

from . import table
from .errors import ScenarioError

# The simulator's timing parameters (docs/timing-model.md, `oobsim timing`; tests/python checks the list against
# the simulator's), and their allowed ranges where the simulator restricts them beyond "a whole number >= 0".
TIMING_KEYS = (
    "base_cpi", "branch_taken_penalty", "jump_penalty", "load_use_stall", "mul_cycles", "div_cycles", "csr_cycles",
    "amo_cycles", "fence_cycles", "fence_i_cycles", "trap_entry_cycles", "mret_cycles", "wfi_cycles",
    "wfi_wakeup_cycles", "ram_latency", "mmio_latency", "misaligned_penalty", "irq_write_latency", "gic_latency",
    "gic_access_latency", "clock_hz",
)
MIN_CLOCK_HZ = 1_000_000
MAX_CLOCK_HZ = 10_000_000_000
GIC_MODELS = ("tlm", "rtl")
SCHEDULING_MODES = ("fast", "reference")
IRQ_MODES = ("oneshot", "periodic", "burst", "random")
HANDLER_STAGES = ("oob", "inband")
TRIGGERS = ("edge", "level")
DISTRIBUTIONS = ("exp", "uniform")
U32_MAX = table.U32_MAX
U64_MAX = (1 << 64) - 1

# Each random source's generator seed: seed * SEED_STRIDE + channel, so that the sources of one scenario differ, a
# scenario seed gives the same arrivals every time, and different (seed, channel) pairs never share a generator.
SEED_STRIDE = table.SCENARIO_MAX_SOURCES

# Time units, in nanoseconds: for cycle values given as times here, and for budget limits (budget.py).
TIME_UNITS_NS = {"ns": Fraction(1), "us": Fraction(1000), "µs": Fraction(1000), "ms": Fraction(10**6),
                 "s": Fraction(10**9)}
_QUANTITY = re.compile(r"^\s*([0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9]+)?)\s*([a-zµ]*)\s*$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _reject_unknown(what: str, unknown: dict, accepted: Iterable[str]) -> None:
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ScenarioError(f"{what}: unknown keyword{'s' if len(unknown) > 1 else ''} {names} "
                            f"(accepted: {', '.join(accepted)})")


def _whole(what: str, value: Any, lo: int = 0, hi: int = U32_MAX) -> int:
    if not _is_int(value):
        raise ScenarioError(f"{what} = {value!r}: must be a whole number")
    if value < lo or value > hi:
        if hi in (U32_MAX, U64_MAX):  # the limit of the table's field: name it only when it is the one broken
            bound = f"at least {lo}" if value < lo else f"at most {hi} (the largest the scenario table holds)"
        else:
            bound = f"from {lo} to {hi}"
        raise ScenarioError(f"{what} = {value!r}: must be {bound}")
    return value


def _choice(what: str, value: Any, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ScenarioError(f"{what} = {value!r}: must be one of {', '.join(choices)}")
    return value


def cycles_of(what: str, value: Any, clock_hz: int, lo: int = 0, hi: int = U32_MAX) -> int:
    """A number of cycles from a whole number (cycles) or a string with a unit: "2 ms", "500 us", "120 ns",
    "1.5us", "30000 cycles". Times are rounded to the nearest cycle at ``clock_hz``."""
    if isinstance(value, str):
        m = _QUANTITY.match(value)
        if not m:
            raise ScenarioError(f"{what} = {value!r}: not a number with a unit (cycles, ns, us, ms, s)")
        number, unit = Fraction(m.group(1).replace("_", "")), m.group(2) or "cycles"
        if unit in ("cycles", "cycle"):
            if number.denominator != 1:
                raise ScenarioError(f"{what} = {value!r}: cycles are whole numbers")
            value = int(number)
        elif unit in TIME_UNITS_NS:
            exact = number * TIME_UNITS_NS[unit] * clock_hz / 10**9
            value = int(exact + Fraction(1, 2))  # nearest cycle, halves up
        else:
            raise ScenarioError(f"{what} = {value!r}: unknown unit '{unit}' (cycles, ns, us, ms, s)")
    return _whole(what, value, lo, hi)


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", name):
        raise ScenarioError(f"Scenario name = {name!r}: letters, digits and _ . + - only (it names files)")


def _check_description(description: Any) -> None:
    if not isinstance(description, str):
        raise ScenarioError(f"Scenario description = {description!r}: must be a string")


class Platform:
    """The simulated machine.

    cpus      cores (1..8: the scenario firmware and the GIC support up to 8)
    clock_hz  core clock (1 MHz .. 10 GHz); times given as "2 us" are converted at this rate
    timing    {key: value} overrides of the timing model (``oobsim timing`` lists the keys)
    gic       "tlm" (the SystemC model) or "rtl" (the Verilated RTL GIC)
    pipeline  True: the pipelined kernel (oob stage); False: the classic kernel built from the same sources
    spis      shared peripheral interrupts of the GIC (IDs 32 .. 32 + spis - 1; 0..988)
    mode      the simulator's scheduling mode, "fast" or "reference" (same results, reference is slower)
    """

    _KEYS = ("cpus", "clock_hz", "timing", "gic", "pipeline", "spis", "mode")

    def __init__(self, cpus: int = 4, clock_hz: int = 1_000_000_000, timing: dict | None = None, gic: str = "tlm",
                 pipeline: bool = True, spis: int = 64, mode: str = "fast", **unknown):
        _reject_unknown("Platform", unknown, self._KEYS)
        self.cpus = _whole("Platform cpus", cpus, 1, table.SCENARIO_MAX_CPUS)
        self.clock_hz = _whole("Platform clock_hz", clock_hz, MIN_CLOCK_HZ, MAX_CLOCK_HZ)
        if timing is not None and not isinstance(timing, dict):
            raise ScenarioError(f"Platform timing = {timing!r}: must be a dict of timing keys to whole numbers")
        timing = dict(timing or {})
        for key, value in timing.items():
            if key not in TIMING_KEYS:
                raise ScenarioError(f"Platform timing: unknown key {key!r} (the keys are {', '.join(TIMING_KEYS)})")
            if key == "clock_hz":
                raise ScenarioError("Platform timing: give clock_hz as Platform(clock_hz=...), not as a timing key")
            _whole(f"Platform timing {key}", value, 0, U32_MAX)
        self.timing = timing
        self.gic = _choice("Platform gic", gic, GIC_MODELS)
        if not isinstance(pipeline, bool):
            raise ScenarioError(f"Platform pipeline = {pipeline!r}: must be True (pipelined) or False (classic)")
        self.pipeline = pipeline
        self.spis = _whole("Platform spis", spis, 0, table.MAX_SPIS)
        self.mode = _choice("Platform mode", mode, SCHEDULING_MODES)

    def replace(self, **changes) -> "Platform":
        """A copy with some settings changed, e.g. ``plat.replace(pipeline=False)``."""
        settings = {k: getattr(self, k) for k in self._KEYS}
        settings.update(changes)
        return Platform(**settings)

    def options(self) -> list[str]:
        """The ``oobsim run`` options for this platform (the program is not included)."""
        args = ["--cpus", str(self.cpus), "--spis", str(self.spis)]
        if self.clock_hz != 1_000_000_000:
            args += ["--timing", f"clock_hz={self.clock_hz}"]
        for key in sorted(self.timing):
            args += ["--timing", f"{key}={self.timing[key]}"]
        if self.gic != "tlm":
            args += ["--gic", self.gic]
        if self.mode != "fast":
            args += ["--mode", self.mode]
        return args

    def __eq__(self, other):
        return isinstance(other, Platform) and all(getattr(self, k) == getattr(other, k) for k in self._KEYS)

    def __repr__(self):
        return "Platform(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self._KEYS) + ")"


# ---- Workload phases -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Phase:
    """One phase of a CPU's in-band workload; build them with :func:`compute`, :func:`irq_save`, :func:`irq_work`,
    :func:`run_oob_call`, :func:`xcall` and :func:`oob_ipi`. ``cycles`` may be a time string, resolved at the
    platform's clock."""
    kind: str
    cycles: Any
    repeat: int = 1
    priority: str = "low"   # xcall only
    target: Any = "all"     # xcall only: "all" (broadcast) or a CPU index (unicast)
    targets: Any = "all"    # oob_ipi only: "all", "others", a CPU index or a tuple of CPU indexes

    def __post_init__(self):
        _choice("phase kind", self.kind, tuple(table.PHASE_KINDS))
        name = "work" if self.kind in ("xcall", "oob_ipi") else "cycles"   # the helper's keyword
        if _is_int(self.cycles) and self.cycles < 0:
            raise ScenarioError(f"{self.kind}: {name} = {self.cycles}: must be at least 0")
        if not (_is_int(self.cycles) or isinstance(self.cycles, str)):
            raise ScenarioError(f"{self.kind}: {name} = {self.cycles!r}: must be a whole number of cycles or a time")
        _whole(f"{self.kind}: repeat", self.repeat, 1)
        if self.kind == "xcall":
            _choice("xcall priority", self.priority, ("low", "high"))
            if self.target != "all":
                _whole("xcall target", self.target, 0, table.SCENARIO_MAX_CPUS - 1)
        if self.kind == "oob_ipi":
            object.__setattr__(self, "targets", _oob_ipi_targets(self.targets))


def _oob_ipi_targets(targets: Any):
    """The targets of an oob_ipi phase in their stored form: "all", "others", a CPU index or a sorted tuple of CPU
    indexes (a list becomes a tuple: phases are frozen). Checked against the platform by the scenario."""
    what = f"oob_ipi targets = {targets!r}"
    if isinstance(targets, str):
        if targets not in ("all", "others"):
            raise ScenarioError(f"{what}: must be \"all\", \"others\", a CPU index or a list of CPU indexes")
        return targets
    if _is_int(targets):
        return _whole("oob_ipi targets", targets, 0, table.SCENARIO_MAX_CPUS - 1)
    if not isinstance(targets, (list, tuple)):
        raise ScenarioError(f"{what}: must be \"all\", \"others\", a CPU index or a list of CPU indexes")
    if not targets:
        raise ScenarioError(f"{what}: no CPU to send to")
    for cpu in targets:
        if not _is_int(cpu) or not 0 <= cpu < table.SCENARIO_MAX_CPUS:
            raise ScenarioError(f"{what}: {cpu!r} is not a CPU index (0 to {table.SCENARIO_MAX_CPUS - 1})")
        if list(targets).count(cpu) > 1:
            raise ScenarioError(f"{what}: CPU {cpu} is listed twice")
    return tuple(sorted(targets))


def oob_ipi_mask(sender: int, targets: Any, cpus: int) -> int:
    """The CPU mask an oob_ipi phase of CPU ``sender`` sends to on a platform of ``cpus`` CPUs."""
    everyone = (1 << cpus) - 1
    if targets == "all":
        return everyone
    if targets == "others":
        return everyone & ~(1 << sender)
    if _is_int(targets):
        return 1 << targets
    mask = 0
    for cpu in targets:
        mask |= 1 << cpu
    return mask


def _phase(kind: str, cycles, repeat: int, unknown: dict, **extra) -> Phase:
    _reject_unknown(kind, unknown, ("work" if kind in ("xcall", "oob_ipi") else "cycles", "repeat", *extra))
    return Phase(kind, cycles, repeat, **extra)


def compute(cycles, repeat: int = 1, **unknown) -> Phase:
    """Busy work for ``cycles`` cycles with interrupts enabled."""
    return _phase("compute", cycles, repeat, unknown)


def irq_save(cycles, repeat: int = 1, **unknown) -> Phase:
    """Busy work for ``cycles`` cycles inside local_irq_save()/local_irq_restore(): in-band IRQs are deferred (logged)
    and replayed at the restore on the pipelined kernel; on the classic kernel every IRQ waits."""
    return _phase("irq_save", cycles, repeat, unknown)


def irq_work(cycles, repeat: int = 1, **unknown) -> Phase:
    """irq_work_queue() of a work item of ``cycles`` cycles; waits until it ran."""
    return _phase("irq_work", cycles, repeat, unknown)


def run_oob_call(cycles, repeat: int = 1, **unknown) -> Phase:
    """run_oob_call() of a function working ``cycles`` cycles (escalation to the oob stage)."""
    return _phase("run_oob_call", cycles, repeat, unknown)


def xcall(work=0, priority: str = "low", target="all", repeat: int = 1, **unknown) -> Phase:
    """A cross call: xc_broadcast() (``target="all"``) or xc_unicast() to CPU ``target`` of a function working
    ``work`` cycles, low or high ``priority``, then xc_wait()."""
    return _phase("xcall", work, repeat, unknown, priority=priority, target=target)


def oob_ipi(work=0, targets="all", repeat: int = 1, **unknown) -> Phase:
    """One oob IPI, irq_send_oob_ipi(CALL_FUNCTION_OOB_IPI), to ``targets``: "all" (every CPU, the sender included),
    "others" (every CPU but the sender), a CPU index or a list of them. Each target's oob handler (classic: a
    handler in the trap) works ``work`` cycles; the sender waits until every target has run it."""
    return _phase("oob_ipi", work, repeat, unknown, targets=targets)


# ---- IRQ sources and responders ---------------------------------------------------------------------------------------

# Keys of Scenario.irq_source(): common ones, then those of each mode (as the simulator's string form accepts them).
_SOURCE_COMMON = ("mode", "spi", "handler", "work", "cpu", "trigger", "channel", "start", "limit")
_SOURCE_MODE_KEYS = {
    "oneshot": ("at",),
    "periodic": ("period", "phase"),
    "burst": ("count", "gap", "every"),
    "random": ("dist", "mean", "min", "max", "seed"),
}


@dataclass(frozen=True)
class IrqSource:
    """A device interrupt, resolved: every cycle value is a whole number; ``spec`` is the simulator's string form."""
    channel: int
    spi: int
    mode: str
    handler: str
    work: int
    cpu: int
    trigger: str
    timing: tuple  # ((key, value), ...) of the mode, in the string form's order
    derived_seed: bool = False  # a random source seeded from the scenario's seed (not an explicit seed=)

    @property
    def spec(self) -> str:
        """The ``--irq-source`` string (docs/irq-sources.md)."""
        items = [f"channel={self.channel}", f"mode={self.mode}", f"spi={self.spi}", self.trigger]
        return ",".join(items + [f"{k}={v}" for k, v in self.timing])

    def record(self) -> table.SourceRecord:
        flags = (table.SCENARIO_SRC_OOB if self.handler == "oob" else 0) | \
                (table.SCENARIO_SRC_LEVEL if self.trigger == "level" else 0)
        return table.SourceRecord(self.channel, self.spi, flags, self.cpu, self.work)


@dataclass(frozen=True)
class Responder:
    """A latmus-like responder on ``cpu``: its timer fires every ``period`` cycles and wakes an oob thread of
    priority ``prio`` that works ``work`` cycles."""
    cpu: int
    period: int
    work: int
    prio: int

    def record(self) -> table.ResponderRecord:
        return table.ResponderRecord(self.cpu, self.period, self.work, self.prio)


class Scenario:
    """What to run: a platform, IRQ sources, workloads and responders, until cycle ``duration`` (counted from reset;
    cycles, or a time string such as "2 ms" converted at the platform's clock). ``seed`` (0 .. 2^32-1) seeds every
    random source. ``warmup`` (cycles or a time) is when the IRQ sources start unless given ``start=``: the firmware
    boots and sets up in about 58 000 - 69 000 cycles on 4 CPUs at the default timing (more with more CPUs and
    records), and interrupts raised before their handlers are requested would only measure the boot."""

    _KEYS = ("name", "platform", "duration", "seed", "description", "warmup")

    def __init__(self, name: str, platform: Platform | None = None, duration: Any = 1_000_000, seed: int = 1,
                 description: str = "", warmup: Any = 100_000, **unknown):
        _reject_unknown("Scenario", unknown, self._KEYS)
        _check_name(name)
        if platform is None:
            platform = Platform()
        if not isinstance(platform, Platform):
            raise ScenarioError(f"Scenario platform = {platform!r}: must be an oobsim.Platform")
        self.name = name
        self.platform = platform
        self.duration = cycles_of("Scenario duration", duration, platform.clock_hz, 1, U32_MAX)
        self.seed = _whole("Scenario seed", seed, 0, U32_MAX)
        self.warmup = cycles_of("Scenario warmup", warmup, platform.clock_hz, 0, U32_MAX)
        if self.warmup >= self.duration:
            raise ScenarioError(f"Scenario warmup = {self.warmup}: must be below the duration {self.duration}")
        _check_description(description)
        self.description = description
        self.sources: list[IrqSource] = []
        self.workloads: dict[int, list[Phase]] = {}
        self.responders: list[Responder] = []

    # -- building ----------------------------------------------------------------------------------------------------

    def _cycles(self, what: str, value: Any, lo: int = 0, hi: int = U32_MAX) -> int:
        return cycles_of(what, value, self.platform.clock_hz, lo, hi)

    def _check_fits(self, what: str, cycles: int) -> None:
        """Handler work and phases are no longer than the duration (checked again when the duration changes)."""
        if cycles > self.duration:
            raise ScenarioError(f"{what} = {cycles}: longer than the duration {self.duration}")

    def _check_spi(self, where: str, spi: int) -> None:
        spis = self.platform.spis
        if not spis:
            raise ScenarioError(f"{where} spi = {spi}: the platform's GIC has no SPIs (spis=0)")
        if not table.FIRST_SPI <= spi < table.FIRST_SPI + spis:
            raise ScenarioError(f"{where} spi = {spi}: out of range; the GIC has {spis} SPIs (IDs {table.FIRST_SPI} "
                                f"to {table.FIRST_SPI + spis - 1})")
        if spi >= table.PIPELINE_NR_HW_IRQS:
            raise ScenarioError(f"{where} spi = {spi}: the interrupt pipeline handles IDs below "
                                f"{table.PIPELINE_NR_HW_IRQS}")

    def _cpu(self, what: str, cpu: Any) -> int:
        _whole(what, cpu, 0)
        if cpu >= self.platform.cpus:
            n = self.platform.cpus
            raise ScenarioError(f"{what} = {cpu}: the platform has {n} CPU{'s' if n > 1 else ''} (0 to {n - 1})")
        return cpu

    def irq_source(self, mode: str = "periodic", spi: int | None = None, handler: str = "oob", work: Any = 0,
                   cpu: int = 0, trigger: str = "edge", channel: int | None = None, **settings) -> IrqSource:
        """Add a device interrupt: IRQ-source channel ``channel`` (default: the i-th source gets channel i) raises
        SPI ``spi`` (default 32 + channel) in ``mode`` ("oneshot" at=, "periodic" period= phase=, "burst" count= gap=
        every=, "random" dist= mean= min= max= [seed=]; any mode start= limit=); the firmware requests it on ``cpu``
        with an ``handler`` ("oob" or "inband") working ``work`` cycles; ``trigger`` "edge" or "level"."""
        where = f"irq_source {len(self.sources)}"
        mode = _choice(f"{where} mode", mode, IRQ_MODES)
        accepted = _SOURCE_COMMON + _SOURCE_MODE_KEYS[mode]
        unknown = {k: v for k, v in settings.items() if k not in accepted}
        if unknown:
            others = [m for m, keys in _SOURCE_MODE_KEYS.items() if set(unknown) <= set(keys)]
            hint = f" ({', '.join(sorted(unknown))} belong to mode={others[0]})" if others else ""
            raise ScenarioError(f"{where}: unknown keyword{'s' if len(unknown) > 1 else ''} "
                                f"{', '.join(sorted(unknown))} for mode={mode}{hint} (accepted: {', '.join(accepted)})")
        handler = _choice(f"{where} handler", handler, HANDLER_STAGES)
        trigger = _choice(f"{where} trigger", trigger, TRIGGERS)
        work = self._cycles(f"{where} work", work)
        self._check_fits(f"{where} work", work)
        cpu = self._cpu(f"{where} cpu", cpu)
        if channel is None:
            channel = len(self.sources)
        _whole(f"{where} channel", channel, 0, table.SCENARIO_MAX_SOURCES - 1)
        if any(s.channel == channel for s in self.sources):
            raise ScenarioError(f"{where}: channel {channel} is taken by another source (give channel= explicitly)")
        if spi is None:
            spi = table.FIRST_SPI + channel
        _whole(f"{where} spi", spi, 0)
        self._check_spi(where, spi)
        for other in self.sources:
            if other.spi == spi and (other.handler, other.cpu, other.work, other.trigger) != \
                    (handler, cpu, work, trigger):
                raise ScenarioError(f"{where}: shares SPI {spi} with channel {other.channel} but not its handler, cpu, "
                                    f"work and trigger (a shared line has one handler)")

        timing = self._source_timing(where, mode, channel, settings)
        src = IrqSource(channel, spi, mode, handler, work, cpu, trigger, tuple(timing),
                        mode == "random" and "seed" not in settings)
        self.sources.append(src)
        return src

    def _source_timing(self, where: str, mode: str, channel: int, s: dict) -> list:
        """The mode's settings as (key, cycles) pairs, checked as the simulator checks them."""
        out = []

        def get(key, required=False, lo=0, why=""):
            if key not in s:
                if required:
                    raise ScenarioError(f"{where}: mode={mode} needs {key}={why}")
                return None
            value = self._cycles(f"{where} {key}", s[key], lo, U64_MAX if key in ("start", "at") else U32_MAX)
            out.append((key, value))
            return value

        if mode == "oneshot":
            if "start" in s:
                raise ScenarioError(f"{where}: a one-shot source takes at= (the cycle of its event), not start=")
            get("at", True, why=" (the cycle of the event)")
        elif get("start") is None and self.warmup:
            out.append(("start", self.warmup))
        if mode == "periodic":
            get("period", True, 1, why=" (cycles between events, >= 1)")
            get("phase")
        elif mode == "burst":
            if "count" not in s:
                raise ScenarioError(f"{where}: mode=burst needs count= (events per burst)")
            count = _whole(f"{where} count", s["count"], 1)
            out.append(("count", count))
            gap = get("gap", count > 1, 1, why=" (cycles between the events of a burst)")
            every = get("every", True, 1, why=" (cycles between the starts of bursts)")
            span = (count - 1) * (gap or 0)
            if every <= span:
                raise ScenarioError(f"{where}: bursts overlap: every = {every} must exceed (count - 1) * gap = {span}")
        elif mode == "random":
            dist = _choice(f"{where} dist", s.get("dist", "exp"), DISTRIBUTIONS)
            out.append(("dist", dist))
            if dist == "exp":
                get("mean", True, 1, why=" (the mean gap, >= 1 cycle)")
            elif "mean" in s:
                raise ScenarioError(f"{where}: mean does not apply to dist=uniform (it takes min= and max=)")
            lo = get("min")
            hi = get("max", dist == "uniform", 1 if dist == "uniform" else 0, why=" (the largest gap, >= 1)")
            if lo is not None and hi and lo > hi:
                raise ScenarioError(f"{where}: min = {lo} > max = {hi}")
            seed = s.get("seed")
            if seed is None:
                seed = self.seed * SEED_STRIDE + channel
            out.append(("seed", _whole(f"{where} seed", seed, 0, U64_MAX)))
        if "limit" in s:
            limit = _whole(f"{where} limit", s["limit"], 0)
            if mode == "oneshot":
                raise ScenarioError(f"{where}: limit does not apply to mode=oneshot (it raises one event)")
            out.append(("limit", limit))
        return out

    def workload(self, cpu, phases: Sequence[Phase]) -> None:
        """Give CPU ``cpu`` (or each CPU of a list, or "all") its in-band workload: the phases run in order, each
        ``repeat`` times, over and over until the duration is reached."""
        cpus = list(range(self.platform.cpus)) if cpu == "all" else cpu if isinstance(cpu, (list, tuple)) else [cpu]
        if isinstance(phases, Phase):
            phases = [phases]
        try:
            phases = list(phases)  # any iterable, a generator too (it is read once, here)
        except TypeError:
            raise ScenarioError(f"workload phases = {phases!r}: a phase or a list of phases") from None
        for c in cpus:
            c = self._cpu("workload cpu", c)
            if c in self.workloads:
                raise ScenarioError(f"workload cpu = {c}: CPU {c} has a workload already")
            if not phases:
                raise ScenarioError(f"workload cpu = {c}: no phases (a CPU without a workload idles anyway)")
            if len(phases) > table.SCENARIO_MAX_PHASES_PER_CPU:
                raise ScenarioError(f"workload cpu = {c}: {len(phases)} phases; a CPU has at most "
                                    f"{table.SCENARIO_MAX_PHASES_PER_CPU} (use repeat=)")
            total = sum(len(p) for p in self.workloads.values()) + len(phases)
            if total > table.SCENARIO_MAX_PHASES:
                raise ScenarioError(f"workload cpu = {c}: {total} phases in all; the table holds at most "
                                    f"{table.SCENARIO_MAX_PHASES}")
            resolved = []
            for i, p in enumerate(phases):
                if not isinstance(p, Phase):
                    raise ScenarioError(f"workload cpu = {c}, phase {i} = {p!r}: not a phase (use oobsim.compute(), "
                                        f"irq_save(), irq_work(), run_oob_call(), xcall() or oob_ipi())")
                cycles = self._cycles(f"workload cpu = {c}, phase {i} ({p.kind}) cycles", p.cycles)
                self._check_fits(f"workload cpu = {c}, phase {i} ({p.kind}) cycles", cycles)
                if p.kind == "xcall" and p.target != "all":
                    self._cpu(f"workload cpu = {c}, phase {i} (xcall) target", p.target)
                if p.kind == "oob_ipi":
                    self._check_oob_ipi_targets(f"workload cpu = {c}, phase {i} (oob_ipi) targets", c, p.targets)
                resolved.append(Phase(p.kind, cycles, p.repeat, p.priority, p.target, p.targets))
            self.workloads[c] = resolved

    def _check_oob_ipi_targets(self, what: str, sender: int, targets: Any) -> None:
        if targets == "others" and self.platform.cpus == 1:
            raise ScenarioError(f"{what} = 'others': the platform has 1 CPU, CPU {sender} has no other to send to")
        if isinstance(targets, str):
            return
        for cpu in (targets,) if _is_int(targets) else targets:
            self._cpu(what, cpu)

    def responder(self, cpu: int = 0, period: Any = 100_000, work: Any = 0, prio: int = 50, **unknown) -> Responder:
        """Add a latmus-like responder on ``cpu`` (one per CPU): its GIC timer fires every ``period`` cycles and its
        oob handler wakes a thread of priority ``prio`` (1..99) that works ``work`` cycles."""
        _reject_unknown("responder", unknown, ("cpu", "period", "work", "prio"))
        cpu = self._cpu("responder cpu", cpu)
        if any(r.cpu == cpu for r in self.responders):
            raise ScenarioError(f"responder cpu = {cpu}: CPU {cpu} has a responder already (one per CPU)")
        r = Responder(cpu, self._cycles("responder period", period, 1), self._cycles("responder work", work),
                      _whole("responder prio", prio, table.OOB_PRIO_MIN, table.OOB_PRIO_MAX))
        if r.work >= r.period:
            raise ScenarioError(f"responder cpu = {cpu}: work = {r.work} must be below the period = {r.period} "
                                f"(the thread would never wait)")
        self.responders.append(r)
        return r

    # -- what the simulator and the firmware get ---------------------------------------------------------------------

    def validate(self) -> None:
        """The checks that involve several settings (the firmware makes them too): handler work and phase cycles
        no longer than the duration, every CPU, SPI and target within the platform. :meth:`table` calls it."""
        self._revalidate()
        for s in self.sources:
            self._check_fits(f"irq_source (channel {s.channel}) work", s.work)
        for cpu, phases in sorted(self.workloads.items()):
            for i, p in enumerate(phases):
                self._check_fits(f"workload cpu = {cpu}, phase {i} ({p.kind}) cycles", p.cycles)

    def irq_source_specs(self) -> list[str]:
        """The ``--irq-source`` strings of the sources, in channel order."""
        return [s.spec for s in sorted(self.sources, key=lambda s: s.channel)]

    def table(self) -> bytes:
        """The binary scenario table the firmware reads (oobsim.table)."""
        self.validate()
        plat = self.platform
        phases = []
        for cpu in sorted(self.workloads):
            for p in self.workloads[cpu]:
                flags = target = 0
                if p.kind == "xcall":
                    flags = table.SCENARIO_XCALL_HIGH if p.priority == "high" else 0
                    if p.target != "all":
                        flags |= table.SCENARIO_XCALL_UNICAST
                        target = p.target
                elif p.kind == "oob_ipi":
                    target = oob_ipi_mask(cpu, p.targets, plat.cpus)
                phases.append(table.PhaseRecord(cpu, table.PHASE_KINDS[p.kind], p.cycles, p.repeat, flags, target))
        return table.pack(cpus=plat.cpus, duration=self.duration, pipelined=plat.pipeline, spis=plat.spis,
                          seed=self.seed, sources=[s.record() for s in sorted(self.sources, key=lambda s: s.channel)],
                          responders=[r.record() for r in sorted(self.responders, key=lambda r: r.cpu)],
                          phases=phases)

    def default_max_cycles(self) -> int:
        """The cycle limit of a run: the duration plus room for the last phases to finish and CPU 0 to exit; a run
        that reaches it is reported as an error (the firmware should have exited)."""
        return self.duration * 2 + 1_000_000

    def replace(self, **changes) -> "Scenario":
        """A copy with name, platform, duration, seed or description changed (sources, workloads and responders are
        kept; cycle values given as times are not re-converted). ``pipeline=`` changes the platform's kernel."""
        import copy
        new = copy.deepcopy(self)
        if "pipeline" in changes:
            changes["platform"] = changes.get("platform", self.platform).replace(pipeline=changes.pop("pipeline"))
        if "warmup" in changes:
            raise ScenarioError("Scenario.replace: warmup applies to the sources as they are added; give it to "
                                "Scenario() instead")
        _reject_unknown("Scenario.replace", {k: v for k, v in changes.items() if k not in self._KEYS},
                        ("name", "platform", "pipeline", "duration", "seed", "description"))
        if "platform" in changes:
            plat = changes.pop("platform")
            if not isinstance(plat, Platform):
                raise ScenarioError(f"Scenario platform = {plat!r}: must be an oobsim.Platform")
            new.platform = plat
            new._revalidate()
        if "seed" in changes:
            new.seed = _whole("Scenario seed", changes.pop("seed"), 0, U32_MAX)
            new._reseed()
        if "duration" in changes:
            new.duration = cycles_of("Scenario duration", changes.pop("duration"), new.platform.clock_hz, 1, U32_MAX)
            if new.warmup >= new.duration:
                raise ScenarioError(f"Scenario duration = {new.duration}: must be above the warmup {new.warmup}")
        if "name" in changes:
            _check_name(changes["name"])
        if "description" in changes:
            _check_description(changes["description"])
        for k, v in changes.items():
            setattr(new, k, v)
        new.validate()
        return new

    def _reseed(self) -> None:
        """Give the random sources seeded from the scenario's seed the generator seed of the new scenario seed."""
        sources = []
        for src in self.sources:
            if src.derived_seed:
                seed = self.seed * SEED_STRIDE + src.channel
                timing = tuple((k, seed if k == "seed" else v) for k, v in src.timing)
                src = IrqSource(src.channel, src.spi, src.mode, src.handler, src.work, src.cpu, src.trigger, timing,
                                True)
            sources.append(src)
        self.sources = sources

    def _revalidate(self) -> None:
        """Check the sources, workloads and responders against a new platform."""
        for s in self.sources:
            self._cpu(f"irq_source (channel {s.channel}) cpu", s.cpu)
            self._check_spi(f"irq_source (channel {s.channel})", s.spi)
        for cpu, phases in self.workloads.items():
            self._cpu("workload cpu", cpu)
            for p in phases:
                if p.kind == "xcall" and p.target != "all":
                    self._cpu("xcall target", p.target)
                if p.kind == "oob_ipi":
                    self._check_oob_ipi_targets(f"workload cpu = {cpu}, oob_ipi targets", cpu, p.targets)
        for r in self.responders:
            self._cpu("responder cpu", r.cpu)

    def to_dict(self) -> dict:
        """Everything the scenario holds, as plain data (for JSON)."""
        return {
            "name": self.name, "description": self.description, "duration": self.duration, "seed": self.seed,
            "warmup": self.warmup,
            "platform": {k: getattr(self.platform, k) for k in Platform._KEYS},
            "irq_sources": [s.spec for s in self.sources],
            "sources": [{"channel": s.channel, "spi": s.spi, "mode": s.mode, "handler": s.handler, "work": s.work,
                         "cpu": s.cpu, "trigger": s.trigger} for s in self.sources],
            "workloads": {str(c): [{"kind": p.kind, "cycles": p.cycles, "repeat": p.repeat,
                                    **({"priority": p.priority, "target": p.target} if p.kind == "xcall" else {}),
                                    **({"targets": list(p.targets) if isinstance(p.targets, tuple) else p.targets}
                                       if p.kind == "oob_ipi" else {})}
                                   for p in ph] for c, ph in sorted(self.workloads.items())},
            "responders": [{"cpu": r.cpu, "period": r.period, "work": r.work, "prio": r.prio} for r in self.responders],
        }

    def run(self, vcd=None, perfetto=None, events=None, metrics=None, histogram=None, progress=None,
            max_cycles: int | None = None, timeout: float | None = None, **unknown):
        """Run the scenario in a child process and return its :class:`oobsim.Result`; see :func:`oobsim.run`."""
        _reject_unknown("Scenario.run", unknown, ("vcd", "perfetto", "events", "metrics", "histogram", "progress",
                                                  "max_cycles", "timeout"))
        from .runner import run_scenario
        return run_scenario(self, vcd=vcd, perfetto=perfetto, events=events, metrics=metrics, histogram=histogram,
                            progress=progress, max_cycles=max_cycles, timeout=timeout)

    def __repr__(self):
        return (f"Scenario({self.name!r}, {self.platform!r}, duration={self.duration}, seed={self.seed}, "
                f"{len(self.sources)} sources, {len(self.workloads)} workloads, {len(self.responders)} responders)")
