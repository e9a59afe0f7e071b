"""The oobsim package without running anything: building scenarios, validation errors, the scenario table (byte-exact,
and its constants against firmware/include/oobsim/scenario_table.h), budgets and their JUnit XML on synthetic
results, scenario files. Runs in well under a second."""

import os
import re
import struct
import subprocess
import xml.etree.ElementTree as ET

import pytest

import oobsim
from oobsim import budget, paths, scenario_file, table
from oobsim.result import Metrics, Result, counter_value, parse_counters

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEADER = os.path.join(REPO, "firmware", "include", "oobsim", "scenario_table.h")


def small():
    return oobsim.Scenario("small", platform=oobsim.Platform(cpus=2), duration=500_000, seed=7)


# ---- the table against the header ------------------------------------------------------------------------------------

def header_defines():
    defines = {}
    with open(HEADER) as f:
        for line in f:
            m = re.match(r"#define\s+(SCENARIO_\w+)\s+(\S+)", line)
            if m:
                value = m.group(2)
                defines[m.group(1)] = value.strip('"') if value.startswith('"') else int(value.rstrip("uU"), 0)
    enum = re.search(r"enum scenario_phase_kind \{(.*?)\};", open(HEADER).read(), re.S).group(1)
    for name, value in re.findall(r"(SCENARIO_PHASE_\w+)\s*=\s*(\w+)", enum):
        defines[name] = int(value) if value.isdigit() else defines[value]
    return defines


def test_every_header_constant_is_mirrored_with_its_value():
    defines = header_defines()
    assert len(defines) >= 25
    for name, value in defines.items():
        assert hasattr(table, name), f"table.py lacks {name}"
        assert getattr(table, name) == value, name


def test_record_layouts_match_the_header_structs():
    text = open(HEADER).read()
    for struct_name, size in (("scenario_header", table.SCENARIO_HEADER_SIZE),
                              ("scenario_source", table.SCENARIO_RECORD_SIZE),
                              ("scenario_responder", table.SCENARIO_RECORD_SIZE),
                              ("scenario_phase", table.SCENARIO_RECORD_SIZE)):
        body = re.search(r"struct %s \{(.*?)\};" % struct_name, text, re.S).group(1)
        words = 0
        for m in re.finditer(r"uint32_t\s+(\w+)(?:\[(\d+)\])?;", body):
            words += int(m.group(2) or 1)
        assert words * 4 == size, struct_name


def test_fnv1a_known_values():
    assert table.fnv1a32(b"") == 0x811C9DC5
    assert table.fnv1a32(b"a") == 0xE40C292C
    assert table.fnv1a32(b"foobar") == 0xBF9CF968


def test_table_bytes_exactly():
    sc = small()
    sc.irq_source(spi=40, mode="periodic", period=10_000, handler="oob", work=200, cpu=1, trigger="level")
    sc.irq_source(spi=41, mode="oneshot", at=150_000, handler="inband", work=5)
    sc.responder(cpu=0, period=20_000, work=100, prio=50)
    sc.workload(1, [oobsim.compute(5_000), oobsim.xcall(work=7, priority="high", target=0, repeat=2)])
    sc.workload(0, [oobsim.irq_save(2_000, repeat=3)])
    data = sc.table()
    records = [
        (0, 40, table.SCENARIO_SRC_OOB | table.SCENARIO_SRC_LEVEL, 1, 200, 0, 0, 0),
        (1, 41, 0, 0, 5, 0, 0, 0),
        (0, 20_000, 100, 50, 0, 0, 0, 0),
        (0, table.SCENARIO_PHASE_IRQ_SAVE, 2_000, 3, 0, 0, 0, 0),   # CPU order, then each CPU's phases in order
        (1, table.SCENARIO_PHASE_COMPUTE, 5_000, 1, 0, 0, 0, 0),
        (1, table.SCENARIO_PHASE_XCALL, 7, 2, table.SCENARIO_XCALL_HIGH | table.SCENARIO_XCALL_UNICAST, 0, 0, 0),
    ]
    body = b"".join(struct.pack("<8I", *r) for r in records)
    header = struct.pack("<16I", 0x4E43534F, 1, 64 + len(body), table.fnv1a32(body), 2, 500_000, 1, 2, 1, 3, 64, 7,
                         0, 0, 0, 0)
    assert data == header + body
    assert data[:4] == b"OSCN"
    back = table.unpack(data)
    assert back["nr_phases"] == 3 and back["phases"][2].flags == 3


def test_classic_table_clears_the_pipelined_flag_and_broadcast_has_no_target():
    sc = oobsim.Scenario("c", platform=oobsim.Platform(cpus=2, pipeline=False), duration=300_000)
    sc.workload(0, [oobsim.xcall(work=1)])
    t = table.unpack(sc.table())
    assert t["flags"] == 0
    assert t["phases"][0] == table.PhaseRecord(0, table.SCENARIO_PHASE_XCALL, 1, 1, 0, 0)


