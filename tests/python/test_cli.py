"""The `oobsim` command (python3 -m oobsim): every exit code, run with --json, check with JUnit, regress, compare, and
`run FILE.elf` handing over to the simulator's own command. Each case starts the command as a user would."""

import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import pytest

import oobsim
from oobsim import paths

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

_BUILT = bool(paths.core_module_file() and os.path.exists(paths.firmware_elf(True)))
# Run by hand without a build, these tests skip; under CTest (which sets OOBSIM_BUILD_DIR) a missing part is a failure.
if os.environ.get("OOBSIM_BUILD_DIR") and not _BUILT:
    pytest.fail(f"OOBSIM_BUILD_DIR={os.environ['OOBSIM_BUILD_DIR']} has no simulator module or scenario firmware "
                f"(looked for {paths.core_dir()}/_core*.so and {paths.firmware_elf(True)})", pytrace=False)
needs_build = pytest.mark.skipif(not _BUILT, reason="needs the built simulator module and scenario firmware")

SCENARIO = textwrap.dedent('''\
    """A small scenario for the CLI tests: an oob device interrupt on CPU 0 and a responder on CPU 1."""
    import oobsim

    def scenario(seed: int = 1) -> oobsim.Scenario:
        sc = oobsim.Scenario("cli-small", platform=oobsim.Platform(cpus=2), duration=400_000, seed=seed)
        sc.irq_source(spi=40, mode="periodic", period=10_000, handler="oob", work=100, cpu=0)
        sc.workload(0, [oobsim.irq_save(3_000), oobsim.compute(1_000)])
        sc.responder(cpu=1, period=20_000, work=100, prio=60)
        return sc
    ''')

PASSING = textwrap.dedent('''\
    [budgets]
    "irq_to_oob_handler.max" = "<= 2 us"
    "irq_to_oob_handler.count" = ">= 20"
    "counters.responder1.missed" = "== 0"
    ''')

FAILING = textwrap.dedent('''\
    [budgets]
    "irq_to_oob_handler.max" = "<= 100 cycles"
    "irq_to_oob_handler.count" = ">= 20"
    "xcall_issue_to_wait_return.p99" = "<= 1 us"
    ''')


