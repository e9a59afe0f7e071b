"""Runs: one scenario in a child process (:func:`run_scenario`), many through an executor (:func:`sweep`)."""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import tempfile
import threading
import time
from typing import Callable, Iterable

from . import paths, table
from .errors import ScenarioError, SimulationError
from .progress import ProgressBar
from .result import CoreStats, Metrics, Result, metrics_table_of, parse_counters
from .scenario import Scenario

_OUTPUTS = ("vcd", "perfetto", "events", "metrics", "histogram")


def _output_path(kind: str, path) -> str | None:
    if path is None or path is False:
        return None
    if not isinstance(path, (str, os.PathLike)):
        raise ScenarioError(f"{kind} = {path!r}: must be a file path")
    path = os.path.abspath(os.fspath(path))
    parent = os.path.dirname(path)
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as e:
        raise ScenarioError(f"{kind} = {path!r}: cannot create its directory: {e.strerror}") from None
    return path


def _child_env() -> dict:
    env = dict(os.environ)
    python_dir = os.path.dirname(paths.PACKAGE_DIR)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (python_dir, env.get("PYTHONPATH")) if p)
    env["OOBSIM_BUILD_DIR"] = paths.build_dir()
    return env


# What the child's answer holds (python/oobsim/_child.py, _core.run in python/core_module.cpp).
_ANSWER_KEYS = ("exit_code", "outcome", "end_cycle", "host_seconds", "console", "report", "cores")


def _check_timeout(timeout) -> None:
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not timeout > 0):
        raise ScenarioError(f"timeout = {timeout!r}: must be a number of seconds > 0 (or None: no limit)")


def _protocol_error(what: str, errors: str) -> SimulationError:
    return SimulationError(-1, f"the simulation process {what}" + (f"; its stderr: {errors}" if errors else ""))


