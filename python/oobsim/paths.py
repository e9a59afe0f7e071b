"""Where the built parts are: the extension module, the firmware ELFs and the ``oobsim`` binary.

The package runs from the source tree (python/oobsim); what CMake builds lives in the build tree: ``OOBSIM_BUILD_DIR``
(the CMake build directory, default ``<repo>/build``) holds ``python/oobsim/_core*.so``, ``firmware/scenario.elf``,
``firmware/scenario_classic.elf`` and the ``oobsim`` program.
"""

from __future__ import annotations

import os
import sys
import sysconfig

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(os.path.dirname(PACKAGE_DIR))


def build_dir() -> str:
    path = os.path.abspath(os.environ.get("OOBSIM_BUILD_DIR") or os.path.join(REPO_DIR, "build"))
    # Also accept the module's own directory (<build>/python/oobsim) for the variable.
    parent, name = os.path.split(path)
    if name == "oobsim" and os.path.basename(parent) == "python":
        return os.path.dirname(parent)
    return path


def core_dir() -> str:
    """The directory of the extension module ``oobsim._core``."""
    return os.path.join(build_dir(), "python", "oobsim")


def firmware_elf(pipelined: bool) -> str:
    return os.path.join(build_dir(), "firmware", "scenario.elf" if pipelined else "scenario_classic.elf")


def simulator_binary() -> str:
    return os.path.join(build_dir(), "oobsim")


def core_module_file() -> str | None:
    """The ``_core`` extension built for this interpreter, or None."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    path = os.path.join(core_dir(), "_core" + suffix)
    return path if os.path.exists(path) else None


def child_python() -> str:
    """The interpreter of child runs: OOBSIM_PYTHON, else this one if the extension was built for it, else Debian's
    /usr/bin/python3 (what CMake builds the extension for)."""
    chosen = os.environ.get("OOBSIM_PYTHON")
    if chosen:
        return chosen
    if core_module_file() or not os.path.exists("/usr/bin/python3"):
        return sys.executable
    return "/usr/bin/python3"
