#!/usr/bin/python3
"""Tests of the scenario runtime firmware (firmware/scenario/, README.md there) on 4 simulated cores.

    scenario_fw_test.py OOBSIM SCENARIO_ELF SCENARIO_CLASSIC_ELF WORKDIR CASE

Each CASE writes scenario tables (firmware/include/oobsim/scenario_table.h) with struct, on its own, so that it can
also write every kind of broken table, runs build/oobsim on them and checks the exit code, the firmware's console
lines and the simulator's metrics (--metrics JSON). A failure prints what was expected and what came, and exits 1.
The table's constants, its checksum and the parser of the console lines are the Python package's (python/oobsim:
put python/ on PYTHONPATH, as CTest does).

Cases: phases, sources, responders, oob_ipi, bad_tables, no_table, equivalence.
"""

import json
import os
import struct
import subprocess
import sys

from oobsim.result import parse_counters
from oobsim.table import (SCENARIO_EXIT_BAD_TABLE as EXIT_BAD_TABLE, SCENARIO_EXIT_NO_TABLE as EXIT_NO_TABLE,
                          SCENARIO_F_PIPELINED as F_PIPELINED, SCENARIO_HEADER_SIZE as HEADER_SIZE,
                          SCENARIO_HINT_OOB_CALL_FN_BEGIN, SCENARIO_HINT_OOB_CALL_FN_END, SCENARIO_MAGIC as MAGIC,
                          SCENARIO_PHASE_COMPUTE as COMPUTE, SCENARIO_PHASE_IRQ_SAVE as IRQ_SAVE,
                          SCENARIO_PHASE_IRQ_WORK as IRQ_WORK, SCENARIO_PHASE_OOB_CALL as OOB_CALL,
                          SCENARIO_PHASE_OOB_IPI as OOB_IPI, SCENARIO_PHASE_XCALL as XCALL,
                          SCENARIO_RECORD_SIZE as RECORD_SIZE, SCENARIO_SRC_LEVEL as SRC_LEVEL,
                          SCENARIO_SRC_OOB as SRC_OOB, SCENARIO_VERSION as VERSION, SCENARIO_XCALL_HIGH as XCALL_HIGH,
                          SCENARIO_XCALL_UNICAST as XCALL_UNICAST, fnv1a32)

CPUS = 4
SPIS = 64  # the simulator's default
# A hang is a failure, not a timeout: every run stops far beyond the few million cycles a case needs.
MAX_CYCLES = ["--max-cycles", "50000000"]
FN_HINTS = ["--trace-hint", f"{SCENARIO_HINT_OOB_CALL_FN_BEGIN}=oob_call_fn_begin",
            "--trace-hint", f"{SCENARIO_HINT_OOB_CALL_FN_END}=oob_call_fn_end"]
HEADER_FIELDS = ("magic", "version", "size", "checksum", "cpus", "duration", "flags", "nr_sources", "nr_responders",
                 "nr_phases", "spis", "seed")
RECORD_WORDS = RECORD_SIZE // 4


def record(*words):
    return struct.pack(f"<{RECORD_WORDS}I", *(list(words) + [0] * (RECORD_WORDS - len(words))))


def source(channel, spi, flags, cpu, work, reserved=(0, 0, 0)):
    return record(channel, spi, flags, cpu, work, *reserved)


def responder(cpu, period, work, prio, reserved=(0, 0, 0, 0)):
    return record(cpu, period, work, prio, *reserved)


def phase(cpu, kind, cycles, repeat=1, flags=0, target=0, reserved=(0, 0)):
    return record(cpu, kind, cycles, repeat, flags, target, *reserved)


