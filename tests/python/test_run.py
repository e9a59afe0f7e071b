"""Real runs of the scenario firmware through oobsim._core in child processes: exact, reproducible metrics and
counters, trace files, progress, errors coming back from the child, and sweep() through a process pool.

Needs the build (build/python/oobsim/_core*.so, build/firmware/scenario*.elf; OOBSIM_BUILD_DIR selects another build
tree). The exact figures below are what the current firmware and timing model give; a change in either that moves them
is meant to be noticed here (update them from `oobsim run` of the same scenario, after checking the change is wanted).
"""

import concurrent.futures
import json
import os
import pickle

import pytest

import oobsim
from oobsim import paths, runner, table

_BUILT = bool(paths.core_module_file() and os.path.exists(paths.firmware_elf(True)))
# Run by hand without a build, these tests skip; under CTest (which sets OOBSIM_BUILD_DIR) a missing part is a failure.
if os.environ.get("OOBSIM_BUILD_DIR") and not _BUILT:
    pytest.fail(f"OOBSIM_BUILD_DIR={os.environ['OOBSIM_BUILD_DIR']} has no simulator module or scenario firmware "
                f"(looked for {paths.core_dir()}/_core*.so and {paths.firmware_elf(True)})", pytrace=False)
pytestmark = pytest.mark.skipif(not _BUILT, reason="needs the built simulator module and scenario firmware")


def exact_scenario(seed=5, pipeline=True):
    sc = oobsim.Scenario("exact", platform=oobsim.Platform(cpus=2, pipeline=pipeline), duration=400_000, seed=seed)
    sc.irq_source(spi=40, mode="periodic", period=10_000, handler="oob", work=100, cpu=0)
    sc.irq_source(spi=41, mode="random", mean=15_000, handler="inband", work=50, cpu=1)
    sc.workload(0, [oobsim.irq_save(3_000), oobsim.compute(1_000), oobsim.run_oob_call(200)])
    sc.workload(1, [oobsim.xcall(work=50, target=0, priority="high"), oobsim.compute(2_000)])
    sc.responder(cpu=1, period=20_000, work=100, prio=60)
    return sc


@pytest.fixture(scope="module")
def outdir(tmp_path_factory):
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def first(outdir):
    return exact_scenario().run(vcd=outdir / "a.vcd", perfetto=outdir / "a.json", events=outdir / "a.events",
                                metrics=outdir / "a.metrics.json")


def comparable(res):
    d = res.to_dict()
    for k in ("host_seconds", "wall_seconds", "vcd", "perfetto", "events", "metrics_path", "histogram", "report"):
        d.pop(k)
    return d


def test_exact_metrics_and_counters(first):
    r = first
    assert (r.exit_code, r.outcome, r.end_cycle) == (0, "exit", 424_828)
    assert [(c.cycles, c.instructions, c.sleep_cycles) for c in r.cores] == [(424_828, 257_638, 0),
                                                                             (424_817, 191_897, 96_757)]
    assert r.counters["cpus"] == [
        {"cpu": 0, "compute": 48, "irq_save": 48, "irq_work": 0, "oob_call": 47, "xcall": 0, "irqs": 31, "wakeups": 0,
         "oob_ipi": 0, "oob_ipis": 0},
        {"cpu": 1, "compute": 47, "irq_save": 0, "irq_work": 0, "oob_call": 0, "xcall": 48, "irqs": 27, "wakeups": 17,
         "oob_ipi": 0, "oob_ipis": 0}]
    assert r.counters["sources"] == [{"channel": 0, "spi": 40, "handled": 31, "count": 32, "overrun": 0},
                                     {"channel": 1, "spi": 41, "handled": 28, "count": 28, "overrun": 0}]
    assert r.counters["responders"] == [{"cpu": 1, "fired": 17, "wakeups": 17, "missed": 0, "latency_min": 921,
                                         "latency_max": 1388, "latency_sum": 17134}]
    assert r.counters["start"]["kernel"] == "pipelined" and r.counters["end_cycle"] == 423_521
    m = r.metrics
    assert (m.clock_hz, m.cycle_ps, m.end_cycle) == (1_000_000_000, 1000, 424_828)
    assert [m["run_oob_call_overhead"][s] for s in ("count", "min", "max")] == [47, 87, 87]
    oob = m["irq_to_oob_handler"]
    assert (oob.count, oob.min, oob.p50, oob.p99, oob.max, oob.max_at_cycle) == (48, 225, 226, 374, 374, 360_374)
    assert oob.ns["max"] == 374.0 and oob.max_from_cycle == 360_000
    wake = m["oob_responder_wakeup"]
    assert (wake.count, wake.min, wake.max) == (17, 849, 1031)
    assert m["xcall_issue_to_wait_return"].count == 48
    assert m["irq_logged_oob"].count == 0 and m["irq_logged_oob"].p99 is None
    # The table is the simulator's own, and the metrics JSON was kept where asked.
    assert r.metrics.table().startswith("latency metrics: cycles") and "irq_to_oob_handler" in r.metrics.table()
    assert r.metrics.table() in r.report
    assert json.load(open(r.metrics_path))["metrics"]["irq_to_oob_handler"]["count"] == 48
    # The package's list of metric names (which budgets are checked against) is the simulator's.
    assert tuple(json.load(open(r.metrics_path))["metrics"]) == oobsim.result.METRIC_NAMES