def test_oob_ipi_phases_and_their_bytes():
    sc = oobsim.Scenario("ipi", platform=oobsim.Platform(cpus=4), duration=500_000, seed=2)
    sc.workload(0, [oobsim.oob_ipi(300, targets="others"), oobsim.oob_ipi(work="0.5 us", targets="all", repeat=2)])
    sc.workload([1, 2], [oobsim.oob_ipi(targets=[3, 1])])
    sc.workload(3, [oobsim.oob_ipi(7, targets=3), oobsim.compute(10)])
    p = oobsim.oob_ipi(5, targets=[2, 0])
    assert (p.kind, p.cycles, p.repeat, p.targets) == ("oob_ipi", 5, 1, (0, 2))   # a list is kept as a sorted tuple
    records = [
        (0, table.SCENARIO_PHASE_OOB_IPI, 300, 1, 0, 0b1110, 0, 0),   # others of CPU 0
        (0, table.SCENARIO_PHASE_OOB_IPI, 500, 2, 0, 0b1111, 0, 0),   # all, the sender included; 0.5 us at 1 GHz
        (1, table.SCENARIO_PHASE_OOB_IPI, 0, 1, 0, 0b1010, 0, 0),     # a list: the same mask on each CPU
        (2, table.SCENARIO_PHASE_OOB_IPI, 0, 1, 0, 0b1010, 0, 0),
        (3, table.SCENARIO_PHASE_OOB_IPI, 7, 1, 0, 0b1000, 0, 0),     # one CPU: itself
        (3, table.SCENARIO_PHASE_COMPUTE, 10, 1, 0, 0, 0, 0),
    ]
    body = b"".join(struct.pack("<8I", *r) for r in records)
    header = struct.pack("<16I", 0x4E43534F, 1, 64 + len(body), table.fnv1a32(body), 4, 500_000, 1, 0, 0, 6, 64, 2,
                         0, 0, 0, 0)
    assert sc.table() == header + body
    assert table.SCENARIO_PHASE_OOB_IPI == 6 == table.SCENARIO_PHASE_MAX
    assert sc.to_dict()["workloads"]["0"][0] == {"kind": "oob_ipi", "cycles": 300, "repeat": 1, "targets": "others"}
    assert sc.to_dict()["workloads"]["1"][0]["targets"] == [1, 3]
    # "others" and "all" follow the platform the table is written for.
    wider = sc.replace(platform=oobsim.Platform(cpus=6))
    assert [r.target for r in table.unpack(wider.table())["phases"][:2]] == [0b111110, 0b111111]


def test_largest_table_fits_and_one_more_phase_does_not():
    sc = oobsim.Scenario("big", platform=oobsim.Platform(cpus=8), duration=1_000_000)
    for ch in range(32):
        sc.irq_source(mode="periodic", period=100_000, cpu=ch % 8)
    for cpu in range(8):
        sc.responder(cpu=cpu, period=50_000)
        sc.workload(cpu, [oobsim.compute(100)] * 16)
    assert len(sc.table()) == 64 + 32 * (32 + 8 + 128) <= table.SCENARIO_TABLE_MAX
    with pytest.raises(oobsim.ScenarioError, match="at most 16"):
        oobsim.Scenario("x", platform=oobsim.Platform(cpus=1)).workload(0, [oobsim.compute(1)] * 17)


def test_pack_checks_records_it_is_given():
    with pytest.raises(oobsim.ScenarioError, match="channel 3 is out of range or used twice"):
        table.pack(cpus=1, duration=10, pipelined=True, spis=64, seed=0,
                   sources=[table.SourceRecord(3, 40, 0, 0, 0), table.SourceRecord(3, 41, 0, 0, 0)])
    with pytest.raises(oobsim.ScenarioError, match="not below the period"):
        table.pack(cpus=1, duration=10, pipelined=True, spis=64, seed=0,
                   responders=[table.ResponderRecord(0, 5, 5, 1)])
    for record, message in [
        (table.PhaseRecord(0, table.SCENARIO_PHASE_OOB_IPI, 1, 1, 0, 0), r"phase 0: oob_ipi target mask 0: no CPU"),
        (table.PhaseRecord(0, table.SCENARIO_PHASE_OOB_IPI, 1, 1, 0, 0b100),
         r"phase 0: oob_ipi target mask 0x4 names CPUs beyond the 2 of the platform"),
        (table.PhaseRecord(0, table.SCENARIO_PHASE_OOB_IPI, 1, 1, 1, 0b1), r"phase 0: flags are for xcall phases"),
        (table.PhaseRecord(0, 7, 1, 1), r"phase 0: unknown kind 7"),
    ]:
        with pytest.raises(oobsim.ScenarioError, match=message):
            table.pack(cpus=2, duration=10, pipelined=True, spis=64, seed=0, phases=[record])


