"""TinyPier's build backend: setuptools, plus the tracker's hot path compiled by mypyc
when the machine can compile it.

``TINYPIER_COMPILE`` chooses, at install time:

- ``auto`` (the default): a wheel (``pip install .``, ``pipx install .``) is compiled
  when a C compiler and Python's headers are present, and falls back to pure Python if
  compiling fails; an editable install (``pip install -e .``, for development) stays pure
  Python, so an edited module runs as edited;
- ``1``: compile, wheel or editable (an editable build puts the extensions beside the
  sources); a missing compiler or a failed compile fails the install;
- ``0``: pure Python.

mypy, which brings mypyc, is asked for as a build requirement only when compiling, so a
pure install downloads nothing more. An editable install that stays pure removes the
extensions a compiled editable build left in the tree, which would shadow the sources.
The modules compiled are ``HOT_PATH`` in ``tinypier/tracker/build.py``; ``setup.py`` calls
:func:`hot_path_extensions`.
"""

from __future__ import annotations

import os
import runpy
import shutil
import sys
import sysconfig
import traceback
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Any

from setuptools import build_meta
from setuptools.build_meta import (
    build_sdist,
    get_requires_for_build_sdist,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)

__all__ = [
    "build_editable",
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_editable",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "prepare_metadata_for_build_wheel",
]

SWITCH = "TINYPIER_COMPILE"  # tinypier/settings.py NOT_SETTINGS: not a setting of the board
CHOICES = ("auto", "0", "1")
MYPYC_REQUIREMENT = "mypy>=1.10"
TRACKER = Path("tinypier") / "tracker"
EXTENSION_GROUP = "tinypier_tracker"
MYPY_OPTIONS = [
    # Not the project's strict [tool.mypy]: its plugin and the packages the followed
    # imports need are not in the build environment. Only the compiled modules' own types
    # matter to mypyc, and `mypy` in the test command holds those to --strict.
    "--config-file=",
    "--ignore-missing-imports",
    "--follow-imports=silent",
]

Settings = dict[str, Any] | None


class _Plan:
    """Whether the build running in this process compiles (read by setup.py)."""

    compile = False


def _switch() -> str:
    value = os.environ.get(SWITCH, "auto").strip().lower() or "auto"
    if value not in CHOICES:
        raise SystemExit(f"{SWITCH} must be one of {', '.join(CHOICES)}, not {value!r}")
    return value


def python_headers() -> Path:
    return Path(sysconfig.get_paths()["include"]) / "Python.h"


def compiler_problem() -> str | None:
    """Why this machine cannot compile an extension module, or None if it can."""
    compiler = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    if shutil.which(compiler.split()[0]) is None:
        return f"no C compiler ({compiler.split()[0]}) on the PATH"
    headers = python_headers()
    if not headers.exists():
        return f"no Python headers ({headers}; Debian: python3-dev)"
    return None


def will_compile(editable: bool) -> bool:
    """Whether this build compiles: the switch, the kind of install and the machine."""
    switch = _switch()
    if switch == "auto":
        return not editable and compiler_problem() is None
    if switch == "1" and (problem := compiler_problem()):
        raise SystemExit(f"{SWITCH}=1 but this machine cannot compile: {problem}")
    return switch == "1"


def hot_path_extensions() -> list[Any]:
    """The mypyc extensions for setup.py, or none for a pure build."""
    if not _Plan.compile:
        return []
    from mypyc.build import mypycify

    modules = runpy.run_path(str(TRACKER / "build.py"))["HOT_PATH"]
    paths = [str(TRACKER / f"{module}.py") for module in modules]
    extensions: list[Any] = mypycify([*MYPY_OPTIONS, *paths], group_name=EXTENSION_GROUP)
    return extensions


def get_requires_for_build_wheel(config_settings: Settings = None) -> list[str]:
    extra = [MYPYC_REQUIREMENT] if will_compile(editable=False) else []
    return [*build_meta.get_requires_for_build_wheel(config_settings), *extra]


def get_requires_for_build_editable(config_settings: Settings = None) -> list[str]:
    extra = [MYPYC_REQUIREMENT] if will_compile(editable=True) else []
    return [*build_meta.get_requires_for_build_editable(config_settings), *extra]


def build_wheel(
    wheel_directory: str, config_settings: Settings = None, metadata_directory: str | None = None
) -> str:
    _Plan.compile = will_compile(editable=False)
    if not _Plan.compile:
        return build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)
    try:
        return build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)
    except (Exception, SystemExit):
        if _switch() == "1":
            raise
        traceback.print_exc()
        print("compiling the tracker failed; building pure Python instead", file=sys.stderr)
        _Plan.compile = False
        return build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(
    wheel_directory: str, config_settings: Settings = None, metadata_directory: str | None = None
) -> str:
    _Plan.compile = will_compile(editable=True)
    if not _Plan.compile:
        _remove_in_place_extensions()
    return build_meta.build_editable(wheel_directory, config_settings, metadata_directory)


def _remove_in_place_extensions() -> None:
    for suffix in EXTENSION_SUFFIXES:
        for extension in [*TRACKER.glob(f"*{suffix}"), *Path().glob(f"{EXTENSION_GROUP}*{suffix}")]:
            extension.unlink()
