"""The chunked bonus job's statements, planned on the jobs' plan board (a fiftieth of the
large bench board, ANALYZE run): a chunk reads on from the last rowid paid by the table's
own key, and finds members' markers and ledger lines by key, so a chunk's cost is its
rows, not the table's."""

from __future__ import annotations

import sqlite3

from tests.jobs.test_query_plans import GROWING, board, plan, scans
from tinypier.bonus.accrual import DUE_CHUNK, MARK_MEMBER, MARKERS, hourly_rate_sql
from tinypier.bonus.ledger import _ADD_TO_ENTRY
from tinypier.settings import Settings

__all__ = ["board"]


def test_a_chunk_reads_transfers_on_from_the_last_row_paid(board: sqlite3.Connection) -> None:
    rate_sql, params = hourly_rate_sql(Settings(), 1_800_000_000)
    steps = plan(board, DUE_CHUNK.format(rate=rate_sql), [*params, 1000, 500])

    assert any(step.startswith("SEARCH t USING INTEGER PRIMARY KEY (rowid>?)") for step in steps), (
        steps
    )
    assert not any(step.startswith("SCAN t") for step in steps), steps
    assert not any("TEMP B-TREE" in step for step in steps), steps
    assert scans(steps, GROWING) == [], steps


def test_markers_and_ledger_lines_are_found_by_key(board: sqlite3.Connection) -> None:
    markers = plan(board, MARKERS, (1_800_000_000, "[1, 2, 3]"))
    adding = plan(board, _ADD_TO_ENTRY, (1, 0, 0, 0, 1, 1))
    marking = plan(board, MARK_MEMBER, (1, 1_800_000_000, 1, 1))

    assert scans(markers, ("bonus_run_members",)) == [], markers
    assert adding == ["SEARCH member_ledger USING INTEGER PRIMARY KEY (rowid=?)"], adding
    assert scans(marking, GROWING) == [], marking
