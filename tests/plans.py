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
