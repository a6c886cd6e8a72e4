"""The resumable loop every kind of row is imported by, and the import's shared state.

A kind (members, topics, posts...) reads its staged rows in order of a position column,
a batch at a time; a batch's rows, the skips it records and the new position are written
in ONE transaction (``import_progress``), so a kill at any point loses at most the batch
being written and a rerun starts right after the last one committed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinypier.settings import Settings

BATCH_ROWS = int(os.environ.get("TEST_TINYPIER_IMPORT_BATCH_ROWS") or 2_000)
"""Rows per transaction (a test hook makes it tiny, to stop an import mid-kind)."""

STOP_AT_VARIABLE = "TEST_TINYPIER_IMPORT_STOP_AT"
"""A test hook: ``<kind>:<n>`` makes the process exit at once (as ``kill -9`` would, no
cleanup) right after the n-th batch of that kind commits; ``staging`` exits mid-copy."""
STOPPED_EXIT_CODE = 137
_reached: dict[str, int] = {}


def stop_point(name: str) -> None:
    armed = os.environ.get(STOP_AT_VARIABLE)
    if not armed:
        return
    point, _, count = armed.partition(":")
    if point == name:
        _reached[name] = _reached.get(name, 0) + 1
        if _reached[name] >= int(count or 1):
            os._exit(STOPPED_EXIT_CODE)


class Progress:
    """What the import shows while it runs; the terminal's bar overrides these."""

    def start(self, label: str, total: int) -> None:
        del label, total

    def advance(self, steps: int) -> None:
        del steps

    def finish(self) -> None:
        pass


@dataclass
class Batch:
    """What one batch writes: statements with their rows, and rows left out and why."""

    writes: list[tuple[str, list[tuple[Any, ...]]]] = field(default_factory=list)
    skips: list[tuple[object, str]] = field(default_factory=list)
    imported: int = 0

    def write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.writes.append((sql, rows))

    def skip(self, source_id: object, reason: str) -> None:
        self.skips.append((source_id, reason))


@dataclass
class Context:
    """One import's connections and what the kinds share."""

    settings: Settings
    board: sqlite3.Connection
    stage: sqlite3.Connection
    files: Path
    version: str
    progress: Progress
    members: set[int] = field(default_factory=set)
    ranks: set[int] = field(default_factory=set)
    ghost_id: int | None = None
    topics: dict[int, tuple[int, str]] = field(default_factory=dict)
    releases: dict[int, tuple[int, int]] = field(default_factory=dict)
    config: dict[str, str] = field(default_factory=dict)
    taken_names: set[str] = field(default_factory=set)
    avatars_override: Path | None = None
    """``--avatars``: the member avatar folder, whatever the board's config says."""
    avatars_folder: Path | None = None
    """Where avatars are looked for (see ``importer._find_avatars``)."""

    def has(self, table: str) -> bool:
        row = self.stage.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (f"t_{table}",)
        ).fetchone()
        return row is not None

    def author(self, user_id: object) -> int:
        """The member a row is by: a deleted member or a guest becomes the import's
        stand-in member (see ``kinds.add_ghost``)."""
        if isinstance(user_id, int) and user_id in self.members:
            return user_id
        if self.ghost_id is None:
            raise RuntimeError("a row by a missing member, and no stand-in member was made")
        return self.ghost_id


Handler = Callable[[Context, list[sqlite3.Row]], Batch]


def progress_of(board: sqlite3.Connection, kind: str) -> tuple[int, bool]:
    row = board.execute(
        "SELECT position, done FROM import_progress WHERE kind = ?", (kind,)
    ).fetchone()
    return (0, False) if row is None else (int(row[0]), bool(row[1]))


def mark_done(board: sqlite3.Connection, kind: str) -> None:
    board.execute(
        "INSERT INTO import_progress (kind, done) VALUES (?, 1)"
        " ON CONFLICT (kind) DO UPDATE SET done = 1",
        (kind,),
    )


def commit(context: Context, kind: str, batch: Batch, position: int) -> None:
    """The batch, its skips and its position, in one transaction."""
    board = context.board
    board.execute("BEGIN IMMEDIATE")
    try:
        for sql, rows in batch.writes:
            board.executemany(sql, rows)
        board.executemany(
            "INSERT OR IGNORE INTO import_skips (kind, source_id, reason) VALUES (?, ?, ?)",
            [(kind, str(source_id), reason) for source_id, reason in batch.skips],
        )
        board.execute(
            "INSERT INTO import_progress (kind, position, imported) VALUES (?, ?, ?)"
            " ON CONFLICT (kind) DO UPDATE SET position = excluded.position,"
            " imported = imported + excluded.imported",
            (kind, position, batch.imported),
        )
    except BaseException:
        board.execute("ROLLBACK")
        raise
    board.execute("COMMIT")


def run_kind(
    context: Context, kind: str, query: str, handler: Handler, label: str, total_query: str
) -> None:
    """Import ``kind``: ``query`` selects staged rows with a ``_pos`` column, ordered by
    it, after ``?`` and ``LIMIT ?``; ``handler`` turns each batch into a :class:`Batch`."""
    position, done = progress_of(context.board, kind)
    if done:
        return
    context.progress.start(label, int(context.stage.execute(total_query).fetchone()[0]))
    while rows := context.stage.execute(query, (position, BATCH_ROWS)).fetchall():
        batch = handler(context, rows)
        position = int(rows[-1]["_pos"])
        commit(context, kind, batch, position)
        context.progress.advance(len(rows))
        stop_point(kind)
    context.board.execute("BEGIN IMMEDIATE")
    mark_done(context.board, kind)
    context.board.execute("COMMIT")
    context.progress.finish()


def staged_rows(table: str, where: str = "1") -> tuple[str, str]:
    """The query over a staged table in the order it was read, and its row count."""
    return (
        f'SELECT rowid AS _pos, * FROM "t_{table}" WHERE rowid > ? AND ({where})'  # noqa: S608
        " ORDER BY rowid LIMIT ?",
        f'SELECT COUNT(*) FROM "t_{table}" WHERE {where}',  # noqa: S608
    )
