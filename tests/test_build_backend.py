"""When an install compiles the tracker (build_backend/tinypier_backend.py): a machine
without a compiler and a development checkout get pure Python, an explicit request for
the compiled build on a machine that cannot make it fails saying why."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BACKEND = Path(__file__).parents[1] / "build_backend" / "tinypier_backend.py"


@pytest.fixture
def backend() -> ModuleType:
    """The backend, loaded from its file (it is not part of the installed package)."""
    spec = importlib.util.spec_from_file_location("tinypier_backend_under_test", BACKEND)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def able_to_compile(backend: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Any executable stands in for the compiler, any file for Python.h."""
    monkeypatch.setenv("CC", sys.executable)
    headers = tmp_path / "Python.h"
    headers.touch()
    monkeypatch.setattr(backend, "python_headers", lambda: headers)


def test_a_wheel_compiles_when_the_machine_can(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TINYPIER_COMPILE", raising=False)
    able_to_compile(backend, monkeypatch, tmp_path)
    assert backend.will_compile(editable=False)


def test_a_machine_without_a_compiler_installs_pure_python(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TINYPIER_COMPILE", raising=False)
    monkeypatch.setenv("CC", "/nonexistent/cc")
    assert not backend.will_compile(editable=False)


def test_a_machine_without_python_headers_installs_pure_python(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TINYPIER_COMPILE", raising=False)
    monkeypatch.setenv("CC", sys.executable)
    monkeypatch.setattr(backend, "python_headers", lambda: tmp_path / "Python.h")
    assert not backend.will_compile(editable=False)
    assert "no Python headers" in backend.compiler_problem()


def test_an_editable_install_stays_pure_unless_compiling_is_asked_for(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    able_to_compile(backend, monkeypatch, tmp_path)
    monkeypatch.setenv("TINYPIER_COMPILE", "auto")
    assert not backend.will_compile(editable=True)
    monkeypatch.setenv("TINYPIER_COMPILE", "1")
    assert backend.will_compile(editable=True)
    monkeypatch.setenv("TINYPIER_COMPILE", "0")
    assert not backend.will_compile(editable=False)


def test_asking_for_the_compiled_build_without_a_compiler_fails_saying_why(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TINYPIER_COMPILE", "1")
    monkeypatch.setenv("CC", "/nonexistent/cc")
    with pytest.raises(SystemExit, match=r"cannot compile: no C compiler \(/nonexistent/cc\)"):
        backend.will_compile(editable=False)


def test_an_unknown_switch_value_is_refused_with_the_choices(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TINYPIER_COMPILE", "yes")
    with pytest.raises(SystemExit, match="TINYPIER_COMPILE must be one of auto, 0, 1, not 'yes'"):
        backend.will_compile(editable=False)