# ---- construction and the simulator's command line ---------------------------------------------------------------

def test_irq_source_specs_channels_and_derived_seeds():
    sc = oobsim.Scenario("s", platform=oobsim.Platform(cpus=4), duration="2 ms", seed=3)
    sc.irq_source(spi=40, mode="periodic", period=10_000, phase=0, handler="oob", work=200, cpu=1)
    sc.irq_source(spi=41, mode="random", dist="exp", mean=5_000, handler="inband", work=100)
    sc.irq_source(spi=42, mode="burst", count=4, gap=100, every=50_000, trigger="level", start=0)
    sc.irq_source(channel=9, spi=50, mode="random", dist="uniform", min=10, max="1 us", seed=99, limit=5)
    sc.irq_source(mode="oneshot", at="150 us")
    assert sc.irq_source_specs() == [
        "channel=0,mode=periodic,spi=40,edge,start=100000,period=10000,phase=0",
        "channel=1,mode=random,spi=41,edge,start=100000,dist=exp,mean=5000,seed=97",   # 3 * 32 + 1
        "channel=2,mode=burst,spi=42,level,start=0,count=4,gap=100,every=50000",
        "channel=4,mode=oneshot,spi=36,edge,at=150000",
        "channel=9,mode=random,spi=50,edge,start=100000,dist=uniform,min=10,max=1000,seed=99,limit=5",
    ]
    other = sc.replace(seed=4)
    assert other.irq_source_specs()[1].endswith("seed=129") and other.irq_source_specs()[4].endswith("seed=99,limit=5")
    assert sc.irq_source_specs()[1].endswith("seed=97")  # the original is unchanged


def test_platform_options_and_durations():
    plat = oobsim.Platform(cpus=3, clock_hz=500_000_000, timing={"gic_latency": 20, "mmio_latency": 5}, gic="rtl",
                           spis=100, mode="reference")
    assert plat.options() == ["--cpus", "3", "--spis", "100", "--timing", "clock_hz=500000000", "--timing",
                              "gic_latency=20", "--timing", "mmio_latency=5", "--gic", "rtl", "--mode", "reference"]
    sc = oobsim.Scenario("t", platform=plat, duration="2 ms")
    assert sc.duration == 1_000_000   # 2 ms at 500 MHz
    assert oobsim.Scenario("t", duration="1.5ms").duration == 1_500_000
    assert oobsim.Scenario("t", duration="250000 cycles").duration == 250_000
    assert plat.replace(pipeline=False).pipeline is False and plat.pipeline is True


def test_timing_keys_match_the_simulator():
    binary = paths.simulator_binary()
    if not os.path.exists(binary):
        pytest.skip("the simulator is not built")
    out = subprocess.run([binary, "timing"], capture_output=True, text=True, check=True).stdout
    keys = [line.split()[0] for line in out.splitlines()[1:] if line.strip()]
    assert tuple(keys) == oobsim.scenario.TIMING_KEYS


@pytest.mark.parametrize("make, message", [
    (lambda: oobsim.Platform(cpu=4), r"Platform: unknown keyword cpu \(accepted: cpus, clock_hz"),
    (lambda: oobsim.Platform(cpus=9), r"Platform cpus = 9: must be from 1 to 8"),
    (lambda: oobsim.Platform(cpus=0), r"Platform cpus = 0"),
    (lambda: oobsim.Platform(clock_hz=1000), r"clock_hz = 1000"),
    (lambda: oobsim.Platform(timing={"gic_latncy": 3}), r"unknown key 'gic_latncy'"),
    (lambda: oobsim.Platform(timing={"gic_latency": -1}), r"gic_latency = -1"),
    (lambda: oobsim.Platform(gic="verilog"), r"gic = 'verilog': must be one of tlm, rtl"),
    (lambda: oobsim.Platform(pipeline="yes"), r"pipeline = 'yes'"),
    (lambda: oobsim.Platform(spis=2000), r"spis = 2000"),
    (lambda: oobsim.Scenario("x", duration=-5), r"duration = -5"),
    (lambda: oobsim.Scenario("x", duration=2**32), r"duration = 4294967296"),
    (lambda: oobsim.Scenario("x", duration="2 parsecs"), r"unknown unit 'parsecs'"),
    (lambda: oobsim.Scenario("x", duration=50_000), r"warmup = 100000: must be below the duration"),
    (lambda: oobsim.Scenario("x", seed=-1), r"seed = -1"),
    (lambda: oobsim.Scenario("bad name"), r"name = 'bad name'"),
    (lambda: oobsim.Scenario("x", cpus=2), r"Scenario: unknown keyword cpus"),
    (lambda: oobsim.compute(-3), r"compute: cycles = -3"),
    (lambda: oobsim.irq_save(10, repeat=0), r"repeat = 0"),
    (lambda: oobsim.xcall(work=1, priority="urgent"), r"priority = 'urgent'"),
    (lambda: oobsim.xcall(cycles=5), r"xcall: unknown keyword cycles \(accepted: work, repeat, priority, target\)"),
    (lambda: oobsim.compute(10, times=2), r"compute: unknown keyword times"),
    (lambda: oobsim.oob_ipi(-1), r"oob_ipi: work = -1: must be at least 0"),
    (lambda: oobsim.oob_ipi(work=2.5), r"oob_ipi: work = 2.5: must be a whole number of cycles or a time"),
    (lambda: oobsim.oob_ipi(5, repeat=0), r"oob_ipi: repeat = 0"),
    (lambda: oobsim.oob_ipi(5, targets="everyone"), r"oob_ipi targets = 'everyone': must be \"all\", \"others\", a "
                                                     r"CPU index or a list of CPU indexes"),
    (lambda: oobsim.oob_ipi(5, targets=8), r"oob_ipi targets = 8: must be from 0 to 7"),
    (lambda: oobsim.oob_ipi(5, targets=[]), r"oob_ipi targets = \[\]: no CPU to send to"),
    (lambda: oobsim.oob_ipi(5, targets=[1, 1]), r"oob_ipi targets = \[1, 1\]: CPU 1 is listed twice"),
    (lambda: oobsim.oob_ipi(5, targets=[0, "1"]), r"oob_ipi targets = \[0, '1'\]: '1' is not a CPU index \(0 to 7\)"),
    (lambda: oobsim.oob_ipi(5, targets={1}), r"oob_ipi targets = \{1\}: must be"),
    (lambda: oobsim.oob_ipi(5, targets=True), r"oob_ipi targets = True: must be"),
    (lambda: oobsim.oob_ipi(cycles=5), r"oob_ipi: unknown keyword cycles \(accepted: work, repeat, targets\)"),
])
def test_validation_errors(make, message):
    with pytest.raises(oobsim.ScenarioError, match=message):
        make()