def oob_ipi_scenario(pipeline=True):
    sc = oobsim.Scenario("oob-ipi", platform=oobsim.Platform(cpus=4, pipeline=pipeline), duration=300_000)
    sc.workload(0, [oobsim.oob_ipi(200, targets="others"), oobsim.compute(1_000)])
    sc.workload(2, [oobsim.oob_ipi(work=100, targets=[0, 2]), oobsim.irq_save(1_000)])   # itself too
    return sc   # CPUs 1 and 3 idle: targets in WFI


@pytest.mark.parametrize("pipeline", [True, False])
def test_oob_ipi_fan_out(pipeline):
    r = oob_ipi_scenario(pipeline).run()
    c = r.counters["cpus"]
    sends = [cpu["oob_ipi"] for cpu in c]
    # CPU 0 sends to 1, 2, 3 and CPU 2 to 0 and 2, at the same time: one handler run per send on each target.
    assert [cpu["oob_ipis"] for cpu in c] == [sends[2], sends[0], sends[0] + sends[2], sends[0]]
    assert r.metrics["ipi_delivery_oob"].count == 3 * sends[0] + 2 * sends[2]
    assert r.metrics["sgi_delivery"].count == 3 * sends[0] + 2 * sends[2]
    delivery = r.metrics["ipi_delivery_oob"]
    if pipeline:
        assert (sends, c[0]["compute"], c[2]["irq_save"]) == ([99, 0, 98, 0], 98, 98)
        assert (delivery.min, delivery.max) == (186, 203)   # CPU 2's irq_save sections do not hold it
        assert r.metrics["oob_handler"].count == 3 * sends[0] + 2 * sends[2] + 2   # + the idle CPUs' timers
    else:
        assert (sends, c[0]["compute"], c[2]["irq_save"]) == ([88, 0, 87, 0], 87, 87)
        assert (delivery.min, delivery.max, delivery.max_cpu) == (144, 1031, 2)   # held by CPU 2's sections
        assert r.metrics["oob_handler"].count == 0


def test_trace_files_are_written(first, outdir):
    assert first.vcd == str(outdir / "a.vcd") and os.path.getsize(first.vcd) > 10_000
    assert json.load(open(first.perfetto))["traceEvents"]
    with open(first.events) as f:
        assert f.readline().startswith("# oobsim event log")


def test_same_seed_same_result_and_other_seed_differs(first):
    again = exact_scenario().run()
    assert comparable(again) == comparable(first)
    other = exact_scenario(seed=6).run()
    assert other.counters["sources"][1]["count"] != first.counters["sources"][1]["count"]
    assert other.counters["sources"][0] == first.counters["sources"][0]  # the periodic source draws nothing


def test_classic_kernel(first):
    r = exact_scenario(pipeline=False).run()
    assert not r.pipeline and r.counters["start"]["kernel"] == "classic"
    assert r.metrics["irq_to_oob_handler"].count == 0 and r.metrics["irq_to_inband_handler"].count > 0
    assert r.metrics["run_oob_call_overhead"].max == 9   # a plain call on the classic kernel


def test_result_json_round_trip(first):
    back = oobsim.Result.from_json(first.to_json())
    assert comparable(back) == comparable(first)
    assert back.metrics.table() == first.metrics.table()
    assert back.cores == first.cores


def test_progress_reports_cycles_and_ends_with_the_end():
    sc = oobsim.Scenario("long", platform=oobsim.Platform(cpus=1), duration=2_000_000)
    sc.workload(0, [oobsim.compute(10_000)])
    seen = []
    r = sc.run(progress=lambda cycle, total: seen.append((cycle, total)))
    # Reports along the way depend on host time; the last one, the end of the run, always comes.
    assert seen and seen[-1] == (r.end_cycle, 2_000_000)
    cycles = [c for c, _ in seen]
    assert cycles == sorted(cycles)


def test_simulator_refusal_comes_back_as_simulation_error():
    sc = oobsim.Scenario("x", platform=oobsim.Platform(cpus=1, timing={"base_cpi": 0}), duration=200_000)
    with pytest.raises(oobsim.SimulationError) as e:
        sc.run()
    assert e.value.code == 101 and "base_cpi" in e.value.message
    with pytest.raises(oobsim.SimulationError) as e:
        runner.run_argv([paths.firmware_elf(True), "--no-such-option"])
    assert e.value.code == 100 and "unknown option '--no-such-option'" in e.value.message


