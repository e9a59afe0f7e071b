"""The binary scenario table: how a :class:`oobsim.Scenario` reaches the scenario firmware.

The format is defined by ``firmware/include/oobsim/scenario_table.h`` (the firmware's side); this module mirrors its
constants (``tests/python/test_api.py`` parses the header's ``#define`` lines and checks them against the values
here) and packs already-validated records into the little-endian words the firmware reads. It checks every field
again as it packs, so a table this module writes always passes the firmware's own checks: an error here is a bug of
the caller, raised as :class:`oobsim.ScenarioError` with the field named.

Standard library only.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Sequence

from .errors import ScenarioError

# ---- Constants of scenario_table.h (checked against the header by the tests) ----------------------------------------
SCENARIO_TABLE_SYMBOL = "oobsim_scenario_table"
SCENARIO_MAGIC = 0x4E43534F  # "OSCN"
SCENARIO_VERSION = 1
SCENARIO_TABLE_MAX = 8192
SCENARIO_HEADER_SIZE = 64
SCENARIO_RECORD_SIZE = 32
SCENARIO_MAX_SOURCES = 32
SCENARIO_MAX_RESPONDERS = 8
SCENARIO_MAX_PHASES = 128
SCENARIO_MAX_PHASES_PER_CPU = 16
SCENARIO_MAX_CPUS = 8

SCENARIO_EXIT_BAD_TABLE = 90
SCENARIO_EXIT_NO_TABLE = 91
SCENARIO_EXIT_FAILED = 92

SCENARIO_HINT_OOB_CALL_FN_BEGIN = 250
SCENARIO_HINT_OOB_CALL_FN_END = 251

SCENARIO_F_PIPELINED = 0x1

SCENARIO_SRC_OOB = 0x1
SCENARIO_SRC_LEVEL = 0x2

SCENARIO_PHASE_COMPUTE = 1
SCENARIO_PHASE_IRQ_SAVE = 2
SCENARIO_PHASE_IRQ_WORK = 3
SCENARIO_PHASE_OOB_CALL = 4
SCENARIO_PHASE_XCALL = 5
SCENARIO_PHASE_OOB_IPI = 6
SCENARIO_PHASE_MAX = SCENARIO_PHASE_OOB_IPI

SCENARIO_XCALL_HIGH = 0x1
SCENARIO_XCALL_UNICAST = 0x2

# The GIC's first SPI (interrupt ID 32) and the largest SPI count it supports; the pipeline's hardware IRQs
# (pipeline/include/pipeline/config.h PIPELINE_NR_HW_IRQS) end below 992; responder priorities (OOB_PRIO_MIN/MAX).
FIRST_SPI = 32
MAX_SPIS = 988
PIPELINE_NR_HW_IRQS = 992
OOB_PRIO_MIN = 1
OOB_PRIO_MAX = 99
U32_MAX = 0xFFFFFFFF

# Phase kinds by the names the Python API uses.
PHASE_KINDS = {
    "compute": SCENARIO_PHASE_COMPUTE,
    "irq_save": SCENARIO_PHASE_IRQ_SAVE,
    "irq_work": SCENARIO_PHASE_IRQ_WORK,
    "run_oob_call": SCENARIO_PHASE_OOB_CALL,
    "xcall": SCENARIO_PHASE_XCALL,
    "oob_ipi": SCENARIO_PHASE_OOB_IPI,
}


@dataclass(frozen=True)
class SourceRecord:
    channel: int
    spi: int
    flags: int
    cpu: int
    work: int


@dataclass(frozen=True)
class ResponderRecord:
    cpu: int
    period: int
    work: int
    prio: int


@dataclass(frozen=True)
class PhaseRecord:
    cpu: int
    kind: int
    cycles: int
    repeat: int
    flags: int = 0
    target: int = 0   # xcall unicast: the target CPU; oob_ipi: the mask of target CPUs


def fnv1a32(data: bytes) -> int:
    """FNV-1a, 32 bits: the table's checksum."""
    h = 0x811C9DC5
    for byte in data:
        h ^= byte
        h = (h * 0x01000193) & U32_MAX
    return h


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ScenarioError(message)


