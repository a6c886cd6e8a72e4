"""The jobs' and the ledger's queries, planned on a board shaped like the large bench
board (bench/board_seed.py: releases, members, live peers, a long transfers history;
ANALYZE run): only the bonus job reads ``transfers`` whole, once per statement, and finds
every release and member by its key; the ledger pages and the expiry job use indexes."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from bench.board_seed import make_swarms, seed_board
from tests.plans import PlanningDatabase
from tinypier.bonus.accrual import DUE, PAY_ROW, hourly_rate_sql
from tinypier.bonus.ledger import (
    _INSERT_ENTRY,
    _UPDATE_MEMBER,
    BalanceChange,
    _member_row,
    count_entries,
    entries_page,
)
from tinypier.db.connection import connect_sync
from tinypier.forum.pagination import Pagination
from tinypier.jobs.expiry import DELETE_INVITES, DELETE_SESSIONS
from tinypier.settings import Settings

# A fiftieth of the large board (100,000 releases, 1,000,000 peers): the same shape,
# built in seconds; ANALYZE gives the planner that shape.
RELEASES, MEMBERS, PEERS = 2_000, 1_000, 20_000
GROWING = ("torrents", "x", "users", "u", "member_ledger", "l", "sessions", "invites", "peers")


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    settings = seed_board(tmp_path_factory.mktemp("plans") / "data",
                          make_swarms(RELEASES, MEMBERS, PEERS))  # fmt: skip
    connection = connect_sync(settings.database_path)
    connection.execute(
        "INSERT INTO member_ledger (user_id, kind, points, uploaded, downloaded, invites,"
        " quantity, note, actor_id, created_at) SELECT id, 'seeding', 1, 0, 0, 0, 1, '', NULL, 0"
        " FROM users"
    )
    connection.execute("ANALYZE")
    return connection


def plan(
    connection: sqlite3.Connection, statement: str, params: Sequence[object] = ()
) -> list[str]:
    return [str(row[3]) for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", params)]


def scans(steps: list[str], tables: tuple[str, ...]) -> list[str]:
    return [step for step in steps if step.startswith("SCAN ") and step.split()[1] in tables]


def test_the_bonus_job_reads_transfers_once_and_writes_by_key(board: sqlite3.Connection) -> None:
    rate_sql, params = hourly_rate_sql(Settings(), 1_800_000_000)
    due = plan(board, DUE.format(rate=rate_sql), params)
    paying = plan(board, PAY_ROW, (3600, 1))

    assert sum(step.startswith("SCAN t") for step in due) == 1, due
    assert scans(due, GROWING) == [], due
    assert any("x USING INTEGER PRIMARY KEY" in step for step in due), due
    assert any("u USING INTEGER PRIMARY KEY" in step for step in due), due
    assert paying == ["SEARCH transfers USING INTEGER PRIMARY KEY (rowid=?)"], paying


def test_crediting_a_member_finds_them_by_key(board: sqlite3.Connection) -> None:
    steps = plan(board, _UPDATE_MEMBER, _member_row(BalanceChange(1, "grant", points=1)))

    assert steps == ["SEARCH users USING INTEGER PRIMARY KEY (rowid=?)"]
    assert plan(board, _INSERT_ENTRY, (1, "grant", 1, 0, 0, 0, 0, "", None, 0)) == []


def test_the_ledger_page_walks_the_members_index(board: sqlite3.Connection, tmp_path: Path) -> None:
    planner = PlanningDatabase(board)
    db = planner.as_database()

    async def read() -> None:
        await count_entries(db, 7)
        await entries_page(db, 7, Pagination(3, 10, 50))

    asyncio.run(read())

    assert planner.scans(GROWING) == []
    steps = [step for statement in planner.plans.values() for step in statement]
    assert not any("TEMP B-TREE" in step for step in steps), steps
    assert any("ix_member_ledger_user" in step for step in steps), steps


def test_the_expiry_job_finds_what_expired_by_index(board: sqlite3.Connection) -> None:
    sessions = plan(board, DELETE_SESSIONS, (0,))
    invites = plan(board, DELETE_INVITES, (0,))

    assert len(sessions) == 1 and sessions[0].startswith("SEARCH sessions USING"), sessions
    assert "INDEX ix_sessions_expires_at (expires_at<?)" in sessions[0]
    assert invites == ["SEARCH invites USING INDEX ix_invites_expires_at (expires_at<?)"]
