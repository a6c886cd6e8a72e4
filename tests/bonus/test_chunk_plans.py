"""The chunked bonus job's statements, planned on the jobs' plan board (a fiftieth of the
large bench board, ANALYZE run): a chunk reads on from the last rowid paid by the table's
own key, so a chunk's cost is its rows, not the table's; the members' phase reads the
parked earnings in one pass."""

from __future__ import annotations

import sqlite3

from tests.jobs.test_query_plans import GROWING, board, plan, scans
from tinypier.bonus.accrual import DUE_CHUNK, EARNED, hourly_rate_sql
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


def test_phase_two_reads_the_parked_earnings_once(board: sqlite3.Connection) -> None:
    board.executescript(
        "INSERT INTO bonus_run_earnings (user_id, hours, points) SELECT user_id, 1, 1"
        " FROM transfers LIMIT 5000; ANALYZE bonus_run_earnings"
    )
    steps = plan(board, EARNED, (0,))

    assert steps[0].startswith("SCAN bonus_run_earnings"), steps
    assert scans(steps, GROWING) == [], steps