def run_argv(argv: list, progress: Callable[[int], None] | None = None, timeout: float | None = None) -> dict:
    """Run ``_core.run(argv)`` in a fresh child process; returns its dict (plus "wall_seconds"). Raises
    :class:`SimulationError` when the simulator refuses the run, the child cannot start, dies or answers garbage,
    or ``timeout`` seconds pass first."""
    _check_timeout(timeout)
    started = time.monotonic()
    request = json.dumps({"argv": [os.fspath(a) for a in argv], "progress": progress is not None})
    with tempfile.TemporaryFile() as stderr:
        python = paths.child_python()
        try:
            proc = subprocess.Popen([python, "-m", "oobsim._child"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=stderr, env=_child_env())
        except OSError as e:
            raise SimulationError(-1, f"cannot start the simulation process ({python}): {e.strerror or e} "
                                      f"(OOBSIM_PYTHON chooses the interpreter)") from None
        timer = None
        timed_out = threading.Event()
        if timeout is not None:
            def kill():
                timed_out.set()
                proc.kill()
            timer = threading.Timer(timeout, kill)
            timer.daemon = True
            timer.start()
        answer = None
        garbled = None
        try:
            try:
                proc.stdin.write(request.encode())
                proc.stdin.close()
            except BrokenPipeError:
                pass  # it died at once: its status and stderr say why, below
            for raw in proc.stdout:
                kind, _, payload = raw.decode("utf-8", "replace").rstrip("\n").partition(" ")
                try:
                    if kind == "P":
                        cycle = int(payload)
                        if progress is not None:
                            progress(cycle)
                    elif kind in ("R", "E"):
                        answer = (kind, json.loads(payload))
                    else:
                        raise ValueError(kind)
                except ValueError:
                    garbled = garbled or raw[:200].decode("utf-8", "replace").strip()
            proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            if timer is not None:
                timer.cancel()
            proc.stdout.close()
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace").strip()
    # An answer that came before the timer fired stands: the timeout only matters when it cut the run short.
    if answer is None and timed_out.is_set():
        raise SimulationError(-1, f"the run took longer than {timeout} s and was stopped")
    if garbled is not None:
        raise _protocol_error(f"sent a line that is not the protocol's: {garbled!r}", errors)
    if answer is None:
        raise _protocol_error(f"ended without an answer (status {proc.returncode})", errors)
    kind, data = answer
    if not isinstance(data, dict):
        raise _protocol_error(f"answered {data!r}, not a dict", errors)
    if kind == "E":
        code = data.get("code")
        raise SimulationError(code if isinstance(code, int) else -1, str(data.get("message", "(no message)")))
    missing = [k for k in _ANSWER_KEYS if k not in data]
    if missing:
        raise _protocol_error(f"answered without {', '.join(missing)}", errors)
    data["wall_seconds"] = time.monotonic() - started
    return data


def _make_progress(progress, total: int, label: str):
    """The callback given to the child: ``progress`` may be None, True (a progress bar on stderr when it is a
    terminal and the run lasts more than a second) or a callable(cycle, total_cycles)."""
    if progress is None or progress is False:
        return None, None
    if progress is True:
        bar = ProgressBar(total, label)
        return bar.update, bar
    if not callable(progress):
        raise ScenarioError(f"progress = {progress!r}: must be True (a progress bar), False/None, or a "
                            f"callable(cycle, total_cycles)")
    return (lambda cycle: progress(cycle, total)), None


def _firmware_failure(res: Result) -> str:
    lines = [l for l in res.console.splitlines() if l.startswith("scenario:") and ("bad table" in l or "fail" in l)]
    if res.outcome == "max_cycles":
        return (f"{res.message or 'the cycle limit was reached'}: the scenario did not reach its end (cycle "
                f"{res.duration}) in time; a CPU may be overloaded by its interrupts or its responder, or give run() a "
                f"larger max_cycles")
    if res.outcome != "exit":
        return res.message or res.outcome
    what = {90: "the scenario firmware rejected the table", 91: "the scenario firmware found no table",
            92: "a kernel call of the workload failed"}.get(res.exit_code, f"the firmware exited with {res.exit_code}")
    return what + (": " + "; ".join(lines) if lines else "")


def run_scenario(scenario: Scenario, vcd=None, perfetto=None, events=None, metrics=None, histogram=None,
                 progress=None, max_cycles: int | None = None, timeout: float | None = None) -> Result:
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"{scenario!r}: not an oobsim.Scenario")
    _check_timeout(timeout)
    outputs = {k: _output_path(k, v) for k, v in
               zip(_OUTPUTS, (vcd, perfetto, events, metrics, histogram))}
    if max_cycles is None:
        max_cycles = scenario.default_max_cycles()
    elif not isinstance(max_cycles, int) or isinstance(max_cycles, bool) or max_cycles < 1:
        raise ScenarioError(f"max_cycles = {max_cycles!r}: must be a whole number >= 1")
    table_bytes = scenario.table()
    specs = scenario.irq_source_specs()
    plat = scenario.platform
    elf = paths.firmware_elf(plat.pipeline)
    if not os.path.exists(elf):
        raise SimulationError(102, f"the scenario firmware {elf} is not built (cmake --build {paths.build_dir()})")
    with tempfile.TemporaryDirectory(prefix="oobsim-") as tmp:
        table_path = os.path.join(tmp, "scenario.table")
        with open(table_path, "wb") as f:
            f.write(table_bytes)
        metrics_file = outputs["metrics"] or os.path.join(tmp, "metrics.json")
        argv = [elf, *plat.options(), "--scenario-table", table_path, "--metrics", metrics_file,
                "--max-cycles", str(max_cycles),
                # The run_oob_call() phase marks its function, so that run_oob_call_overhead excludes the work.
                "--trace-hint", f"{table.SCENARIO_HINT_OOB_CALL_FN_BEGIN}=oob_call_fn_begin",
                "--trace-hint", f"{table.SCENARIO_HINT_OOB_CALL_FN_END}=oob_call_fn_end"]
        for spec in specs:
            argv += ["--irq-source", spec]
        for kind in ("vcd", "perfetto", "events", "histogram"):
            if outputs[kind]:
                argv += [f"--{kind}", outputs[kind]]
        callback, bar = _make_progress(progress, max(scenario.duration, 1), scenario.name)
        try:
            data = run_argv(argv, callback, timeout)
        finally:
            if bar is not None:
                bar.close()
        try:
            with open(metrics_file, encoding="utf-8") as f:
                metrics_data = json.load(f)
        except (OSError, ValueError):
            metrics_data = {}  # a run that failed early writes none
    res = Result(name=scenario.name, seed=scenario.seed, pipeline=plat.pipeline, duration=scenario.duration,
                 exit_code=data["exit_code"], outcome=data["outcome"], message=data.get("message", ""),
                 end_cycle=data["end_cycle"], host_seconds=data["host_seconds"], wall_seconds=data["wall_seconds"],
                 console=data["console"], report=data["report"], warnings=data.get("warnings", ""),
                 cores=[CoreStats(**c) for c in data["cores"]], counters=parse_counters(data["console"]),
                 vcd=outputs["vcd"], perfetto=outputs["perfetto"], events=outputs["events"],
                 metrics_path=outputs["metrics"], histogram=outputs["histogram"])
    res.metrics = Metrics(metrics_data, metrics_table_of(res.report))
    if res.exit_code != 0 or res.outcome != "exit":
        raise SimulationError(res.exit_code, _firmware_failure(res), res.console, res)
    return res