def table(duration, pipelined, sources=(), responders=(), phases=(), reserved=(0, 0, 0, 0), fix_checksum=True,
          **header):
    """The bytes of a table; header fields given as keywords override the computed ones."""
    body = b"".join(list(sources) + list(responders) + list(phases))
    h = dict(magic=MAGIC, version=VERSION, size=HEADER_SIZE + len(body), checksum=0, cpus=CPUS, duration=duration,
             flags=F_PIPELINED if pipelined else 0, nr_sources=len(sources), nr_responders=len(responders),
             nr_phases=len(phases), spis=SPIS, seed=0)
    h.update(header)
    if fix_checksum and "checksum" not in header:
        h["checksum"] = fnv1a32(body[:max(0, h["size"] - HEADER_SIZE)])
    return struct.pack("<16I", *([h[f] for f in HEADER_FIELDS] + list(reserved))) + body


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Run:
    """One simulator run: exit code, console lines, the parsed scenario lines and the metrics."""

    def __init__(self, env, elf, tbl, name, extra=(), metrics=True):
        self.name = name
        args = [env.oobsim, "run", elf, "--cpus", str(CPUS)] + MAX_CYCLES
        if tbl is not None:
            path = os.path.join(env.work, name + ".table")
            with open(path, "wb") as f:
                f.write(tbl)
            args += ["--scenario-table", path]
        self.metrics_path = os.path.join(env.work, name + ".metrics.json")
        if metrics:
            args += ["--metrics", self.metrics_path]
        args += list(extra)
        self.cmd = " ".join(args)
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        self.rc = p.returncode
        self.out = p.stdout
        self.lines = self.out.splitlines()
        self.metrics = None
        if metrics and self.rc == 0:
            with open(self.metrics_path) as f:
                self.metrics = json.load(f)["metrics"]
        parsed = parse_counters(self.out)
        # By CPU, without the cpu field.
        self.counters = {row["cpu"]: {k: v for k, v in row.items() if k != "cpu"} for row in parsed["cpus"]}
        self.sources, self.responders = parsed["sources"], parsed["responders"]
        # The start line's fields (kernel, cpus, ..., cycle: when the workload started), or None.
        self.start = parsed["start"] or None
        self.end = parsed["end_cycle"]

    def fail(self, what):
        raise Failure(f"{self.name}: {what}\n  command: {self.cmd}\n  output:\n    " + "\n    ".join(self.lines))

    def expect(self, cond, what):
        if not cond:
            self.fail(what)

    def expect_ok(self, duration):
        self.expect(self.rc == 0, f"exit code {self.rc}, expected 0")
        self.expect(self.start is not None and self.end is not None, "no start or end line")
        self.expect(len(self.counters) == CPUS, f"{len(self.counters)} scenario-counters lines, expected {CPUS}")
        # Every CPU checks the duration before each phase run: the end comes after it, by at most a phase and the
        # report.
        self.expect(duration <= self.end < duration + 100000, f"end cycle {self.end} vs duration {duration}")
        # The boot and the set-up (a few tens of thousands of cycles) come out of the duration.
        self.expect(0 < self.start["cycle"] < 100000, f"start cycle {self.start['cycle']}")

    @property
    def start_cycle(self):
        return self.start["cycle"]

    def metric(self, name):
        return self.metrics[name]["count"], self.metrics[name]["cycles"]


class Env:
    def __init__(self, oobsim, elf, elf_classic, work):
        self.oobsim, self.elfs, self.work = oobsim, {True: elf, False: elf_classic}, work
        os.makedirs(work, exist_ok=True)


def mode(pipelined):
    return "pipelined" if pipelined else "classic"


# ---- Valid scenarios ---------------------------------------------------------------------------------------------