def oobsim_cmd(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "python"))
    return subprocess.run([PYTHON, "-m", "oobsim", *map(str, args)], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


@pytest.fixture
def scen(tmp_path):
    (tmp_path / "small.py").write_text(SCENARIO)
    return tmp_path / "small.py"


def test_help_lists_the_commands_and_exit_codes():
    r = oobsim_cmd("--help")
    assert r.returncode == 0
    for text in ("run", "check", "regress", "compare", "0    success", "1    a budget was breached", "2    usage",
                 "3    scenario error", "4    simulation error"):
        assert text in r.stdout


@pytest.mark.parametrize("args", [(), ("frobnicate",), ("check",), ("regress", "dir", "-j", "many")])
def test_usage_errors_exit_2(args):
    r = oobsim_cmd(*args)
    assert r.returncode == 2, r.stderr
    assert "usage" in r.stderr


def test_scenario_errors_exit_3(tmp_path, scen):
    bad = tmp_path / "bad.py"
    bad.write_text('import oobsim\ndef scenario(seed=1):\n    return oobsim.Scenario("b", platform=oobsim.Platform(cpus=12))\n')
    r = oobsim_cmd("run", bad)
    assert r.returncode == 3
    assert "scenario error: " in r.stderr and "Platform cpus = 12: must be from 1 to 8" in r.stderr
    r = oobsim_cmd("run", tmp_path / "missing.py")
    assert r.returncode == 3 and "no such scenario file" in r.stderr
    (tmp_path / "small.toml").write_text('[budgets]\n"irq_to_oob_handler.p42" = "<= 5"\n')
    r = oobsim_cmd("check", scen)
    assert r.returncode == 3 and "expected METRIC.STAT" in r.stderr
    r = oobsim_cmd("regress", tmp_path, "-j", "0")
    assert r.returncode == 3 and "-j 0" in r.stderr


@needs_build
def test_simulation_error_exits_4(tmp_path):
    f = tmp_path / "refused.py"
    f.write_text('import oobsim\ndef scenario(seed=1):\n    return oobsim.Scenario("r", '
                 'platform=oobsim.Platform(cpus=1, timing={"base_cpi": 0}), duration=200_000)\n')
    r = oobsim_cmd("run", f)
    assert r.returncode == 4
    assert "simulation error: timing key 'base_cpi' = 0 is out of range" in r.stderr
    assert "(exit code 101)" in r.stderr


@needs_build
def test_run_prints_the_report_and_writes_json(tmp_path, scen):
    out = tmp_path / "out"
    r = oobsim_cmd("run", scen, "--json", out / "r.json", "--vcd", out / "r.vcd", "--seed", "3")
    assert r.returncode == 0, r.stderr
    assert "scenario-counters cpu=0" in r.stdout and "--- oobsim report ---" in r.stdout
    assert "latency metrics: cycles" in r.stdout
    assert f"vcd: {out / 'r.vcd'}" in r.stdout and os.path.getsize(out / "r.vcd") > 1000
    data = json.load(open(out / "r.json"))
    assert data["name"] == "cli-small" and data["seed"] == 3 and data["exit_code"] == 0
    assert data["metrics"]["metrics"]["irq_to_oob_handler"]["count"] >= data["counters"]["sources"][0]["handled"]
    assert data["counters"]["responders"][0]["missed"] == 0
    back = oobsim.Result.from_json(open(out / "r.json").read())
    assert back.metrics.table() in r.stdout and back.vcd == str(out / "r.vcd")


@needs_build
def test_run_elf_hands_over_to_the_simulator():
    demo = os.path.join(paths.build_dir(), "firmware", "demo.elf")
    r = oobsim_cmd("run", demo, "--cpus", "2", "--max-cycles", "1000")
    assert r.returncode == 105, r.stderr   # the simulator's own code for the cycle limit
    assert "--max-cycles 1000" in r.stderr
    r = oobsim_cmd("run", "/nonexistent/prog.elf")
    assert r.returncode == 102 and "cannot open file" in r.stderr


@needs_build
def test_check_passing_and_failing_with_junit(tmp_path, scen):
    (tmp_path / "small.toml").write_text(PASSING)
    r = oobsim_cmd("check", scen, "--junit", tmp_path / "pass.xml")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "budgets: 3 passed, 0 failed" in r.stdout
    root = ET.parse(tmp_path / "pass.xml").getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "0", "0")

    (tmp_path / "tight.toml").write_text(FAILING)
    r = oobsim_cmd("check", scen, "--budget", tmp_path / "tight.toml", "--junit", tmp_path / "fail.xml")
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    row = next(l for l in lines if "irq_to_oob_handler.max <= 100 cycles" in l)
    assert row.startswith("FAIL") and " cycles" in row
    assert next(l for l in lines if "irq_to_oob_handler.count" in l).startswith("PASS")
    assert any(l.startswith("NO DATA") and "xcall_issue_to_wait_return.p99" in l and "no samples" in l for l in lines)
    assert "budgets: 1 passed, 2 failed" in r.stdout
    suite = ET.parse(tmp_path / "fail.xml").getroot().find("testsuite")
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == ("cli-small", "3", "2")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    failure = cases["irq_to_oob_handler.max <= 100 cycles"].find("failure")
    assert failure.get("type") == "BudgetExceeded"
    assert failure.get("message").startswith("measured ") and "limit <= 100 cycles: breached (margin -" in \
        failure.get("message")
    assert cases["irq_to_oob_handler.count >= 20"].find("failure") is None
    assert cases["xcall_issue_to_wait_return.p99 <= 1 us"].find("failure").get("type") == "NoSamples"


