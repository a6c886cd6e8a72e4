"""Query plans of a feature's reads, taken without running them: each read a feature
makes is explained on a freshly migrated board, and no plan may walk a whole table that
grows with the board."""

from __future__ import annotations

import sqlite3
from typing import Any, cast

from tinypier.db.connection import Database


class PlanningDatabase:
    """Stands in for ``Database``: explains every read instead of running it."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.plans: dict[str, list[str]] = {}

    def _explain(self, statement: str, params: Any) -> None:
        rows = self.connection.execute(f"EXPLAIN QUERY PLAN {statement}", params)
        self.plans[statement] = [str(row[3]) for row in rows]

    async def fetch_all(self, statement: str, params: Any = ()) -> list[Any]:
        self._explain(statement, params)
        return []

    async def fetch_one(self, statement: str, params: Any = ()) -> Any:
        self._explain(statement, params)
        return None

    async def fetch_value(self, statement: str, params: Any = ()) -> Any:
        self._explain(statement, params)
        return 0

    def as_database(self) -> Database:
        return cast(Database, self)

    def scans(self, tables: tuple[str, ...]) -> list[str]:
        """Each step that reads one of ``tables`` whole, with the query it belongs to."""
        return [
            f"{step}\n  in {statement}"
            for statement, steps in self.plans.items()
            for step in steps
            if step.startswith("SCAN ") and step.split()[1] in tables
        ]


LARGE_BENCH_ROWS = {
    "torrents": 100_000,
    "topics": 100_000,
    "posts": 1_000_000,
    "users": 50_000,
    "peers": 1_000_000,
    "transfers": 2_000_000,
    "snatches": 2_000_000,
    "hit_and_runs": 200_000,
}
"""The large bench board (``bench/announce.py --large``: 100,000 releases, 50,000 members,
1,000,000 peers), with the history such a board gathers: a transfer per member on each
release they were a peer of and twenty more (``bench/board_seed.py``), as many snatches,
and a tenth of those owed. Tables not named hold a few rows (forums, categories)."""

LARGE_BENCH_FANOUT = {
    ("peers", "torrent_id"): 10,
    ("peers", "user_id"): 20,
    ("transfers", "torrent_id"): 20,
    ("transfers", "user_id"): 40,
    ("snatches", "torrent_id"): 20,
    ("snatches", "user_id"): 40,
    ("snatches", "completed_at"): 2,
    ("hit_and_runs", "user_id"): 4,
    ("hit_and_runs", "torrent_id"): 2,
    ("torrents", "uploader_id"): 100,
    ("torrents", "forum_id"): 5_000,
}
"""Rows per value of an index's leading column on that board; other columns default to
ten (one for a unique index's last column)."""


def with_large_bench_statistics(connection: sqlite3.Connection) -> None:
    """Make the planner see the large bench board on an empty one: ``sqlite_stat1`` rows
    for every index as ANALYZE would write them there, loaded at once. Building the board
    takes minutes; its plans come from these figures alone."""
    connection.execute("ANALYZE")
    connection.execute("DELETE FROM sqlite_stat1")
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )]  # fmt: skip
    for table in tables:
        rows = LARGE_BENCH_ROWS.get(table, 10)
        connection.execute("INSERT INTO sqlite_stat1 VALUES (?, NULL, ?)", (table, str(rows)))
        for _seq, index, unique, *_ in connection.execute(f"PRAGMA index_list({table!r})"):
            columns = [info[2] for info in connection.execute(f"PRAGMA index_info({index!r})")]
            spread = [LARGE_BENCH_FANOUT.get((table, columns[0]), 10)]
            for _column in columns[1:]:
                spread.append(max(1, spread[-1] // 10))
            if unique:
                spread[-1] = 1
            stat = " ".join(str(value) for value in [rows, *spread])
            connection.execute("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", (table, index, stat))
    connection.commit()
    connection.execute("ANALYZE sqlite_schema")
