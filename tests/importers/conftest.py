"""Imported TorrentPier boards, made once per module: importing is the slow part."""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import run_cli
from tests.importers.torrentpier_fixture import Board, write_board


@dataclass(frozen=True)
class Imported:
    board: Board
    data_dir: Path
    report: dict[str, Any]

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        connection = sqlite3.connect(self.data_dir / "tinypier.sqlite3")
        try:
            return [tuple(row) for row in connection.execute(sql, params)]
        finally:
            connection.close()


def import_board(board: Board, data_dir: Path, dump: Path | None = None) -> Imported:
    result = run_cli(
        data_dir,
        "import-torrentpier",
        str(dump or board.dump),
        "--files",
        str(board.root),
        "--json",
    )
    assert result.exit_code == 0, result.output
    return Imported(board, data_dir, json.loads(result.stdout))


def gzipped(board: Board) -> Path:
    """The board's dump as ``.sql.gz``, made from the ``.sql`` as an admin would."""
    path = board.dump.with_name("board.sql.gz")
    path.write_bytes(gzip.compress(board.dump.read_bytes()))
    return path


@pytest.fixture(scope="module", params=["2.4", "3.0"])
def imported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Imported]:
    directory = tmp_path_factory.mktemp(f"tp{request.param}")
    board = write_board(directory, request.param)
    yield import_board(board, directory / "data")