def _u32(name: str, value: int) -> int:
    _check(isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= U32_MAX,
           f"{name} = {value!r}: must be a whole number from 0 to {U32_MAX}")
    return value


def pack(*, cpus: int, duration: int, pipelined: bool, spis: int, seed: int,
         sources: Sequence[SourceRecord] = (), responders: Sequence[ResponderRecord] = (),
         phases: Sequence[PhaseRecord] = ()) -> bytes:
    """The table's bytes: header, sources, responders, phases (in that order), checksum filled in."""
    _check(1 <= cpus <= SCENARIO_MAX_CPUS, f"cpus = {cpus}: the scenario firmware runs on 1 to {SCENARIO_MAX_CPUS} CPUs")
    _check(1 <= _u32("duration", duration), "duration = 0: a scenario must last at least 1 cycle")
    _check(0 <= spis <= MAX_SPIS, f"spis = {spis}: the GIC supports 0 to {MAX_SPIS} SPIs")
    _u32("seed", seed)
    _check(len(sources) <= SCENARIO_MAX_SOURCES,
           f"{len(sources)} IRQ sources: the table holds at most {SCENARIO_MAX_SOURCES}")
    _check(len(responders) <= SCENARIO_MAX_RESPONDERS,
           f"{len(responders)} responders: the table holds at most {SCENARIO_MAX_RESPONDERS}")
    _check(len(phases) <= SCENARIO_MAX_PHASES, f"{len(phases)} phases: the table holds at most {SCENARIO_MAX_PHASES}")

    body = bytearray()
    channels = set()
    by_spi: dict[int, SourceRecord] = {}
    for i, s in enumerate(sources):
        where = f"source {i}"
        _check(0 <= s.channel < SCENARIO_MAX_SOURCES and s.channel not in channels,
               f"{where}: channel {s.channel} is out of range or used twice")
        channels.add(s.channel)
        _check(FIRST_SPI <= s.spi < min(FIRST_SPI + spis, PIPELINE_NR_HW_IRQS),
               f"{where}: spi {s.spi} is outside {FIRST_SPI}..{min(FIRST_SPI + spis, PIPELINE_NR_HW_IRQS) - 1}")
        _check(_u32(f"{where} work", s.work) <= duration, f"{where}: work {s.work} is longer than the duration {duration}")
        _check(s.flags & ~(SCENARIO_SRC_OOB | SCENARIO_SRC_LEVEL) == 0, f"{where}: unknown flags {s.flags:#x}")
        _check(0 <= s.cpu < cpus, f"{where}: cpu {s.cpu} is not one of the {cpus} CPUs")
        other = by_spi.setdefault(s.spi, s)
        _check((other.flags, other.cpu, other.work) == (s.flags, s.cpu, s.work),
               f"{where}: shares SPI {s.spi} with channel {other.channel} but not its flags, cpu and work")
        body += struct.pack("<8I", s.channel, s.spi, s.flags, s.cpu, _u32(f"{where} work", s.work), 0, 0, 0)
    responder_cpus = set()
    for i, r in enumerate(responders):
        where = f"responder {i}"
        _check(0 <= r.cpu < cpus and r.cpu not in responder_cpus,
               f"{where}: cpu {r.cpu} is out of range or has a responder already")
        responder_cpus.add(r.cpu)
        _check(_u32(f"{where} period", r.period) > 0, f"{where}: period must be at least 1 cycle")
        _check(r.work < r.period, f"{where}: work {r.work} is not below the period {r.period}")
        _check(OOB_PRIO_MIN <= r.prio <= OOB_PRIO_MAX, f"{where}: prio {r.prio} is outside {OOB_PRIO_MIN}..{OOB_PRIO_MAX}")
        body += struct.pack("<8I", r.cpu, r.period, _u32(f"{where} work", r.work), r.prio, 0, 0, 0, 0)
    per_cpu = [0] * cpus
    for i, p in enumerate(phases):
        where = f"phase {i}"
        _check(0 <= p.cpu < cpus, f"{where}: cpu {p.cpu} is not one of the {cpus} CPUs")
        per_cpu[p.cpu] += 1
        _check(per_cpu[p.cpu] <= SCENARIO_MAX_PHASES_PER_CPU,
               f"{where}: CPU {p.cpu} has more than {SCENARIO_MAX_PHASES_PER_CPU} phases")
        _check(SCENARIO_PHASE_COMPUTE <= p.kind <= SCENARIO_PHASE_MAX, f"{where}: unknown kind {p.kind}")
        _check(_u32(f"{where} repeat", p.repeat) >= 1, f"{where}: repeat must be at least 1")
        _check(_u32(f"{where} cycles", p.cycles) <= duration, f"{where}: cycles {p.cycles} is longer than the duration {duration}")
        if p.kind == SCENARIO_PHASE_XCALL:
            _check(p.flags & ~(SCENARIO_XCALL_HIGH | SCENARIO_XCALL_UNICAST) == 0, f"{where}: unknown flags {p.flags:#x}")
            if p.flags & SCENARIO_XCALL_UNICAST:
                _check(0 <= p.target < cpus, f"{where}: xcall target {p.target} is not one of the {cpus} CPUs")
            else:
                _check(p.target == 0, f"{where}: a broadcast has no target")
        elif p.kind == SCENARIO_PHASE_OOB_IPI:
            _check(p.flags == 0, f"{where}: flags are for xcall phases only")
            _check(_u32(f"{where} target", p.target) != 0, f"{where}: oob_ipi target mask 0: no CPU to send to")
            _check(p.target >> cpus == 0,
                   f"{where}: oob_ipi target mask {p.target:#x} names CPUs beyond the {cpus} of the platform")
        else:
            _check(p.flags == 0 and p.target == 0, f"{where}: flags and target are for xcall phases only")
        body += struct.pack("<8I", p.cpu, p.kind, _u32(f"{where} cycles", p.cycles), p.repeat, p.flags, p.target, 0, 0)

    size = SCENARIO_HEADER_SIZE + len(body)
    _check(size <= SCENARIO_TABLE_MAX, f"the table would take {size} bytes; the firmware reserves {SCENARIO_TABLE_MAX}")
    header = struct.pack("<16I", SCENARIO_MAGIC, SCENARIO_VERSION, size, fnv1a32(bytes(body)), cpus, duration,
                         SCENARIO_F_PIPELINED if pipelined else 0, len(sources), len(responders), len(phases), spis,
                         seed, 0, 0, 0, 0)
    return header + bytes(body)