@pytest.mark.parametrize("build, message", [
    (lambda sc: sc.irq_source(spi=31, mode="periodic", period=5), r"spi = 31: out of range; the GIC has 64 SPIs \(IDs 32 to 95\)"),
    (lambda sc: sc.irq_source(spi=96, mode="periodic", period=5), r"spi = 96: out of range"),
    (lambda sc: sc.irq_source(mode="periodic", period=0), r"period = 0: must be at least 1"),
    (lambda sc: sc.irq_source(mode="periodic"), r"mode=periodic needs period="),
    (lambda sc: sc.irq_source(mode="periodic", period=5, mean=3), r"unknown keyword mean for mode=periodic \(mean belong to mode=random\)"),
    (lambda sc: sc.irq_source(mode="sometimes"), r"mode = 'sometimes'"),
    (lambda sc: sc.irq_source(mode="oneshot", start=5), r"takes at= \(the cycle of its event\), not start="),
    (lambda sc: sc.irq_source(mode="oneshot", at=5, limit=1), r"limit does not apply to mode=oneshot"),
    (lambda sc: sc.irq_source(mode="random", mean=0), r"mean = 0"),
    (lambda sc: sc.irq_source(mode="random", dist="uniform"), r"needs max="),
    (lambda sc: sc.irq_source(mode="random", dist="uniform", min=9, max=3), r"min = 9 > max = 3"),
    (lambda sc: sc.irq_source(mode="burst", count=4, gap=100, every=300), r"bursts overlap"),
    (lambda sc: sc.irq_source(mode="periodic", period=5, cpu=2), r"cpu = 2: the platform has 2 CPUs"),
    (lambda sc: sc.irq_source(mode="periodic", period=5, handler="fast"), r"handler = 'fast'"),
    (lambda sc: sc.irq_source(mode="periodic", period=5, trigger="rising"), r"trigger = 'rising'"),
    (lambda sc: sc.irq_source(mode="periodic", period=5, channel=32), r"channel = 32: must be from 0 to 31"),
    (lambda sc: sc.irq_source(mode="periodic", period=5, work=-1), r"work = -1"),
    (lambda sc: [sc.irq_source(mode="periodic", period=5, channel=1), sc.irq_source(mode="periodic", period=5)],
     r"channel 1 is taken"),
    (lambda sc: [sc.irq_source(spi=40, mode="periodic", period=5),
                 sc.irq_source(spi=40, mode="periodic", period=5, handler="inband")], r"shares SPI 40"),
    (lambda sc: sc.workload(2, [oobsim.compute(1)]), r"workload cpu = 2: the platform has 2 CPUs"),
    (lambda sc: sc.workload(0, [oobsim.xcall(target=5)]), r"target = 5: the platform has 2 CPUs"),
    (lambda sc: sc.workload(1, [oobsim.compute(1), oobsim.oob_ipi(targets=[0, 3])]),
     r"workload cpu = 1, phase 1 \(oob_ipi\) targets = 3: the platform has 2 CPUs \(0 to 1\)"),
    (lambda sc: sc.workload(0, [oobsim.oob_ipi(targets=2)]), r"phase 0 \(oob_ipi\) targets = 2: the platform has 2"),
    (lambda sc: sc.workload(0, [oobsim.oob_ipi(700_000)]), r"\(oob_ipi\) cycles = 700000: longer than the duration"),
    (lambda sc: sc.workload(0, [oobsim.compute(600_000)]), r"longer than the duration 500000"),
    (lambda sc: sc.workload(0, ["compute"]), r"not a phase"),
    (lambda sc: [sc.workload(0, [oobsim.compute(1)]), sc.workload(0, [oobsim.compute(1)])], r"has a workload already"),
    (lambda sc: [sc.responder(cpu=1), sc.responder(cpu=1)], r"CPU 1 has a responder already"),
    (lambda sc: sc.responder(cpu=0, period=100, work=100), r"work = 100 must be below the period = 100"),
    (lambda sc: sc.responder(cpu=0, prio=100), r"prio = 100: must be from 1 to 99"),
    (lambda sc: sc.responder(cpu=0, periodd=5), r"responder: unknown keyword periodd"),
    (lambda sc: sc.run(vcdd="x.vcd"), r"Scenario.run: unknown keyword vcdd"),
])
def test_scenario_validation_errors(build, message):
    with pytest.raises(oobsim.ScenarioError, match=message):
        build(small())