def case_phases(env):
    """Every phase kind runs where the table puts it, as often as the duration allows, in table order, and feeds the
    metrics it should; a CPU without phases idles and still ends at the duration."""
    duration = 1_500_000
    phases = [phase(0, COMPUTE, 2000, repeat=2), phase(0, IRQ_SAVE, 1500),
              phase(1, IRQ_WORK, 1000), phase(1, OOB_CALL, 800),
              phase(2, XCALL, 300), phase(2, XCALL, 200, flags=XCALL_HIGH | XCALL_UNICAST, target=3)]
    for pipelined in (True, False):
        r = Run(env, env.elfs[pipelined], table(duration, pipelined, phases=phases), f"phases_{mode(pipelined)}",
                extra=FN_HINTS)
        r.expect_ok(duration)
        r.expect(r.start == dict(kernel=mode(pipelined), cpus=4, duration=duration, sources=0, responders=0, phases=6,
                                 cycle=r.start_cycle), f"start line {r.start!r}")
        c = {cpu: r.counters[cpu] for cpu in range(CPUS)}
        compute, irq_save = c[0]["compute"], c[0]["irq_save"]
        # Table order, each repeat times: C C S C C S ..., stopped before any run.
        r.expect(0 <= compute - 2 * irq_save <= 2, f"cpu 0: {compute} compute runs vs {irq_save} irq_save runs")
        # Most of the time from the start line to the end goes to the work itself; cpu 2's broadcasts take their
        # share.
        workload = r.end - r.start_cycle
        r.expect(0.5 * duration < compute * 2000 + irq_save * 1500 <= workload,
                 f"cpu 0: {compute} x 2000 + {irq_save} x 1500 cycles of work in {workload}")
        irq_work, oob_call = c[1]["irq_work"], c[1]["oob_call"]
        r.expect(irq_work - oob_call in (0, 1) and oob_call > 250, f"cpu 1: {irq_work} irq_work, {oob_call} oob_call")
        xcalls = c[2]["xcall"]
        r.expect(xcalls > 50, f"cpu 2: {xcalls} xcalls")
        for cpu, kinds in ((0, ("compute", "irq_save")), (1, ("irq_work", "oob_call")), (2, ("xcall",)), (3, ())):
            for kind in ("compute", "irq_save", "irq_work", "oob_call", "xcall", "irqs", "wakeups", "oob_ipi",
                         "oob_ipis"):
                if kind not in kinds:
                    r.expect(c[cpu][kind] == 0, f"cpu {cpu}: {kind}={c[cpu][kind]}, expected 0")

        # One sample per call, without fn's 800 cycles (the fn HINTs are named on the command line).
        count, cyc = r.metric("run_oob_call_overhead")
        r.expect(count == oob_call and cyc["max"] < 800, f"run_oob_call_overhead: {count} samples, {cyc}")
        # Broadcasts and unicasts alternate, the broadcast first: 3 remote starts per broadcast, 1 per unicast.
        broadcasts, unicasts = (xcalls + 1) // 2, xcalls // 2
        count, _ = r.metric("xcall_issue_to_wait_return")
        r.expect(count == xcalls, f"xcall_issue_to_wait_return: {count} samples for {xcalls} xcalls")
        count, _ = r.metric("xcall_issue_to_remote_start")
        r.expect(count == 3 * broadcasts + unicasts, f"xcall_issue_to_remote_start: {count} samples, expected "
                 f"{3 * broadcasts + unicasts}")
        count, cyc = r.metric("inband_stalled")
        if pipelined:
            # Every irq_save section is a stalled section of at least its 1500 cycles.
            r.expect(count >= irq_save and cyc["max"] >= 1500, f"inband_stalled: {count} samples, {cyc}")
        else:
            r.expect(count == 0, f"inband_stalled: {count} samples on the classic kernel")

    # Without the HINT names, the overhead metric counts fn's work too.
    r = Run(env, env.elfs[True], table(duration, True, phases=phases), "phases_unnamed_hints")
    r.expect_ok(duration)
    count, cyc = r.metric("run_oob_call_overhead")
    r.expect(count == r.counters[1]["oob_call"] and cyc["min"] >= 800, f"run_oob_call_overhead: {count}, {cyc}")


def case_sources(env):
    """Edge and level, oob and in-band, a shared SPI and a level burst: each handled on its CPU, every event seen,
    the right metric fed."""
    duration = 1_200_000
    # channel: (spi, flags, cpu, work, the simulator's --irq-source, events)
    specs = {
        0: (40, SRC_OOB, 1, 200, "mode=periodic,period=10000,phase=1000,start=200000,limit=50", 50),
        1: (41, 0, 2, 300, "mode=periodic,period=13000,phase=2000,start=200000,limit=40", 40),
        2: (42, SRC_OOB | SRC_LEVEL, 3, 100, "mode=periodic,period=17000,phase=3000,start=200000,limit=30,level", 30),
        3: (43, SRC_LEVEL, 0, 100, "mode=periodic,period=19000,phase=4000,start=200000,limit=20,level", 20),
        # Two channels on SPI 44, taking turns: every handler run sees one new event.
        4: (44, 0, 2, 150, "mode=periodic,period=20000,phase=500,start=200000,limit=25", 25),
        5: (44, 0, 2, 150, "mode=periodic,period=20000,phase=10500,start=200000,limit=25", 25),
        # Bursts of 3 events 5 cycles apart on a level line: the 2nd and 3rd find it high (overruns), one handler run.
        6: (45, SRC_LEVEL, 1, 100, "mode=burst,count=3,gap=5,every=100000,start=250000,limit=21,level", 21),
    }
    bursts = 7
    srcs = [source(ch, spi, flags, cpu, work) for ch, (spi, flags, cpu, work, _, _) in specs.items()]
    cli = []
    for ch, (spi, _, _, _, spec, _) in specs.items():
        cli += ["--irq-source", f"channel={ch},spi={spi},{spec}"]
    # Every CPU has a phase, so no idle timer adds PPI interrupts to the metrics.
    phases = [phase(cpu, COMPUTE, 3000) for cpu in range(CPUS)]
    for pipelined in (True, False):
        r = Run(env, env.elfs[pipelined], table(duration, pipelined, sources=srcs, phases=phases),
                f"sources_{mode(pipelined)}", extra=cli)
        r.expect_ok(duration)
        r.expect(len(r.sources) == len(specs), f"{len(r.sources)} scenario-source lines")
        irqs = [0] * CPUS
        for line, (ch, (spi, flags, cpu, _, _, events)) in zip(r.sources, specs.items()):
            overrun = 2 * bursts if ch == 6 else 0
            r.expect(line == dict(channel=ch, spi=spi, handled=events, count=events, overrun=overrun),
                     f"channel {ch}: {line}, expected {events} events handled, {overrun} overruns")
            irqs[cpu] += bursts if ch == 6 else events
        for cpu in range(CPUS):
            r.expect(r.counters[cpu]["irqs"] == irqs[cpu], f"cpu {cpu}: irqs={r.counters[cpu]['irqs']}, expected "
                     f"{irqs[cpu]}")
        oob_events = sum(s[5] for s in specs.values() if s[1] & SRC_OOB)
        inband_events = sum(s[5] for s in specs.values() if not s[1] & SRC_OOB) - 2 * bursts
        count_oob, _ = r.metric("irq_to_oob_handler")
        count_inband, _ = r.metric("irq_to_inband_handler")
        if pipelined:
            r.expect((count_oob, count_inband) == (oob_events, inband_events),
                     f"irq_to_oob_handler {count_oob}, irq_to_inband_handler {count_inband}: expected {oob_events}, "
                     f"{inband_events}")
        else:
            r.expect((count_oob, count_inband) == (0, oob_events + inband_events),
                     f"classic: irq_to_oob_handler {count_oob}, irq_to_inband_handler {count_inband}")