def unpack(data: bytes) -> dict:
    """The fields of a packed table (for tests and debugging); checks magic, version, size and checksum."""
    _check(len(data) >= SCENARIO_HEADER_SIZE, f"a table has at least {SCENARIO_HEADER_SIZE} bytes, not {len(data)}")
    words = struct.unpack_from("<16I", data)
    names = ("magic", "version", "size", "checksum", "cpus", "duration", "flags", "nr_sources", "nr_responders",
             "nr_phases", "spis", "seed")
    header = dict(zip(names, words))
    _check(header["magic"] == SCENARIO_MAGIC, f"bad magic {header['magic']:#x}")
    _check(header["version"] == SCENARIO_VERSION, f"unknown version {header['version']}")
    _check(header["size"] == len(data), f"size {header['size']} != {len(data)} bytes")
    _check(header["checksum"] == fnv1a32(data[SCENARIO_HEADER_SIZE:]), "bad checksum")
    records = [struct.unpack_from("<8I", data, off) for off in range(SCENARIO_HEADER_SIZE, len(data), SCENARIO_RECORD_SIZE)]
    ns, nr = header["nr_sources"], header["nr_responders"]
    header["sources"] = [SourceRecord(*r[:5]) for r in records[:ns]]
    header["responders"] = [ResponderRecord(*r[:4]) for r in records[ns:ns + nr]]
    header["phases"] = [PhaseRecord(*r[:6]) for r in records[ns + nr:]]
    return header