def test_firmware_rejecting_the_table(monkeypatch):
    sc = exact_scenario()
    good = sc.table()
    bad = good[:-4] + bytes([good[-4] ^ 1]) + good[-3:]   # a reserved word of the last record: checksum breaks
    monkeypatch.setattr(oobsim.Scenario, "table", lambda self: bad)
    with pytest.raises(oobsim.SimulationError) as e:
        sc.run()
    assert e.value.code == table.SCENARIO_EXIT_BAD_TABLE
    assert "the scenario firmware rejected the table: scenario: bad table: header: checksum" in e.value.message
    assert e.value.result is not None and e.value.result.exit_code == 90
    assert "scenario: bad table" in e.value.console


def test_a_scenario_that_never_ends_reaches_the_cycle_limit():
    sc = oobsim.Scenario("stuck", platform=oobsim.Platform(cpus=1), duration=200_000)
    sc.workload(0, [oobsim.compute(150_000)])
    with pytest.raises(oobsim.SimulationError) as e:
        sc.run(max_cycles=150_000)
    assert e.value.code == 105 and "--max-cycles 150000" in e.value.message


def test_results_and_errors_pickle(first):
    assert comparable(pickle.loads(pickle.dumps(first))) == comparable(first)
    err = pickle.loads(pickle.dumps(oobsim.SimulationError(105, "limit", "console")))
    assert (err.code, err.message, err.console) == (105, "limit", "console")


def test_sweep_with_a_process_pool(first, tmp_path):
    scenarios = [exact_scenario(seed=5), exact_scenario(seed=6), exact_scenario(seed=5, pipeline=False)]
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        results = oobsim.sweep(scenarios, executor=pool, outdir=tmp_path, vcd=True)
    assert [(r.seed, r.pipeline) for r in results] == [(5, True), (6, True), (5, False)]
    assert comparable(results[0]) == comparable(first)
    assert results[1].counters != first.counters
    assert sorted(os.listdir(tmp_path)) == ["exact-5-classic.metrics.json", "exact-5-classic.vcd",
                                            "exact-5.metrics.json", "exact-5.vcd", "exact-6.metrics.json",
                                            "exact-6.vcd"]


def test_sweep_default_executor_raises_the_first_failure():
    bad = oobsim.Scenario("bad", platform=oobsim.Platform(cpus=1, timing={"base_cpi": 0}), duration=200_000)
    with pytest.raises(oobsim.SimulationError, match="base_cpi"):
        oobsim.sweep([bad])


def test_timeout_stops_the_child():
    sc = oobsim.Scenario("endless", platform=oobsim.Platform(cpus=1), duration=4_000_000_000)
    sc.workload(0, [oobsim.compute(10_000)])
    with pytest.raises(oobsim.SimulationError, match=r"took longer than 0.3 s and was stopped") as e:
        sc.run(timeout=0.3)
    assert e.value.code == -1


def fake_child(tmp_path, monkeypatch, script):
    """Make the child process a shell script printing `script`'s lines, as a broken interpreter would."""
    fake = tmp_path / "fake-python"
    fake.write_text("#!/bin/sh\ncat > /dev/null\n" + script)
    fake.chmod(0o755)
    monkeypatch.setenv("OOBSIM_PYTHON", str(fake))


@pytest.mark.parametrize("script, message", [
    ("echo hello\n", r"sent a line that is not the protocol's: 'hello'"),
    ("echo 'R [1, 2]'\n", r"answered \[1, 2\], not a dict"),
    ("echo 'R {\"exit_code\": 0}'\n", r"answered without outcome, end_cycle, host_seconds, console, report, cores"),
    ("echo 'P many'\n", r"not the protocol's: 'P many'"),
    ("echo oops >&2\nexit 3\n", r"ended without an answer \(status 3\); its stderr: oops"),
])
def test_a_broken_child_is_a_simulation_error(tmp_path, monkeypatch, script, message):
    fake_child(tmp_path, monkeypatch, script)
    with pytest.raises(oobsim.SimulationError, match=message) as e:
        small_scenario().run()
    assert e.value.code == -1


def test_a_child_that_cannot_start_is_a_simulation_error(monkeypatch):
    monkeypatch.setenv("OOBSIM_PYTHON", "/nonexistent/python3")
    with pytest.raises(oobsim.SimulationError, match=r"cannot start the simulation process \(/nonexistent/python3\)"):
        small_scenario().run()


def small_scenario():
    sc = oobsim.Scenario("small", platform=oobsim.Platform(cpus=1), duration=200_000)
    sc.workload(0, [oobsim.compute(1_000)])
    return sc