def case_responders(env):
    """latmus-like responders: every timer firing wakes the thread once; pipelined, the wake-up latency does not
    depend on in-band's irq_save sections; classic, it grows with them. An idle CPU's responder works too."""
    duration, period = 1_500_000, 20_000
    resps = [responder(0, period, 300, 50), responder(3, period, 300, 60)]
    phases = [phase(0, COMPUTE, 2000), phase(0, IRQ_SAVE, 5000), phase(1, COMPUTE, 3000), phase(2, COMPUTE, 3000)]
    latency = {}
    for pipelined in (True, False):
        r = Run(env, env.elfs[pipelined], table(duration, pipelined, responders=resps, phases=phases),
                f"responders_{mode(pipelined)}")
        r.expect_ok(duration)
        r.expect([x["cpu"] for x in r.responders] == [0, 3], "scenario-responder lines")
        for x in r.responders:
            # Grid points k * period from the first after the start line up to the duration.
            r.expect(x["fired"] == x["wakeups"] and x["missed"] == 0 and
                     (duration - r.start_cycle) // period - 1 <= x["wakeups"] <= duration // period,
                     f"cpu {x['cpu']}: {x}")
            r.expect(r.counters[x["cpu"]]["wakeups"] == x["wakeups"], f"cpu {x['cpu']}: counters vs responder line")
            r.expect(x["latency_min"] * x["wakeups"] <= x["latency_sum"] <= x["latency_max"] * x["wakeups"],
                     f"cpu {x['cpu']}: latency sum {x['latency_sum']} outside min/max")
        latency[pipelined] = r.responders[0]
        count, _ = r.metric("oob_responder_wakeup")
        wakeups = sum(x["wakeups"] for x in r.responders)
        if pipelined:
            r.expect(count == wakeups, f"oob_responder_wakeup: {count} samples for {wakeups} wake-ups")
            # The timer's handler runs on the oob stage inside the 5000-cycle sections: the same latency, to the
            # loop iteration, in and out of them.
            x = r.responders[0]
            r.expect(x["latency_max"] - x["latency_min"] <= 16, f"pipelined, cpu 0: latency {x}")
        else:
            r.expect(count == 0, f"oob_responder_wakeup: {count} samples on the classic kernel (no oob stage)")
            x = r.responders[0]
            r.expect(x["latency_max"] - x["latency_min"] >= 3000, f"classic, cpu 0: latency {x}")
    check(latency[False]["latency_max"] > latency[True]["latency_max"] + 3000,
          f"worst wake-up latency, classic {latency[False]} vs pipelined {latency[True]}")


