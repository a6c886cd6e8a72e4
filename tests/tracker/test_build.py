"""The build under test is the one CI installed: a miscompiled module raises no error, so
a pass over a pure build believed compiled would prove nothing about the compiled one.

CI sets ``EXPECTED_TRACKER_BUILD`` to ``pure`` or ``compiled`` for each of its passes."""

from __future__ import annotations

import importlib
import os
from importlib.machinery import EXTENSION_SUFFIXES

import pytest
from click.testing import CliRunner

from tinypier.cli import main
from tinypier.tracker import build

EXPECTED = {"pure": build.PURE, "compiled": build.COMPILED}


@pytest.mark.skipif("EXPECTED_TRACKER_BUILD" not in os.environ, reason="no build expected")
def test_every_hot_path_module_comes_from_the_build_ci_installed() -> None:
    expected = EXPECTED[os.environ["EXPECTED_TRACKER_BUILD"]]
    assert build.tracker_build() == expected
    for name in build.HOT_PATH:
        module = importlib.import_module(f"tinypier.tracker.{name}")
        is_extension = str(module.__file__).endswith(tuple(EXTENSION_SUFFIXES))
        assert is_extension == (expected == build.COMPILED), module.__file__


def test_the_version_names_the_tracker_build() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert f"tracker: {build.tracker_build()}" in result.output
