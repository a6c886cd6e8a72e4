"""What every repair shares: its report, its resumable progress, its write transactions."""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RepairReport:
    """What a repair looked at and what it had to correct (0 on a second run, except for
    a rebuild, which rewrites everything it examines)."""

    name: str
    examined: int
    changed: int
    unit: str
    done: str = "corrected"

    def describe(self) -> str:
        return f"{self.name}: {self.examined} {self.unit} examined, {self.changed} {self.done}"


@dataclass
class Checkpoint:
    """Where a batched repair resumes: the last row (by id) it finished.

    With a ``name``, each advance is also written to that repair's ``pending_repairs``
    row, inside the batch's own transaction, so the batch and the record of it commit
    together and a crash between batches loses nothing and repeats nothing.
    """

    name: str | None = None
    position: int = 0

    def advance(self, connection: sqlite3.Connection, position: int) -> None:
        self.position = position
        if self.name is not None:
            connection.execute(
                "UPDATE pending_repairs SET progress = ? WHERE name = ?", (position, self.name)
            )


RepairFunction = Callable[[sqlite3.Connection, Checkpoint], RepairReport]


@dataclass(frozen=True)
class Repair:
    name: str
    run: RepairFunction

    @property
    def why(self) -> str:
        """The function's docstring: what it fixes and when to run it."""
        return inspect.getdoc(self.run) or ""


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or the caller's transaction if one is open
    (an importer may run a repair as one step of its own)."""
    if connection.in_transaction:
        yield connection
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
