"""Which build of the tracker's hot path is running: compiled by mypyc, or pure Python.

An install on a machine with a C compiler compiles the modules of :data:`HOT_PATH` with
mypyc (``build_backend/tinypier_backend.py`` decides, ``setup.py`` builds); without one,
the same modules run as plain Python. Both builds answer alike, the compiled one spends
less CPU per announce. ``tinypier --version`` names the build, and the tests assert the
build CI says it installed, since a miscompiled module raises no error by itself.

The build backend reads :data:`HOT_PATH` from this file by path, without importing the
package (its dependencies are not installed yet then): keep it free of imports beyond
the standard library.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util

HOT_PATH = (
    "protocol",
    "http",
    "swarm",
    "engine",
    "store",
    "creditlog",
    "registry",
    "rules",
    "accounting",
)
"""The modules of ``tinypier.tracker`` that every announce runs through."""

COMPILED = "compiled by mypyc"
PURE = "pure Python"


def compiled_modules() -> list[str]:
    """The hot-path modules that import from a compiled extension, not from source."""
    return [name for name in HOT_PATH if _is_extension(f"{__package__}.{name}")]


def _is_extension(module: str) -> bool:
    spec = importlib.util.find_spec(module)
    return spec is not None and isinstance(spec.loader, importlib.machinery.ExtensionFileLoader)


def tracker_build() -> str:
    """:data:`COMPILED`, :data:`PURE`, or which modules are compiled when only some are
    (a partial in-place build: worth noticing, since the rest runs at Python's speed)."""
    compiled = compiled_modules()
    if not compiled:
        return PURE
    if len(compiled) == len(HOT_PATH):
        return COMPILED
    return f"partly compiled ({', '.join(compiled)})"
