"""An import killed at any point finishes when rerun, with nothing doubled; an import
never goes into a board that has members or forums.

The killed import runs in a process of its own that stops itself (``os._exit``, as
``kill -9`` would) right after a named batch commits (``TEST_TINYPIER_IMPORT_STOP_AT``),
with two-row batches so the stop falls in the middle of a kind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import run_cli
from tests.importers.conftest import Imported, import_board
from tests.importers.test_torrentpier_import import SAME_BOARD
from tests.importers.torrentpier_fixture import Board, write_board
from tinypier.importers.torrentpier.batches import STOP_AT_VARIABLE, STOPPED_EXIT_CODE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Board:
    return write_board(tmp_path_factory.mktemp("tp"), "2.4")


@pytest.fixture(scope="module")
def uninterrupted(board: Board, tmp_path_factory: pytest.TempPathFactory) -> Imported:
    return import_board(board, tmp_path_factory.mktemp("whole") / "data")


def _killed_import(board: Board, data_dir: Path, stop_at: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("TINYPIER_")}
    env |= {STOP_AT_VARIABLE: stop_at, "TEST_TINYPIER_IMPORT_BATCH_ROWS": "2"}
    command = [
        sys.executable,
        "-m",
        "tinypier",
        "--data-dir",
        str(data_dir),
        "import-torrentpier",
        str(board.dump),
        "--files",
        str(board.root),
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "stop_at",
    [
        "staging",
        "members:2",
        "group members:1",
        "forum access:1",
        "bonus points:1",
        "avatars:1",
        "posts:2",
        "releases:1",
        "snatches:1",
        "messages:1",
        "repair rerender",
    ],
)
def test_a_killed_import_finishes_on_rerun_without_duplicates(
    board: Board, uninterrupted: Imported, tmp_path: Path, stop_at: str
) -> None:
    killed = _killed_import(board, tmp_path / "data", stop_at)
    assert killed.returncode == STOPPED_EXIT_CODE, killed.stderr
    resumed = import_board(board, tmp_path / "data")
    # the repairs a resumed import lists are those it ran itself
    assert _rows_of(resumed.report) == _rows_of(uninterrupted.report)
    for sql in SAME_BOARD:
        assert resumed.query(sql) == uninterrupted.query(sql), sql
    assert run_cli(tmp_path / "data", "check").exit_code == 0


def _rows_of(report: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in report.items() if key != "repairs"}


def test_a_board_with_members_is_refused_and_left_unchanged(board: Board, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    created = run_cli(
        data_dir, "user", "create", "someone", "--password-stdin", stdin="password 1\n"
    )
    assert created.exit_code == 0, created.output
    before = (data_dir / "tinypier.sqlite3").read_bytes()
    result = run_cli(data_dir, "import-torrentpier", str(board.dump), "--files", str(board.root))
    assert result.exit_code == 1
    assert "is not empty (1 member(s)" in result.output
    assert "an import needs a new --data-dir" in result.output
    assert (data_dir / "tinypier.sqlite3").read_bytes() == before
    assert not (data_dir / "torrentpier-staging.sqlite3").exists()


def test_a_dump_that_is_no_torrentpier_board_is_refused(tmp_path: Path) -> None:
    dump = tmp_path / "other.sql"
    dump.write_text(
        "CREATE TABLE `wp_posts` (`ID` int NOT NULL);\nINSERT INTO `wp_posts` VALUES (1);\n"
    )
    result = run_cli(tmp_path / "data", "import-torrentpier", str(dump), "--files", str(tmp_path))
    assert result.exit_code == 1
    assert "no TorrentPier tables" in result.output


def test_a_dump_or_a_server_but_not_both(board: Board, tmp_path: Path) -> None:
    both = run_cli(
        tmp_path / "data",
        "import-torrentpier",
        str(board.dump),
        "--mysql",
        "mysql://u@h/db",
        "--files",
        str(board.root),
    )
    neither = run_cli(tmp_path / "data", "import-torrentpier", "--files", str(board.root))
    assert both.exit_code == neither.exit_code == 1
    assert "either a DUMP file or --mysql URL" in neither.output
