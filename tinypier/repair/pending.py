"""Repairs requested by migrations, run right after them and resumed after a crash.

A migration that changes how stored data must be derived asks for the repair that
recomputes it, in its own SQL, so the request commits with the schema change:

    INSERT OR IGNORE INTO pending_repairs (name, requested_at)
    VALUES ('rerender', CAST(strftime('%s', 'now') AS INTEGER));

``run_pending_repairs`` runs every requested repair (oldest request first) and deletes
its row only once it has finished; ``tinypier.datadir.upgrade_database`` calls it right
after the migrations, at ``serve``, ``migrate`` and every other command. A repair cut
short (a crash, a kill) keeps its row and its ``progress``, so the next start resumes it
where it stopped. ``tinypier repair NAME`` goes through the same row, so it resumes too.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from tinypier.db.connection import connect_sync
from tinypier.repair import REPAIRS
from tinypier.repair.base import Checkpoint, RepairReport


class UnknownRepair(LookupError):
    """A name no repair has: a migration or a command asked for something that is not here."""


def request_repair(connection: sqlite3.Connection, name: str) -> None:
    """Ask for ``name`` to run; a request already pending keeps its progress."""
    if name not in REPAIRS:
        raise UnknownRepair(f"no repair named {name!r}; known: {', '.join(REPAIRS)}")
    connection.execute(
        "INSERT OR IGNORE INTO pending_repairs (name, requested_at) VALUES (?, ?)",
        (name, int(time.time())),
    )


def pending_repair_names(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute("SELECT name FROM pending_repairs ORDER BY rowid")]


def run_requested_repair(connection: sqlite3.Connection, name: str) -> RepairReport:
    """Run a pending repair from its recorded progress, then strike it off."""
    repair = REPAIRS.get(name)
    if repair is None:
        raise UnknownRepair(f"a migration requested the unknown repair {name!r}")
    row = connection.execute(
        "SELECT progress FROM pending_repairs WHERE name = ?", (name,)
    ).fetchone()
    report = repair.run(connection, Checkpoint(name, int(row[0]) if row else 0))
    connection.execute("DELETE FROM pending_repairs WHERE name = ?", (name,))
    return report


def run_repair(connection: sqlite3.Connection, name: str) -> RepairReport:
    """Run ``name`` now (``tinypier repair NAME``), resuming a run cut short."""
    request_repair(connection, name)
    return run_requested_repair(connection, name)


def run_pending_repairs(database_path: Path) -> list[RepairReport]:
    """Every repair the migrations requested, in the order they were requested."""
    connection = connect_sync(database_path)
    try:
        return [run_requested_repair(connection, name) for name in pending_repair_names(connection)]
    finally:
        connection.close()