def test_oob_ipi_to_others_needs_another_cpu():
    sc = oobsim.Scenario("one", platform=oobsim.Platform(cpus=1), duration=500_000)
    with pytest.raises(oobsim.ScenarioError, match=r"workload cpu = 0, phase 0 \(oob_ipi\) targets = 'others': the "
                                                   r"platform has 1 CPU, CPU 0 has no other to send to"):
        sc.workload(0, [oobsim.oob_ipi(targets="others")])
    sc.workload(0, [oobsim.oob_ipi(targets="all")])   # itself: allowed
    assert table.unpack(sc.table())["phases"][0].target == 0b1
    wide = oobsim.Scenario("wide", platform=oobsim.Platform(cpus=4), duration=500_000)
    wide.workload(1, [oobsim.oob_ipi(targets=[0, 3])])
    with pytest.raises(oobsim.ScenarioError, match=r"workload cpu = 1, oob_ipi targets = 3: the platform has 2 CPUs"):
        wide.replace(platform=oobsim.Platform(cpus=2))


def test_no_spis_and_late_validation():
    sc = oobsim.Scenario("x", platform=oobsim.Platform(cpus=2, spis=0), duration=500_000)
    with pytest.raises(oobsim.ScenarioError, match=r"GIC has no SPIs"):
        sc.irq_source(mode="periodic", period=5)
    sc = small()
    sc.irq_source(mode="periodic", period=5, work=400_000)
    sc.workload(1, [oobsim.xcall(target=1)])
    with pytest.raises(oobsim.ScenarioError, match=r"work = 400000: longer than the duration 300000"):
        sc.replace(duration=300_000).table()
    with pytest.raises(oobsim.ScenarioError, match=r"^workload cpu = 1: the platform has 1 CPU \(0 to 0\)$"):
        sc.replace(platform=oobsim.Platform(cpus=1))


def test_sweep_refuses_what_is_not_a_scenario_before_running():
    with pytest.raises(oobsim.ScenarioError, match=r"item 1 = 'x' is not an oobsim.Scenario"):
        oobsim.sweep([small(), "x"])
    with pytest.raises(oobsim.ScenarioError, match=r"need outdir="):
        oobsim.sweep([small()], vcd=True)


# ---- results, counters, budgets (synthetic) ------------------------------------------------------------------------

CONSOLE = """scenario: start pipelined cpus=2 duration=500000 sources=2 responders=1 phases=1
scenario-counters cpu=0 compute=10 irq_save=3 irq_work=0 oob_call=0 xcall=0 irqs=7 wakeups=4 oob_ipi=5 oob_ipis=5
scenario-counters cpu=1 compute=0 irq_save=0 irq_work=0 oob_call=0 xcall=0 irqs=2 wakeups=0 oob_ipi=0 oob_ipis=6
scenario-source channel=0 spi=40 handled=5 count=6 overrun=1
scenario-source channel=1 spi=40 handled=2 count=2 overrun=0
scenario-responder cpu=0 fired=4 wakeups=4 missed=0 latency_min=900 latency_max=950 latency_sum=3700
scenario: end cycle=501234
"""