# ---- Many runs ------------------------------------------------------------------------------------------------------

def _sweep_task(scenario: Scenario, run_kwargs: dict) -> Result:
    """What a sweep submits to the executor: one run (itself in its own child process). Top level, so that process
    pools and Dask can pickle it."""
    return scenario.run(**run_kwargs)


def sweep(scenarios: Iterable[Scenario], executor: concurrent.futures.Executor | None = None, *,
          outdir=None, vcd: bool = False, perfetto: bool = False, events: bool = False,
          max_cycles: int | None = None, timeout: float | None = None) -> list:
    """Run many scenarios in parallel; returns their Results in the order given. The first failure raises (as
    ``future.result()`` does) once every run has finished.

    executor  any ``concurrent.futures.Executor``: a ProcessPoolExecutor, or a Dask ``distributed`` client's
              ``client.get_executor()`` for a cluster. Default: one worker per CPU of this machine; each run is its
              own child process, so the default pool's threads only wait on those processes.
    outdir    a directory for the traces asked for with vcd=/perfetto=/events=, and for the metrics JSON of each
              run, named <scenario name>-<seed>[-classic].<ext> (so scenario names need not be unique across seeds).
    """
    scenarios = list(scenarios)
    for i, sc in enumerate(scenarios):
        if not isinstance(sc, Scenario):
            raise ScenarioError(f"sweep: item {i} = {sc!r} is not an oobsim.Scenario")
    if (vcd or perfetto or events) and outdir is None:
        raise ScenarioError("sweep: vcd=, perfetto= and events= need outdir= (where the files go)")
    kwargs_list = []
    seen = set()
    for sc in scenarios:
        kw: dict = {"max_cycles": max_cycles, "timeout": timeout}
        if outdir is not None:
            stem = os.path.join(os.fspath(outdir), f"{sc.name}-{sc.seed}{'' if sc.platform.pipeline else '-classic'}")
            if stem in seen:
                raise ScenarioError(f"sweep: two runs would write {stem}.*: give the scenarios distinct names or seeds")
            seen.add(stem)
            kw["metrics"] = stem + ".metrics.json"
            if vcd:
                kw["vcd"] = stem + ".vcd"
            if perfetto:
                kw["perfetto"] = stem + ".perfetto.json"
            if events:
                kw["events"] = stem + ".events"
        kwargs_list.append(kw)
    own = executor is None
    if own:
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1))
    try:
        futures = [executor.submit(_sweep_task, sc, kw) for sc, kw in zip(scenarios, kwargs_list)]
        concurrent.futures.wait(futures)
        return [f.result() for f in futures]
    finally:
        if own:
            executor.shutdown(wait=True)
