"""The exceptions of the oobsim package."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario, platform, budget or scenario file is invalid. Raised before anything runs; the message names the
    key or field and the bad value."""


class SimulationError(RuntimeError):
    """The simulation did not run to the scenario's end.

    ``code`` is what ``oobsim run`` would exit with (100..108: the simulator's own errors, see ``oobsim --help``; 90..92:
    the scenario firmware rejected the table or a kernel call failed; other values: the firmware's exit code, or -1
    when the child process itself died), ``message`` the simulator's message, ``console`` the guest's output so far,
    ``result`` the :class:`oobsim.Result` of a run that ended (e.g. at the cycle limit), else None.
    """

    def __init__(self, code: int, message: str, console: str = "", result=None):
        super().__init__(f"{message} (exit code {code})" if message else f"exit code {code}")
        self.code = code
        self.message = message
        self.console = console
        self.result = result

    def __reduce__(self):  # picklable across process pools with its fields
        return (SimulationError, (self.code, self.message, self.console, self.result))