def synthetic_result():
    metrics = {"clock_hz": 500_000_000, "cycle_ps": 2000, "end_cycle": 501_300, "metrics": {
        "irq_to_oob_handler": {"definition": "d", "count": 3,
                               "cycles": {"min": 200, "mean": 300.0, "p50": 250, "p90": 450, "p99": 450,
                                          "p99.9": 450, "max": 450},
                               "ns": {"min": 400.0, "mean": 600.0, "p50": 500.0, "p90": 900.0, "p99": 900.0,
                                      "p99.9": 900.0, "max": 900.0},
                               "max_at_cycle": 1450, "max_from_cycle": 1000, "max_cpu": 0,
                               "histogram": [[200, 1], [250, 1], [450, 1]]},
        "xcall_issue_to_wait_return": {"definition": "d", "count": 0, "cycles": None, "ns": None,
                                       "max_at_cycle": None, "max_from_cycle": None, "max_cpu": None,
                                       "histogram": []}}}
    r = Result(name="syn", seed=1, console=CONSOLE, counters=parse_counters(CONSOLE), end_cycle=501_300)
    r.metrics = Metrics(metrics)
    return r


def test_metric_access_and_table():
    r = synthetic_result()
    m = r.metrics["irq_to_oob_handler"]
    assert (m.count, m.min, m.p50, m.p99, m["p99.9"], m.max, m.mean) == (3, 200, 250, 450, 450, 450, 300.0)
    assert m.ns["max"] == 900.0 and m.max_at_cycle == 1450
    assert r.metrics["xcall_issue_to_wait_return"].p99 is None
    with pytest.raises(KeyError, match="no such metric"):
        r.metrics["irq_to_oob"]
    lines = r.metrics.table().splitlines()
    assert lines[0] == "latency metrics: cycles (second line: ns at 500.000 MHz); docs/metrics.md"
    assert lines[2].split() == ["irq_to_oob_handler", "3", "200", "300.0", "250", "450", "450", "450", "450", "1450"]
    assert lines[4].split() == ["xcall_issue_to_wait_return", "0"] + ["-"] * 8
    back = Result.from_json(r.to_json())
    assert back.metrics["irq_to_oob_handler"].histogram == [(200, 1), (250, 1), (450, 1)]
    assert back.counters == r.counters


def test_counters():
    c = parse_counters(CONSOLE)
    assert c["start"]["kernel"] == "pipelined" and c["end_cycle"] == 501234
    assert counter_value(c, "cpu0.irqs") == 7
    assert counter_value(c, "spi40.count") == 8          # both channels of the shared line
    assert counter_value(c, "channel0.overrun") == 1
    assert counter_value(c, "responder0.latency_max") == 950
    assert counter_value(c, "all.irqs") == 9
    assert counter_value(c, "all.handled") == 7
    assert counter_value(c, "cpu0.oob_ipi") == 5 and counter_value(c, "cpu1.oob_ipis") == 6
    assert counter_value(c, "all.oob_ipis") == 11
    assert c["cpus"][1] == {"cpu": 1, "compute": 0, "irq_save": 0, "irq_work": 0, "oob_call": 0, "xcall": 0,
                            "irqs": 2, "wakeups": 0, "oob_ipi": 0, "oob_ipis": 6}
    # A line of the firmware before the two fields (they come last): the same fields, those two absent.
    old = parse_counters("scenario-counters cpu=2 compute=1 irq_save=0 irq_work=0 oob_call=0 xcall=0 irqs=0 wakeups=0")
    assert old["cpus"] == [{"cpu": 2, "compute": 1, "irq_save": 0, "irq_work": 0, "oob_call": 0, "xcall": 0,
                            "irqs": 0, "wakeups": 0}]
    with pytest.raises(KeyError, match="no counters for cpu 5"):
        counter_value(c, "cpu5.irqs")
    with pytest.raises(KeyError, match="cpu 0 has the counters compute, irq_save"):
        counter_value(c, "cpu0.bogus")


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_budget_parsing_and_errors(tmp_path):
    path = write(tmp_path, "b.toml", """
seed = 5
[budgets]
"irq_to_oob_handler.p99" = "<= 600 cycles"
"irq_to_oob_handler.max" = ["<= 1.2 us", "> 100 ns"]
"irq_to_oob_handler.count" = ">= 3"
"counters.cpu0.irqs" = "== 7"
[classic]
"irq_to_inband_handler.max" = ">= 1_000 cycles"
""")
    budgets, settings = budget.load(path)
    assert settings == {"seed": 5}
    assert [str(b) for b in budgets] == [
        "irq_to_oob_handler.p99 <= 600 cycles", "irq_to_oob_handler.max <= 1.2 us", "irq_to_oob_handler.max > 100 ns",
        "irq_to_oob_handler.count >= 3", "counters.cpu0.irqs == 7", "classic: irq_to_inband_handler.max >= 1000 cycles"]
    assert budget.runs_needed(budgets) == ["classic"]
    for text, message in [
        ('[budgets]\n"irq_to_oob_handler.p99" = "600"', r"expected OPERATOR NUMBER \[UNIT\]"),
        ('[budgets]\n"irq_to_oob_handler.p99" = 600', r"write the limit as a string"),
        ('[budgets]\n"irq_to_oob_handler.p98" = "<= 6"', r"expected METRIC.STAT"),
        ('[budgets]\n"irq_to_oob_handler.p99" = "<= 6 parsecs"', r"unknown unit 'parsecs'"),
        ('[budgets]\n"irq_to_oob_handler.count" = ">= 6 us"', r"a count takes no unit"),
        ('[budgets]\nirq_to_oob_handler.p99 = "<= 6"', r"quote dotted keys"),
        ('[budget]\n"a.max" = "<= 6"', r"unknown key budget"),
        ('seed = 1', r"no \[budgets\] table"),
        ('[budgets]\n"a.max" = "<= 6"\n"a.max" = "<= 7"', r"not valid TOML"),
        ('seed = -2\n[budgets]\n"a.max" = "<= 6"', r"seed = -2"),
        ('[budgets]\n"irq_to_oob_handlr.p99" = "<= 6"',
         r"'irq_to_oob_handlr.p99': no metric 'irq_to_oob_handlr' \(the metrics are irq_to_ack, irq_to_oob_handler"),
        ('[budgets]\n"counters.cpu0" = "== 1"', r"counters are named counters.cpuN.FIELD"),
    ]:
        with pytest.raises(oobsim.ScenarioError, match=message):
            budget.load(write(tmp_path, "bad.toml", text))
    with pytest.raises(oobsim.ScenarioError, match="no such budget file"):
        budget.load(str(tmp_path / "missing.toml"))
    # µs is the same unit as us, as in scenario times.
    (b,), _ = budget.load(write(tmp_path, "mu.toml", '[budgets]\n"oob_handler.max" = "<= 1.5 µs"'))
    assert (b.limit, b.unit) == (1.5, "µs")


