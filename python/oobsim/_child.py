"""The child process of one run: ``python3 -m oobsim._child``.

SystemC elaborates once per process, so every run gets a fresh process. The parent (oobsim.runner) writes the request
as JSON on stdin: {"argv": [program, options...], "progress": bool}. The child answers on its original stdout, one
line per message: ``P <cycle>`` (progress), then exactly one ``R <json>`` (the dict of ``_core.run``) or
``E <json>`` ({"code", "message"}: the simulator refused the run, or the module could not be loaded). Anything the
simulator itself prints on stdout is moved to stderr, which the parent keeps for error messages.
"""

import json
import os
import signal
import sys


def main() -> int:
    # Ctrl-C reaches the whole process group: the simulator's loop does not look at Python's flag, so die at once.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(kind: str, payload) -> None:
        protocol.write(f"{kind} {payload if kind == 'P' else json.dumps(payload)}\n")
        protocol.flush()

    request = json.load(sys.stdin)
    try:
        from oobsim import _core
    except ImportError as e:
        from oobsim import paths
        send("E", {"code": -1, "message": f"cannot load the simulator module oobsim._core ({e}); build it with "
                                          f"`cmake --build {paths.build_dir()}` (looked in {paths.core_dir()})"})
        return 0
    progress = (lambda cycle: send("P", int(cycle))) if request.get("progress") else None
    try:
        result = _core.run(request["argv"], progress)
    except _core.SimError as e:
        send("E", {"code": int(getattr(e, "code", 108)), "message": str(getattr(e, "message", e))})
        return 0
    if progress is not None:  # the last word on progress is the end, however short the run was
        send("P", int(result["end_cycle"]))
    send("R", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