def case_oob_ipi(env):
    """oob_ipi phases: two CPUs fan out at once to overlapping sets (one of them to itself too), to a CPU in irq_save
    sections and to an idle CPU. Every send gets exactly one handler run on each target and one ipi_delivery_oob
    sample, on both kernels; the sender waits for the handlers' work; pipelined the sections do not delay the IPI,
    classic they hold it."""
    duration = 800_000
    work = {0: 500, 1: 300}
    masks = {0: 0b1110, 1: 0b1111}          # cpu 0: the others; cpu 1: everybody, itself included
    compute = {0: 1000, 1: 700}
    phases = [phase(0, OOB_IPI, work[0], target=masks[0]), phase(0, COMPUTE, compute[0]),
              phase(1, OOB_IPI, work[1], target=masks[1]), phase(1, COMPUTE, compute[1]),
              phase(2, IRQ_SAVE, 2000)]  # cpu 3: no phases, idle in WFI
    for pipelined in (True, False):
        r = Run(env, env.elfs[pipelined], table(duration, pipelined, phases=phases), f"oob_ipi_{mode(pipelined)}")
        r.expect_ok(duration)
        c = r.counters
        sends = {cpu: c[cpu]["oob_ipi"] for cpu in range(CPUS)}
        r.expect(sends[2] == sends[3] == 0 and sends[0] > 150 and sends[1] > 150, f"oob_ipi phases: {sends}")
        for cpu in (0, 1):
            r.expect(c[cpu]["compute"] - sends[cpu] in (-1, 0), f"cpu {cpu}: {c[cpu]['compute']} compute runs vs "
                     f"{sends[cpu]} oob_ipi runs")
        # Exactly one handler run per send on each of its targets, even with both senders at it at once.
        for cpu in range(CPUS):
            expected = sum(n for s, n in sends.items() if s in masks and masks[s] >> cpu & 1)
            r.expect(c[cpu]["oob_ipis"] == expected, f"cpu {cpu}: oob_ipis={c[cpu]['oob_ipis']}, expected {expected}")
        targets = {s: bin(m).count("1") for s, m in masks.items()}
        samples = sum(sends[s] * targets[s] for s in masks)
        count, cyc = r.metric("ipi_delivery_oob")
        r.expect(count == samples, f"ipi_delivery_oob: {count} samples, expected {samples}")
        # The sender waits for its targets' work: a run of its phases lasts at least the work on top of the compute.
        workload = r.end - r.start_cycle
        for s in masks:
            busy = sends[s] * (compute[s] + work[s] + cyc["min"])
            r.expect(busy <= workload, f"cpu {s}: {sends[s]} x ({compute[s]} + {work[s]} + {cyc['min']}) "
                     f"cycles of phases in {workload}")
        if pipelined:
            # The handler runs on the oob stage, inside cpu 2's sections too: every delivery is quick. The handler
            # runs are oob handler samples too (plus the idle cpu 3's timer at the duration).
            r.expect(cyc["max"] < 1000, f"ipi_delivery_oob: {cyc}")
            count, _ = r.metric("oob_handler")
            runs = sum(c[cpu]["oob_ipis"] for cpu in range(CPUS))
            r.expect(count == runs + 1, f"oob_handler: {count} samples for {runs} oob IPI handler runs + 1 timer")
        else:
            # cpu 2's 2000-cycle sections hold the IPI in the CPU until the restore.
            r.expect(r.metrics["ipi_delivery_oob"]["max_cpu"] == 2 and cyc["max"] >= 1000,
                     f"ipi_delivery_oob: {cyc}, worst on cpu {r.metrics['ipi_delivery_oob']['max_cpu']}")

    # Two CPUs sending back to back to one target with long handlers: one sender's IPI is always pending while the
    # target works for the other's. A handler run must release only its own sender: released by the other's run,
    # a sender would send again while its previous IPI is still pending, the GIC would merge the two, and the
    # target would run one handler for two sends. The target's runs are serial, so their work fits the workload.
    hold = 2000
    phases = [phase(0, OOB_IPI, hold, target=0b100), phase(1, OOB_IPI, hold, target=0b100), phase(3, COMPUTE, 1000)]
    for pipelined in (True, False):
        r = Run(env, env.elfs[pipelined], table(duration, pipelined, phases=phases), f"oob_ipi_one_target_"
                f"{mode(pipelined)}")
        r.expect_ok(duration)
        c = r.counters
        sends = c[0]["oob_ipi"] + c[1]["oob_ipi"]
        r.expect(min(c[0]["oob_ipi"], c[1]["oob_ipi"]) > 100, f"oob_ipi runs: {c[0]['oob_ipi']}, {c[1]['oob_ipi']}")
        r.expect([c[cpu]["oob_ipis"] for cpu in range(CPUS)] == [0, 0, sends, 0],
                 f"oob_ipis {[c[cpu]['oob_ipis'] for cpu in range(CPUS)]}, expected [0, 0, {sends}, 0]")
        r.expect(sends * hold <= r.end - r.start_cycle, f"{sends} handler runs of {hold} cycles on cpu 2 in "
                 f"{r.end - r.start_cycle}")
        count, _ = r.metric("ipi_delivery_oob")
        r.expect(count == sends, f"ipi_delivery_oob: {count} samples for {sends} sends")


