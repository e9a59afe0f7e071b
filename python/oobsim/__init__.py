"""oobsim: run interrupt-pipeline scenarios on the oobsim simulator from Python (docs/python.md).

    import oobsim
    plat = oobsim.Platform(cpus=4)
    sc = oobsim.Scenario("timer-latency", platform=plat, duration="2 ms", seed=1)
    sc.irq_source(spi=40, mode="periodic", period=10_000, handler="oob", work=200, cpu=1)
    sc.workload(0, [oobsim.compute(5_000), oobsim.irq_save(2_000, repeat=3)])
    sc.responder(cpu=0, period=20_000, work=100, prio=50)
    res = sc.run()
    print(res.metrics["irq_to_oob_handler"].p99, res.metrics.table())

Modules: scenario (Platform, Scenario, phases), table (the binary scenario table), runner (child-process runs,
sweep), result (Result, Metrics), budget (budget files), cli (the ``oobsim`` command), vcd (a VCD reader).
"""

import os as _os

from . import paths as _paths

# The extension module oobsim._core is built by CMake into the build tree, not next to these sources.
if _os.path.isdir(_paths.core_dir()) and _paths.core_dir() not in __path__:
    __path__.append(_paths.core_dir())

from .errors import ScenarioError, SimulationError  # noqa: E402
from .result import CoreStats, Metric, Metrics, Result  # noqa: E402
from .runner import sweep  # noqa: E402
from .scenario import (Phase, Platform, Scenario, compute, irq_save, irq_work, oob_ipi,  # noqa: E402
                       run_oob_call, xcall)

__all__ = ["Platform", "Scenario", "Phase", "compute", "irq_save", "irq_work", "run_oob_call", "xcall", "oob_ipi",
           "sweep",
           "Result", "Metrics", "Metric", "CoreStats", "ScenarioError", "SimulationError", "load_scenario_file", "run"]


def load_scenario_file(path, seed=None):
    """The Scenario of a scenario file (a Python file defining ``scenario(seed=1)``); see oobsim.scenario_file."""
    from .scenario_file import load
    return load(path, seed=seed)


def run(scenario, **kwargs):
    """Run a Scenario in a child process: the same as ``scenario.run(**kwargs)``."""
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"{scenario!r}: not an oobsim.Scenario")
    return scenario.run(**kwargs)