def test_whole_number_bounds_say_which_one_is_broken():
    with pytest.raises(oobsim.ScenarioError, match=r"^Scenario seed = 4294967296: must be at most 4294967295 "):
        oobsim.Scenario("x", seed=1 << 32)
    with pytest.raises(oobsim.ScenarioError, match=r"^Scenario seed = -1: must be at least 0$"):
        oobsim.Scenario("x", seed=-1)
    with pytest.raises(oobsim.ScenarioError, match=r"^Platform cpus = 9: must be from 1 to 8$"):
        oobsim.Platform(cpus=9)


def test_workload_takes_any_iterable_and_refuses_other_things():
    sc = oobsim.Scenario("x", platform=oobsim.Platform(cpus=2), duration=500_000)
    sc.workload(0, (oobsim.compute(n) for n in (100, 200)))
    assert [p.cycles for p in sc.workloads[0]] == [100, 200]
    with pytest.raises(oobsim.ScenarioError, match=r"^workload phases = 7: a phase or a list of phases$"):
        sc.workload(1, 7)


def test_replace_checks_what_it_changes():
    sc = oobsim.Scenario("x", platform=oobsim.Platform(cpus=2), duration=500_000)
    with pytest.raises(oobsim.ScenarioError, match=r"Scenario name = 'a b': letters, digits"):
        sc.replace(name="a b")
    with pytest.raises(oobsim.ScenarioError, match=r"Scenario description = 3: must be a string"):
        sc.replace(description=3)
    with pytest.raises(oobsim.ScenarioError, match=r"unknown keyword colour"):
        sc.replace(colour="red")
    assert sc.replace(name="y", description="d").name == "y"


def test_irq_source_spec_follows_a_new_seed():
    sc = oobsim.Scenario("x", platform=oobsim.Platform(cpus=1), duration=500_000, seed=2)
    sc.irq_source(mode="random", mean=1000)
    sc.irq_source(mode="random", mean=1000, seed=9)
    stride = table.SCENARIO_MAX_SOURCES
    assert sc.irq_source_specs() == [f"channel=0,mode=random,spi=32,edge,start=100000,dist=exp,mean=1000,seed={2 * stride}",
                                     "channel=1,mode=random,spi=33,edge,start=100000,dist=exp,mean=1000,seed=9"]
    assert sc.replace(seed=3).irq_source_specs()[0].endswith(f",seed={3 * stride}")


def test_run_arguments_are_checked_before_anything_runs():
    sc = oobsim.Scenario("x", platform=oobsim.Platform(cpus=1), duration=500_000)
    for timeout in (0, -1, True, "5"):
        with pytest.raises(oobsim.ScenarioError, match=r"timeout = .*: must be a number of seconds > 0"):
            sc.run(timeout=timeout)
    with pytest.raises(oobsim.ScenarioError, match=r"progress = 'yes': must be True"):
        sc.run(progress="yes")