# ---- Tables the firmware refuses ---------------------------------------------------------------------------------

def bad_cases():
    """(name, table bytes, extra simulator options, the expected message after 'scenario: bad table: ')."""
    d = 1_000_000
    ok_src = source(0, 32, 0, 0, 100)
    ok_resp = responder(0, 10000, 100, 50)
    ok_phase = phase(0, COMPUTE, 100)
    def t(**kw):
        return table(**{"duration": d, "pipelined": True, **kw})

    shared = ["--irq-source", "channel=1,spi=32,mode=oneshot,at=900000000"]
    cases = [
        ("magic", t(magic=0x12345678), [], 'header: magic 0x12345678 is not 0x4e43534f ("OSCN")'),
        ("version", t(version=2), [], "header: version 2, this firmware reads version 1"),
        ("size_small", t(size=60), [], "header: size 60 is not in [64, 8192]"),
        ("size_big", t(size=8196), [], "header: size 8196 is not in [64, 8192]"),
        ("nr_sources", t(nr_sources=33), [], "header: nr_sources 33 is above 32"),
        ("nr_responders", t(nr_responders=9), [], "header: nr_responders 9 is above 8"),
        ("nr_phases", t(nr_phases=129), [], "header: nr_phases 129 is above 128"),
        ("size_counts", t(phases=[ok_phase], nr_phases=2), [],
         "header: size 96, but 0 sources, 0 responders and 2 phases make 128 bytes"),
        ("checksum", t(phases=[ok_phase], checksum=0x1234), [],
         "header: checksum 0x00001234, but bytes [64, 96) hash to " + f"0x{fnv1a32(ok_phase):08x} (FNV-1a 32)"),
        # The file is shorter than its size says: the rest of the reserved area is zeros, and the checksum sees them.
        ("truncated", t(phases=[ok_phase, ok_phase])[:96], [],
         "header: checksum " + f"0x{fnv1a32(ok_phase * 2):08x}, but bytes [64, 128) hash to "
         f"0x{fnv1a32(ok_phase + bytes(32)):08x} (FNV-1a 32)"),
        ("header_reserved", t(reserved=(0, 0, 7, 0)), [], "header: reserved[2] is 0x00000007, not 0"),
        ("cpus", t(cpus=2), [], "header: cpus 2, but the platform has 4"),
        ("flags", t(flags=0x5), [], "header: flags 0x00000005 has unknown bits 0x00000004"),
        ("classic_table", table(d, False), [],
         "header: flags say the classic kernel, but this firmware is built for the pipelined kernel"),
        ("duration", t(duration=0), [], "header: duration 0"),
        ("spis", t(spis=65), [], "header: spis 65, but the GIC has 64 (GICD_TYPER)"),
        ("source_reserved", t(sources=[source(0, 32, 0, 0, 100, reserved=(0, 1, 0))]), [],
         "source 0: reserved[1] is 0x00000001, not 0"),
        ("source_channel", t(sources=[ok_src, source(32, 64, 0, 0, 100)], spis=64), [],
         "source 1: channel 32 is not below 32 (the IRQ-source device's channels, at most 32)"),
        ("source_channel_twice", t(sources=[ok_src, source(0, 32, 0, 1, 100)]), [],
         "source 1: channel 0 is already source 0's"),
        ("source_spi_low", t(sources=[source(0, 31, 0, 0, 100)]), [], "source 0: spi 31 is not in [32, 96)"),
        ("source_spi_high", t(sources=[source(0, 96, 0, 0, 100)]), [], "source 0: spi 96 is not in [32, 96)"),
        ("source_spi_wiring", t(sources=[source(0, 33, 0, 0, 100)]), [],
         "source 0: spi 33, but IRQ-source channel 0 drives SPI 32 (its SPI register)"),
        ("source_flags", t(sources=[source(0, 32, 4, 0, 100)]), [],
         "source 0: flags 0x00000004 has unknown bits 0x00000004"),
        ("source_cpu", t(sources=[source(0, 32, 0, 4, 100)]), [], "source 0: cpu 4 is not below cpus 4"),
        ("source_work", t(sources=[source(0, 32, 0, 0, d + 1)]), [],
         f"source 0: work {d + 1} is longer than the duration {d}"),
        ("shared_flags", t(sources=[ok_src, source(1, 32, SRC_OOB, 0, 100)]), shared,
         "source 1: shares spi 32 with source 0 but its flags 0x1 differ from 0x0"),
        ("shared_cpu", t(sources=[ok_src, source(1, 32, 0, 2, 100)]), shared,
         "source 1: shares spi 32 with source 0 but its cpu 2 differs from 0"),
        ("shared_work", t(sources=[ok_src, source(1, 32, 0, 0, 101)]), shared,
         "source 1: shares spi 32 with source 0 but its work 101 differs from 100"),
        ("responder_reserved", t(responders=[responder(0, 10000, 100, 50, reserved=(0, 0, 0, 9))]), [],
         "responder 0: reserved[3] is 0x00000009, not 0"),
        ("responder_cpu", t(responders=[responder(4, 10000, 100, 50)]), [],
         "responder 0: cpu 4 is not below cpus 4"),
        ("responder_twice", t(responders=[ok_resp, responder(1, 10000, 100, 50), responder(0, 5000, 10, 40)]), [],
         "responder 2: cpu 0 already has responder 0 (one per cpu)"),
        ("responder_period", t(responders=[responder(0, 0, 0, 50)]), [], "responder 0: period 0"),
        ("responder_work", t(responders=[responder(0, 1000, 1000, 50)]), [],
         "responder 0: work 1000 is not below the period 1000"),
        ("responder_prio_low", t(responders=[responder(0, 1000, 10, 0)]), [],
         "responder 0: prio 0 is not in [1, 99]"),
        ("responder_prio_high", t(responders=[responder(0, 1000, 10, 100)]), [],
         "responder 0: prio 100 is not in [1, 99]"),
        ("phase_reserved", t(phases=[phase(0, COMPUTE, 100, reserved=(3, 0))]), [],
         "phase 0: reserved[0] is 0x00000003, not 0"),
        ("phase_cpu", t(phases=[ok_phase, phase(4, COMPUTE, 100)]), [], "phase 1: cpu 4 is not below cpus 4"),
        ("phase_per_cpu", t(phases=[phase(1, COMPUTE, 100)] * 16 + [phase(2, COMPUTE, 100), phase(1, COMPUTE, 100)]),
         [], "phase 17: cpu 1 has more than 16 phases"),
        ("phase_kind_0", t(phases=[phase(0, 0, 100)]), [], "phase 0: kind 0 is not a phase kind (1..6)"),
        ("phase_kind_7", t(phases=[phase(0, 7, 100)]), [], "phase 0: kind 7 is not a phase kind (1..6)"),
        ("phase_cycles", t(phases=[phase(0, IRQ_SAVE, d + 1)]), [],
         f"phase 0: cycles {d + 1} is longer than the duration {d}"),
        ("phase_repeat", t(phases=[phase(0, COMPUTE, 100, repeat=0)]), [], "phase 0: repeat 0"),
        ("phase_flags", t(phases=[phase(0, OOB_CALL, 100, flags=XCALL_HIGH)]), [],
         "phase 0: flags 0x00000001 on a oob_call phase (only xcall phases take flags)"),
        ("phase_target", t(phases=[phase(0, IRQ_WORK, 100, target=2)]), [],
         "phase 0: target 2 on a irq_work phase (must be 0)"),
        ("xcall_flags", t(phases=[phase(0, XCALL, 100, flags=0x4)]), [],
         "phase 0: flags 0x00000004 has unknown bits 0x00000004"),
        ("xcall_target", t(phases=[phase(0, XCALL, 100, flags=XCALL_UNICAST, target=4)]), [],
         "phase 0: target 4 is not below cpus 4"),
        ("xcall_broadcast_target", t(phases=[phase(0, XCALL, 100, target=1)]), [],
         "phase 0: target 1 on a broadcast (must be 0)"),
        ("oob_ipi_flags", t(phases=[phase(0, OOB_IPI, 100, flags=XCALL_HIGH, target=0b10)]), [],
         "phase 0: flags 0x00000001 on a oob_ipi phase (only xcall phases take flags)"),
        ("oob_ipi_no_target", t(phases=[ok_phase, phase(1, OOB_IPI, 100)]), [],
         "phase 1: target 0 on a oob_ipi phase (a mask of the CPUs to send to, not empty)"),
        ("oob_ipi_target_cpus", t(phases=[phase(0, OOB_IPI, 100, target=0b110110)]), [],
         "phase 0: target 0x00000036 has CPUs 0x00000030 not below cpus 4"),
        ("oob_ipi_cycles", t(phases=[phase(0, OOB_IPI, d + 1, target=0b10)]), [],
         f"phase 0: cycles {d + 1} is longer than the duration {d}"),
    ]
    return cases