@needs_build
def test_regress_runs_every_scenario_and_reports_the_worst(tmp_path):
    d = tmp_path / "suite"
    d.mkdir()
    (d / "a_pass.py").write_text(SCENARIO)
    (d / "a_pass.toml").write_text(PASSING)
    (d / "b_fail.py").write_text(SCENARIO.replace('"cli-small"', '"cli-fail"'))
    (d / "b_fail.toml").write_text(FAILING)
    (d / "c_nobudget.py").write_text(SCENARIO.replace('"cli-small"', '"cli-free"'))
    (d / "_helper.py").write_text("raise RuntimeError('not a scenario')\n")
    r = oobsim_cmd("regress", d, "-j", "2", "--junit", tmp_path / "r.xml")
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("PASS  cli-small") and "3/3 budgets" in lines[0]
    assert lines[1].startswith("FAIL  cli-fail") and "1/3 budgets" in lines[1]
    assert any(l.startswith("PASS  cli-free") and "0/0 budgets" in l for l in lines)
    assert "regress: 2 of 3 scenarios passed" in r.stdout
    root = ET.parse(tmp_path / "r.xml").getroot()
    assert [s.get("name") for s in root.findall("testsuite")] == ["cli-small", "cli-fail", "cli-free"]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "2", "0")

    (d / "d_broken.py").write_text("import oobsim\ndef scenario(seed=1):\n    return oobsim.Scenario('x', seed=-4)\n")
    r = oobsim_cmd("regress", d, "--junit", tmp_path / "r2.xml")
    assert r.returncode == 3   # the worst: a scenario error
    assert "ERROR d_broken" in r.stdout and "Scenario seed = -4" in r.stdout
    broken = ET.parse(tmp_path / "r2.xml").getroot().findall("testsuite")[-1]
    assert broken.get("errors") == "1" and "seed = -4" in broken.find("testcase/error").get("message")

    # A scenario that is only found wrong when it runs (its table fails validation) is that scenario's error; the
    # others still run.
    (d / "d_broken.py").write_text(SCENARIO.replace('"cli-small"', '"cli-late"').replace(
        "    return sc", "    sc.duration = 500  # shorter than its phases: refused when the table is made\n"
                         "    return sc"))
    r = oobsim_cmd("regress", d, "--junit", tmp_path / "r3.xml")
    assert r.returncode == 3, r.stdout + r.stderr
    assert "ERROR cli-late" in r.stdout and "scenario error: " in r.stdout and "longer than the duration 500" in r.stdout
    assert "regress: 2 of 4 scenarios passed" in r.stdout
    late = ET.parse(tmp_path / "r3.xml").getroot().findall("testsuite")[-1]
    assert late.find("testcase/error").get("type") == "ScenarioError"


@needs_build
def test_compare_prints_both_kernels_side_by_side(scen):
    r = oobsim_cmd("compare", scen)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "compare cli-small (%s): seed 1, 2 CPUs, 400000 cycles at 1000 MHz" % scen
    assert lines[1].startswith("pipelined: ended at cycle ") and "; classic: ended at cycle " in lines[1]
    assert lines[2].split() == ["metric", "(cycles)", "stat", "pipelined", "classic", "classic/pipelined"]
    rows = [l.split() for l in lines[3:]]
    assert rows[0][:2] == ["irq_to_handler", "(any"] and rows[0][3] == "count"
    # Both kernels handle the same interrupts; the classic one waits for the irq_save sections.
    assert rows[0][4] == rows[0][5]
    p99 = next(r for r in rows if r[0] == "p99")
    assert p99[-1].endswith("x") and float(p99[-1][:-1]) > 2
    names = [r[0] for r in rows if len(r) >= 4 and r[1] == "count"]
    assert "irq_to_oob_handler" in names and "irq_to_inband_handler" in names
    assert any(l.startswith("responder cpu1 (firmware)") for l in lines)
    # Every counter the firmware prints is in the work line, oob_ipi included.
    work = lines[-1]
    assert work.startswith("work done (pipelined/classic): compute ")
    assert [w.split()[0] for w in work.split(": ", 1)[1].split(", ")] == [
        "compute", "irq_save", "irq_work", "oob_call", "xcall", "irqs", "wakeups", "oob_ipi", "oob_ipis"]


@needs_build
def test_an_output_that_cannot_be_written_is_exit_3(tmp_path, scen):
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = oobsim_cmd("run", scen, "--json", blocker / "r.json")
    assert r.returncode == 3, r.stderr
    assert f"scenario error: --json {blocker / 'r.json'}: cannot write it: " in r.stderr
    assert "Traceback" not in r.stderr
    (tmp_path / "small.toml").write_text(PASSING)
    r = oobsim_cmd("check", scen, "--junit", blocker / "j.xml")
    assert r.returncode == 3 and f"--junit {blocker / 'j.xml'}: cannot write it" in r.stderr
    assert "budgets: 3 passed, 0 failed" in r.stdout   # the results were printed before