def test_budget_check_pass_fail_no_samples_and_junit(tmp_path):
    r = synthetic_result()
    budgets, _ = budget.load(write(tmp_path, "b.toml", """
[budgets]
"irq_to_oob_handler.p99" = "<= 600 cycles"
"irq_to_oob_handler.max" = "<= 0.8 us"
"irq_to_oob_handler.count" = ">= 3"
"counters.responder0.missed" = "== 0"
"xcall_issue_to_wait_return.p99" = "<= 1 us"
"counters.cpu1.irqs" = ">= 5"
"""))
    outcomes = budget.check(r, budgets)
    assert [o.passed for o in outcomes] == [True, False, True, True, False, False]
    assert outcomes[0].margin == 150
    assert outcomes[1].measured == 0.9 and outcomes[1].message == \
        "measured 0.9 us, limit <= 0.8 us: breached (margin -0.1 us)"
    assert outcomes[4].measured is None and outcomes[4].message.startswith("no samples")
    table_text = budget.format_outcomes(outcomes)
    assert re.search(r"FAIL\s+irq_to_oob_handler.max <= 0.8 us\s+0.9 us\s+-0.1 us \(-12%\)", table_text)
    assert re.search(r"NO DATA\s+xcall_issue_to_wait_return.p99 <= 1 us\s+no samples", table_text)
    xml = budget.junit_xml([budget.SuiteReport("syn", outcomes, 1.5, None, {"seed": 1}),
                            budget.SuiteReport("broken", [], 0.2, "simulation error: boom (exit code 105)")])
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "3", "1")
    syn, broken = root.findall("testsuite")
    cases = syn.findall("testcase")
    assert [c.get("name") for c in cases][:2] == ["irq_to_oob_handler.p99 <= 600 cycles",
                                                   "irq_to_oob_handler.max <= 0.8 us"]
    assert all(c.get("classname") == "oobsim.syn" for c in cases)
    assert cases[0].find("failure") is None
    assert cases[1].find("failure").get("message") == "measured 0.9 us, limit <= 0.8 us: breached (margin -0.1 us)"
    assert cases[1].find("failure").get("type") == "BudgetExceeded"
    assert cases[4].find("failure").get("type") == "NoSamples"
    assert syn.find("properties/property").attrib == {"name": "seed", "value": "1"}
    assert broken.find("testcase/error").get("message") == "simulation error: boom (exit code 105)"


# ---- scenario files -------------------------------------------------------------------------------------------------

def test_scenario_files(tmp_path):
    good = write(tmp_path, "good.py", '"""A paragraph."""\nimport oobsim\n\ndef scenario(seed=1):\n'
                                      '    return oobsim.Scenario("good", seed=seed)\n')
    sc = oobsim.load_scenario_file(good, seed=9)
    assert (sc.name, sc.seed, sc.description) == ("good", 9, "A paragraph.")
    assert scenario_file.budget_path(good) == str(tmp_path / "good.toml")
    for text, message in [
        ("x = 1\n", r"defines no function scenario"),
        ("def scenario(seed=1):\n    return 5\n", r"returned int, not an oobsim.Scenario"),
        ("def scenario(seed=1):\n    return undefined_name\n", r"scenario\(\) failed: NameError: .* \(line 2\)"),
        ("def scenario(seed=1)\n    pass\n", r"cannot load it: SyntaxError"),
        ("import oobsim\ndef scenario(seed=1):\n    return oobsim.Scenario('x', duration=-1)\n", r"duration = -1"),
    ]:
        with pytest.raises(oobsim.ScenarioError, match=message):
            oobsim.load_scenario_file(write(tmp_path, "bad.py", text))
    with pytest.raises(oobsim.ScenarioError, match="no such scenario file"):
        oobsim.load_scenario_file(str(tmp_path / "nope.py"))


def test_shipped_scenarios_load_with_a_paragraph_and_a_budget():
    files = scenario_file.find(os.path.join(REPO, "scenarios"))
    assert len(files) >= 7
    for f in files:
        sc = oobsim.load_scenario_file(f)
        assert len(sc.description) > 200, f
        budgets, _ = budget.load(scenario_file.budget_path(f))
        assert budgets, f
        sc.table()  # valid for the firmware


# ---- the progress bar -----------------------------------------------------------------------------------------------

class FakeStream:
    def __init__(self, tty):
        self.tty, self.text = tty, ""

    def isatty(self):
        return self.tty

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def test_progress_bar_only_on_a_terminal_and_after_the_delay():
    from oobsim.progress import ProgressBar
    tty = FakeStream(True)
    bar = ProgressBar(1000, "run", stream=tty, delay=0, width=10)
    bar.update(500)
    assert tty.text == "\rrun [#####.....]  50% 500/1000 cycles"
    bar.close()
    assert tty.text.endswith("\r\033[K")
    late = FakeStream(True)
    bar = ProgressBar(1000, "run", stream=late, delay=3600)
    bar.update(999)
    bar.close()
    assert late.text == ""   # a run shorter than the delay draws nothing
    log = FakeStream(False)
    bar = ProgressBar(1000, "run", stream=log, delay=0)
    bar.update(500)
    bar.close()
    assert log.text == ""    # not a terminal: nothing