def case_bad_tables(env):
    """Every check of the table: exit 90 and the exact line naming the record and the field."""
    for name, tbl, extra, message in bad_cases():
        r = Run(env, env.elfs[True], tbl, "bad_" + name, extra=extra, metrics=False)
        expected = "scenario: bad table: " + message
        r.expect(r.rc == EXIT_BAD_TABLE, f"exit code {r.rc}, expected {EXIT_BAD_TABLE}")
        lines = [line for line in r.lines if line.startswith("scenario")]
        r.expect(lines == [expected], f"scenario lines {lines}, expected [{expected!r}]")
    # The classic firmware refuses a table written for the pipelined kernel.
    r = Run(env, env.elfs[False], table(1_000_000, True), "bad_pipelined_table_on_classic", metrics=False)
    r.expect(r.rc == EXIT_BAD_TABLE and "scenario: bad table: header: flags say the pipelined kernel, but this "
             "firmware is built for the classic kernel" in r.lines, f"exit code {r.rc}")


def case_no_table(env):
    """No --scenario-table, or a table of zeros (magic 0): exit 91, both kernels."""
    expected = "scenario: no table loaded (run it with oobsim run ... --scenario-table FILE)"
    for pipelined in (True, False):
        for name, tbl in (("none", None), ("zeros", bytes(64))):
            r = Run(env, env.elfs[pipelined], tbl, f"no_table_{name}_{mode(pipelined)}", metrics=False)
            lines = [line for line in r.lines if line.startswith("scenario")]
            r.expect(r.rc == EXIT_NO_TABLE and lines == [expected], f"exit code {r.rc}, lines {lines}")


