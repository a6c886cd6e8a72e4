"""SQLite connections configured the one way TinyPier uses them.

One process, one writer: every write goes through :meth:`Database.transaction`, which
holds an asyncio lock and opens ``BEGIN IMMEDIATE`` so a write never fails half-way on a
lock upgrade. Reads go to a small pool of separate connections; in WAL mode they see the
last commit and never block the writer.

What a write means outside the database (remove a file nothing refers to any more, tell
the tracker a release changed) must happen only once the write has committed, and not at
all if it rolled back. Code inside a transaction registers such an effect with
:func:`after_commit`; :meth:`Database.transaction` collects them and runs them in order
after the commit, with the write lock released (an effect may write again). A failing
effect is logged and does not undo the committed write or stop the others: the write
was acknowledged.

Every connection gets the word-form functions (``tinypier.word_forms``): the search
indexes' triggers and views call them, so a write to posts, topics or releases on a
connection without them fails.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite

from tinypier.word_forms import SQL_FUNCTIONS, register_search_functions

BUSY_TIMEOUT_MS = 10_000
READER_COUNT = 3

Params = Sequence[Any] | dict[str, Any]
# Something to do once the transaction that registered it has committed.
Effect = Callable[[], Awaitable[None] | None]

logger = logging.getLogger(__name__)
_pending_effects: ContextVar[list[Effect] | None] = ContextVar("pending_effects", default=None)


def after_commit(effect: Effect) -> None:
    """Run ``effect`` once the current transaction commits; never if it rolls back.
    Outside a transaction this is a bug, refused: there is no commit to wait for."""
    effects = _pending_effects.get()
    if effects is None:
        raise RuntimeError("after_commit outside Database.transaction()")
    effects.append(effect)


async def _run_effects(effects: list[Effect]) -> None:
    for effect in effects:
        try:
            outcome = effect()
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:
            logger.exception("an after-commit effect failed; the write itself stands")


PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=NORMAL",
)


def connect_sync(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    """A blocking connection for the CLI, migrations and backups.

    Autocommit mode (``isolation_level=None``): transactions are opened explicitly with
    ``BEGIN IMMEDIATE``, never implicitly by the sqlite3 module.
    """
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=check_same_thread)
    connection.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        connection.execute(pragma)
    register_search_functions(connection)
    return connection


async def _connect(path: Path) -> aiosqlite.Connection:
    connection = await aiosqlite.connect(path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        await connection.execute(pragma)
    for name, function in SQL_FUNCTIONS.items():
        await connection.create_function(name, 1, function, deterministic=True)
    return connection


class Database:
    """The board's database: one writer connection and a pool of readers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all_readers: list[aiosqlite.Connection] = []
        self._write_lock = asyncio.Lock()

    async def open(self) -> None:
        self._writer = await _connect(self.path)
        for _ in range(READER_COUNT):
            reader = await _connect(self.path)
            self._all_readers.append(reader)
            self._readers.put_nowait(reader)

    async def close(self) -> None:
        for reader in self._all_readers:
            await reader.close()
        self._all_readers.clear()
        if self._writer is not None:
            await self._writer.close()
            self._writer = None

    @asynccontextmanager
    async def _reader(self) -> AsyncIterator[aiosqlite.Connection]:
        reader = await self._readers.get()
        try:
            yield reader
        finally:
            self._readers.put_nowait(reader)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._reader() as reader, reader.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._reader() as reader, reader.execute(sql, params) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed when the block ends, rolled back if it raises;
        the effects registered in it (:func:`after_commit`) run after the commit."""
        if self._writer is None:
            raise RuntimeError("the database is not open")
        effects: list[Effect] = []
        token = _pending_effects.set(effects)
        try:
            async with self._write_lock:
                await self._writer.execute("BEGIN IMMEDIATE")
                try:
                    yield self._writer
                except BaseException:
                    await self._writer.rollback()
                    raise
                await self._writer.commit()
        finally:
            _pending_effects.reset(token)
        await _run_effects(effects)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One write statement in its own transaction; returns the new row id."""
        async with self.transaction() as connection:
            cursor = await connection.execute(sql, params)
            return cursor.lastrowid or 0

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as connection:
            await connection.executemany(sql, rows)
