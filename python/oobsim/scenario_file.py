"""Scenario files: a Python file with a module docstring (what the scenario shows, one paragraph) defining
``def scenario(seed: int = 1) -> oobsim.Scenario``. Its budget is the .toml file of the same stem next to it."""

from __future__ import annotations

import importlib.util
import inspect
import os
import traceback

from .errors import ScenarioError
from .scenario import Scenario


def budget_path(path) -> str:
    """Where the budget of a scenario file is: the same stem with .toml."""
    return os.path.splitext(os.fspath(path))[0] + ".toml"


def load_module(path):
    path = os.path.abspath(os.fspath(path))
    if not path.endswith(".py"):
        raise ScenarioError(f"{path}: a scenario file is a Python file (.py)")
    if not os.path.isfile(path):
        raise ScenarioError(f"{path}: no such scenario file")
    name = "oobsim_scenario_" + "".join(c if c.isalnum() else "_" for c in os.path.splitext(os.path.basename(path))[0])
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ScenarioError as e:
        raise ScenarioError(f"{path}: {e}") from None
    except Exception as e:  # a broken scenario file: say where, as Python would
        raise ScenarioError(f"{path}: cannot load it: {_where(e, path)}") from None
    if not callable(getattr(module, "scenario", None)):
        raise ScenarioError(f"{path}: defines no function scenario(seed=1) returning an oobsim.Scenario")
    return module


def _where(e: BaseException, path: str) -> str:
    frames = [f for f in traceback.extract_tb(e.__traceback__) if os.path.abspath(f.filename) == path]
    line = getattr(e, "lineno", None) if isinstance(e, SyntaxError) else (frames[-1].lineno if frames else None)
    return f"{type(e).__name__}: {e}" + (f" (line {line})" if line else "")


def load(path, seed: int | None = None) -> Scenario:
    """The Scenario of the file, made with ``seed`` (None: the function's default)."""
    path = os.path.abspath(os.fspath(path))
    module = load_module(path)
    try:
        params = inspect.signature(module.scenario).parameters
    except (TypeError, ValueError):
        params = {}
    if seed is not None and "seed" not in params:
        raise ScenarioError(f"{path}: scenario() takes no seed parameter, but a seed was given")
    try:
        sc = module.scenario() if seed is None else module.scenario(seed=seed)
    except ScenarioError as e:
        raise ScenarioError(f"{path}: {e}") from None
    except Exception as e:
        raise ScenarioError(f"{path}: scenario() failed: {_where(e, path)}") from None
    if not isinstance(sc, Scenario):
        raise ScenarioError(f"{path}: scenario() returned {type(sc).__name__}, not an oobsim.Scenario")
    if not sc.description and module.__doc__:
        sc.description = inspect.cleandoc(module.__doc__)
    return sc


def find(directory) -> list:
    """The scenario files of a directory, sorted: every .py file defining scenario() (files starting with _ are
    helpers and are skipped)."""
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ScenarioError(f"{directory}: not a directory")
    return [os.path.join(directory, f) for f in sorted(os.listdir(directory))
            if f.endswith(".py") and not f.startswith("_")]