def case_equivalence(env):
    """A scenario with every kind of record gives the same instruction trace and final state in the fast and the
    reference scheduling mode (tests/scripts/fast_vs_reference.sh), on both kernels."""
    duration = 300_000
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "fast_vs_reference.sh")
    srcs = [source(0, 32, SRC_OOB, 1, 100), source(1, 33, SRC_LEVEL, 2, 100)]
    cli = ["--irq-source", "channel=0,mode=periodic,period=7000,start=100000",
           "--irq-source", "channel=1,mode=random,mean=9000,seed=5,start=100000,level"]
    phases = [phase(0, COMPUTE, 1000), phase(0, IRQ_SAVE, 2000), phase(1, IRQ_WORK, 500), phase(1, OOB_CALL, 500),
              phase(1, OOB_IPI, 200, target=0b1011), phase(2, XCALL, 200),
              phase(2, XCALL, 200, flags=XCALL_HIGH | XCALL_UNICAST, target=1), phase(2, OOB_IPI, 100, target=0b1110)]
    resps = [responder(0, 15000, 200, 50), responder(3, 20000, 200, 50)]
    for pipelined in (True, False):
        path = os.path.join(env.work, f"equivalence_{mode(pipelined)}.table")
        with open(path, "wb") as f:
            f.write(table(duration, pipelined, sources=srcs, responders=resps, phases=phases))
        p = subprocess.run([script, env.oobsim, env.elfs[pipelined], os.path.join(env.work, "equivalence"),
                            "--cpus", str(CPUS), "--scenario-table", path] + MAX_CYCLES + cli,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
        check(p.returncode == 0, f"fast vs reference, {mode(pipelined)}:\n{p.stdout}")
        stem = os.path.join(env.work, "equivalence", os.path.basename(env.elfs[pipelined])[:-4] + ".fast")
        with open(stem + ".out") as f, open(stem + ".rc") as g:
            out, rc = f.read(), g.read().strip()
        check(rc == "0" and "scenario: end cycle=" in out,
              f"fast vs reference, {mode(pipelined)}: exit status {rc}:\n{out}")


CASES = {"phases": case_phases, "sources": case_sources, "responders": case_responders, "oob_ipi": case_oob_ipi,
         "bad_tables": case_bad_tables, "no_table": case_no_table, "equivalence": case_equivalence}


def main(argv):
    if len(argv) != 6 or argv[5] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    env = Env(*argv[1:5])
    try:
        CASES[argv[5]](env)
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    print(f"scenario_fw.{argv[5]}: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
