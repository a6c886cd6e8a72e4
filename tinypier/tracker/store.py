"""Durability of the tracker: swarm state loaded at start, writes group-committed.

Announces change memory at once and add one credit-log row each to the pending
:class:`Batch` (see :mod:`tinypier.tracker.creditlog`). One writer task appends the
batch's rows to the credit-log file in a single ``BEGIN IMMEDIATE`` transaction, as soon
as the batch stops growing, the batch is large, or ``commit_interval_ms`` has passed since
its first write; every announce waits for the commit of the batch that holds its row
before it is answered. So an answered announce's credit is on disk. The same task has the
log folded into the board's tables in bulk on a thread of its own, and trims what each
fold applied (:meth:`Writer._start_fold`).

A batch that cannot commit because of one of its rows is bisected down to the announces at
fault, which alone are answered with a failure (:func:`commit_batch`); only a failure of
the database itself (locked, full, I/O) keeps the batch for another try.

Both databases run in WAL mode with ``synchronous=NORMAL``: a commit is written to the WAL
file (the operating system's page cache) before the commit returns, so it survives the
process being killed (``kill -9``), which is the guarantee promised here. Only a power
loss or kernel crash could lose the last few commits before the next checkpoint. The one
exception is the fold's connection (``synchronous=FULL``, one sync a fold): a fold must be
on disk before the log file's trim records it
(:func:`tinypier.tracker.creditlog.attach_log_file`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from tinypier.db.connection import BUSY_TIMEOUT_MS, connect_sync
from tinypier.settings import Settings
from tinypier.tracker.accounting import WithheldCredit
from tinypier.tracker.creditlog import (
    AFTER_APPEND_COMMIT,
    APPEND,
    APPEND_WITHHELD,
    BEFORE_APPEND_COMMIT,
    LogRow,
    attach_log_file,
    fold_legacy_log,
    fold_log_file,
    fold_whole_log_file,
    log_file_connection,
    prepare_log,
    stop_point,
    trim_folded,
)
from tinypier.tracker.swarm import Peer, Swarm, compact, packed_address

log = logging.getLogger(__name__)

LARGE_BATCH = 2000
IDLE_TURNS = 3
"""Turns of the event loop without a new announce that end a batch. One was too few under
``Connection: close``: a client's next announce needs a turn to accept its connection and
another to read it, so batches ended before the announces already on their way joined.
With 3, bench/announce.py (20,000 peers, 50 connections, close) measured 170-190 us of
server CPU per announce against 204-228 us with 1, the commits being fewer and larger;
2 was in between, 4 and 6 no better. The commit interval still bounds the wait."""
RETRY_DELAY_SECONDS = 0.2
LOCK_POLL_SECONDS = 0.002
CHECKPOINT_SECONDS = 1.0

DEFAULT_CHEAT_LOG_ROWS = 100_000

Withheld = tuple[int, int, WithheldCredit, int]
"""torrent id, user id, what was claimed and credited, time of the announce"""

ROW_ERRORS = (
    sqlite3.IntegrityError,
    sqlite3.InterfaceError,
    sqlite3.DataError,
    sqlite3.ProgrammingError,
    OverflowError,
    TypeError,
    ValueError,
)
"""What a row can make a commit raise (a constraint, a value SQLite cannot store). Any
other error, an ``OperationalError`` (locked, disk full, I/O), is the database's, and the
whole batch is retried."""

UPDATE_TORRENT = (
    "UPDATE torrents SET seeders = ?, leechers = ?, completed = ?, last_seeder_at = ? WHERE id = ?"
)


class CommitFailed(Exception):
    """The batch holding this announce's writes could not be committed (it is retried)."""


class CommitSignal:
    """Released once, when one commit attempt ends. Waiters are plain callbacks (the raw
    HTTP front answers from one, with no task per request) or :meth:`wait`, which gives
    each waiter its own future, so a client that disconnects cancels only its own wait."""

    __slots__ = ("_callbacks", "failed", "finished")

    def __init__(self) -> None:
        self._callbacks: list[Callable[[bool], None]] = []
        self.failed = False
        self.finished = False

    def finish(self, failed: bool = False) -> None:
        self.failed = failed
        self.finished = True
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            try:
                callback(failed)
            except Exception:
                log.exception("a commit waiter failed")

    def add_callback(self, callback: Callable[[bool], None]) -> None:
        """Call ``callback(failed)`` when the commit ends (at once if it has)."""
        if self.finished:
            callback(self.failed)
        else:
            self._callbacks.append(callback)

    async def wait(self) -> None:
        if not self.finished:
            released: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self.add_callback(partial(_release, released))
            await released
        if self.failed:
            raise CommitFailed


def _release(waiter: asyncio.Future[None], _failed: bool) -> None:
    """Wake a :meth:`CommitSignal.wait`, which reads ``failed`` off the signal itself."""
    if not waiter.done():
        waiter.set_result(None)


class Entry(CommitSignal):
    """The credit-log row of one announce (or of one expired peer), any cheat-log line
    it leaves, and the signal its reply waits for. A batch that cannot commit can be
    split down to the one announce at fault."""

    __slots__ = ("row", "withheld")

    def __init__(self) -> None:
        super().__init__()
        self.row: LogRow | None = None
        self.withheld: Withheld | None = None

    def log(self, row: LogRow) -> None:
        self.row = row

    def withhold(self, torrent_id: int, user_id: int, withheld: WithheldCredit, now: int) -> None:
        """Record in the cheat log what the credit rules did not credit."""
        self.withheld = (torrent_id, user_id, withheld, now)


@dataclass
class Batch:
    """Everything announces changed since the last commit: one :class:`Entry` per
    announce. ``saved`` and ``left_out`` collect the entries of a batch that had to be
    committed apart (see :func:`commit_batch`)."""

    done: CommitSignal = field(default_factory=CommitSignal)
    entries: list[Entry] = field(default_factory=list)
    saved: list[Entry] = field(default_factory=list)
    left_out: list[Entry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self) -> Entry:
        """A new entry for one announce's writes; its reply waits for the entry itself."""
        entry = Entry()
        self.entries.append(entry)
        return entry


def _statements(entries: Iterable[Entry]) -> Iterable[tuple[str, list[tuple[Any, ...]]]]:
    """One appended log row per entry; cheat-log lines summed per member, release and
    reason (rare: only announces the credit rules cut leave one)."""
    rows: list[tuple[Any, ...]] = []
    withheld: dict[tuple[int, int, str], list[int]] = {}
    for entry in entries:
        if entry.row is not None:
            rows.append(entry.row)
        if entry.withheld is not None:
            torrent_id, user_id, amounts, now = entry.withheld
            row = withheld.setdefault((torrent_id, user_id, amounts.reason), [0, 0, 0, 0, now])
            for index, amount in enumerate(amounts[:4]):
                row[index] += amount
            row[4] = now
    yield APPEND, rows
    if withheld:
        yield APPEND_WITHHELD, [(t, u, *row, reason) for (t, u, reason), row in withheld.items()]


class WriteLockBusy(Exception):
    """Another connection (a web request's transaction) holds SQLite's write lock."""


Begin = Callable[[sqlite3.Connection], None]


def begin_now(connection: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE`` without waiting: the writer's connection has no busy timeout,
    so a held lock raises :class:`WriteLockBusy` at once instead of blocking the loop."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode == sqlite3.SQLITE_BUSY:
            raise WriteLockBusy from error
        raise


def begin_patiently(connection: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE``, waiting for the lock as long as any other connection would."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            begin_now(connection)
            return
        except WriteLockBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(LOCK_POLL_SECONDS)


def commit_batch(connection: sqlite3.Connection, batch: Batch, begin: Begin) -> None:
    """Commit a batch in one transaction opened by ``begin``. If a row cannot be written
    (a value out of range, a cheat-log line for a release or member deleted meanwhile),
    commit it apart."""
    try:
        _commit(connection, _statements(batch.entries), begin)
    except ROW_ERRORS:
        _commit_apart(connection, batch, begin)


def _commit_apart(connection: sqlite3.Connection, batch: Batch, begin: Begin) -> None:
    """Bisect the batch: commit each half that can commit, split those that cannot, down
    to the single entries at fault, which go to ``batch.left_out`` (their announces are
    answered with a failure); everything else goes to ``batch.saved``. A few commits per
    bad entry, and one member's bad announce never holds back anyone else's.

    If the database itself fails meanwhile, ``batch.entries`` is left holding only the
    entries not yet committed, which the writer retries."""
    chunks = deque([batch.entries])
    try:
        while chunks:
            chunk = chunks[0]
            try:
                _commit(connection, _statements(chunk), begin)
            except ROW_ERRORS as error:
                chunks.popleft()
                if len(chunk) == 1:
                    log.warning("tracker write left out (%s): %s", error, chunk[0].row)
                    batch.left_out.append(chunk[0])
                else:
                    middle = len(chunk) // 2
                    chunks.extendleft((chunk[middle:], chunk[:middle]))
            else:
                chunks.popleft()
                batch.saved.extend(chunk)
    finally:
        batch.entries = [entry for chunk in chunks for entry in chunk]


def _commit(
    connection: sqlite3.Connection,
    statements: Iterable[tuple[str, list[tuple[Any, ...]]]],
    begin: Begin,
) -> None:
    begin(connection)
    try:
        for sql, rows in statements:
            connection.executemany(sql, rows)
        stop_point(BEFORE_APPEND_COMMIT)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def checkpoint(connection: sqlite3.Connection) -> None:
    """A passive checkpoint: it never waits for, nor blocks, the writer or readers. Of
    the connection's main database only: the folding connection has the credit-log file
    attached read-only, and checkpointing that fails."""
    try:
        connection.execute("PRAGMA main.wal_checkpoint(PASSIVE)")
    except sqlite3.Error:
        log.exception("WAL checkpoint failed; the next one retries")


def _writer_connection(path: Path) -> sqlite3.Connection:
    """The tracker's write connection. It is used on the event loop's thread and, only
    while the writer task waits for it, on the writer thread; it never waits for a lock
    (:func:`begin_now`) and never checkpoints on commit (:meth:`Writer._checkpoint` does,
    off the loop), so a commit on the loop costs only its own writes."""
    connection = connect_sync(path, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout=0")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    return connection


@dataclass(frozen=True)
class FoldPolicy:
    """When the writer folds the credit log into the tables: once ``rows`` rows wait,
    or ``interval_ms`` after the oldest waiting row was committed, whichever is first,
    at most ``chunk_rows`` rows per transaction (settings ``credit_fold_rows``,
    ``credit_fold_interval_ms`` and ``credit_fold_chunk_rows``)."""

    rows: int = 5000
    interval_ms: int = 500
    chunk_rows: int = 20_000


def save_and_fold(
    database_path: Path, log_path: Path, batch: Batch, cheat_log_max_rows: int
) -> None:
    """Commit a batch to the log file as the tracker does and fold the log at once, for
    boards written by other programs (the demo board, tests); safe beside a running
    tracker, whose folds take turns with this one on the board's write lock."""
    with _folding_connections(database_path, log_path) as (main, log_file):
        commit_batch(log_file, batch, begin_patiently)
        fold_all(main, log_file, log_path, cheat_log_max_rows)


@contextlib.contextmanager
def _folding_connections(
    database_path: Path, log_path: Path
) -> Iterator[tuple[sqlite3.Connection, sqlite3.Connection]]:
    """The board's database and the log file, for a program other than the tracker: the
    log file's connection waits for the tracker's commits (the board's busy timeout)."""
    log_file = log_file_connection(log_path, BUSY_TIMEOUT_MS)
    main = connect_sync(database_path)
    try:
        yield main, log_file
    finally:
        main.close()
        log_file.close()


def fold_all(
    main: sqlite3.Connection, log_file: sqlite3.Connection, log_path: Path, cheat_log_max_rows: int
) -> int:
    """Fold everything waiting, in the board's ``credit_log`` from an older version and in
    the log file, then trim the log file; returns how many rows. ``main`` is left with the
    log file attached, ready for the writer's folds."""
    folded = fold_legacy_log(main)
    prepare_log(main, log_file)
    attach_log_file(main, log_path)
    taken, marks = fold_whole_log_file(main, begin_patiently, WHOLE_LOG, cheat_log_max_rows)
    trim_log(log_file, marks)
    return folded + taken


def fold_pending(settings: Settings) -> int:
    """Fold whatever the credit log holds now, from another connection than the
    tracker's (as any may: folds take turns on the board's write lock); returns how many
    rows. Tests use it instead of waiting for the tracker's next fold."""
    log_path = settings.credit_log_path
    with _folding_connections(settings.database_path, log_path) as (main, log_file):
        return fold_all(main, log_file, log_path, settings.cheat_log_max_rows)


WHOLE_LOG = 1 << 62
"""A chunk without limit: the whole log in one fold (at start-up and at shutdown)."""


def trim_log(log_file: sqlite3.Connection, marks: tuple[int, int]) -> None:
    """Delete from the log file what the board's marks say is folded."""
    log_file.execute("BEGIN IMMEDIATE")
    try:
        trim_folded(log_file, marks)
    except BaseException:
        log_file.execute("ROLLBACK")
        raise
    log_file.execute("COMMIT")


class Writer:
    """The single writer task. Group commits append to the credit-log file on the event
    loop's thread (a batch of a few dozen announces commits in well under a millisecond;
    handing it to a thread cost more than the work). Nothing else writes that file but
    the trims, also on the loop, so a commit never waits for a lock.

    Folds run on a thread of their own, on a connection to the board's database with the
    log file attached read-only: a fold holds the board's write lock, never the log
    file's, so announces are answered while it runs; its SQL runs with the GIL released.
    The same thread runs the start-up fixes and checkpoints the board's database after
    each fold. The log file's WAL checkpoints, and a commit that had to wait for a lock,
    run on the writer's own thread."""

    def __init__(
        self,
        path: Path,
        log_path: Path,
        commit_interval_ms: int,
        cheat_log_max_rows: int = DEFAULT_CHEAT_LOG_ROWS,
        fold: FoldPolicy = FoldPolicy(),
    ) -> None:
        self._path = path
        self._log_path = log_path
        self._interval = commit_interval_ms / 1000
        self._cheat_log_max_rows = cheat_log_max_rows
        self._fold_policy = fold
        self._unfolded = 0
        self._fold_again = False
        self._folding: asyncio.Future[tuple[int, tuple[int, int]]] | None = None
        self._folded_marks: tuple[int, int] | None = None
        self._fold_deadline: asyncio.TimerHandle | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-writer")
        self._folder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-fold")
        self._connection: sqlite3.Connection | None = None
        self._log: sqlite3.Connection | None = None
        self._checkpointer: sqlite3.Connection | None = None
        self._checkpointing: asyncio.Future[None] | None = None
        self._last_checkpoint = 0.0
        self._wake = asyncio.Event()
        self._closing = False
        self._pending = Batch()
        self._task: asyncio.Task[None] | None = None

    @property
    def pending(self) -> Batch:
        """The batch that new writes go into: an announce writes into its own
        :meth:`Batch.entry` and awaits that; ``done`` ends when the whole batch has."""
        self._wake.set()
        return self._pending

    async def start(self) -> None:
        """Open the connections, fold what the last run left in the credit log (before
        the caller loads swarms from the tables and answers anything), start the task."""
        loop = asyncio.get_running_loop()
        self._connection = _writer_connection(self._path)
        self._log = log_file_connection(self._log_path)
        replayed = await self.run_sync(self._fold_everything)
        if replayed:
            log.info("folded %d credit-log rows left by the last run", replayed)
        self._checkpointer = await loop.run_in_executor(
            self._executor, log_file_connection, self._log_path
        )
        self._last_checkpoint = loop.time()
        self._task = asyncio.create_task(self._run(), name="tracker-writer")

    async def run_sync(self, work: Any, *args: Any) -> Any:
        """Run blocking work on the connection to the board's database, on the fold's
        thread, between folds (start-up fixes)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._folder, work, self._open(), *args)

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            raise RuntimeError("the tracker writer is not started")
        return self._connection

    def _fold_everything(self, main: sqlite3.Connection) -> int:
        """At start-up and at shutdown: fold all the log holds, on a connection to the log
        file that waits for the loop's commits (this runs on the fold's thread)."""
        log_file = log_file_connection(self._log_path, BUSY_TIMEOUT_MS)
        try:
            return fold_all(main, log_file, self._log_path, self._cheat_log_max_rows)
        finally:
            log_file.close()

    def _log_file(self) -> sqlite3.Connection:
        if self._log is None:
            raise RuntimeError("the tracker writer is not started")
        return self._log

    async def close(self) -> None:
        """Commit what is pending, fold everything, then stop."""
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task
        if self._checkpointing is not None:
            await self._checkpointing
        loop = asyncio.get_running_loop()
        for connection in (self._connection, self._log, self._checkpointer):
            if connection is not None:
                await loop.run_in_executor(self._executor, sqlite3.Connection.close, connection)
        self._executor.shutdown(wait=True)
        self._folder.shutdown(wait=True)

    async def _linger(self, deadline: float) -> None:
        """Let the batch grow while announces keep joining it, for at most the commit
        interval. Once :data:`IDLE_TURNS` turns of the loop in a row add nothing, waiting
        longer only delays the announces already in the batch: the clients that would add
        more are the ones waiting for this commit.

        Written without an assignment expression in the loop's test: mypyc compiles
        ``while size != (size := len(...))`` to a test that is always false."""
        loop = asyncio.get_running_loop()
        size = len(self._pending)
        idle = 0
        while size < LARGE_BATCH and not self._closing and loop.time() < deadline:
            await asyncio.sleep(0)
            if len(self._pending) == size:
                idle += 1
                if idle == IDLE_TURNS:
                    return
            else:
                idle = 0
                size = len(self._pending)

    async def _commit(self, batch: Batch) -> None:
        """Commit on the loop; if that would wait for the write lock (only a checkpoint
        that restarts the log file's WAL takes it), or the batch must be committed apart
        (rare, several commits), do it on the writer's thread."""
        connection = self._log_file()
        try:
            commit_batch(connection, batch, begin_now)
        except WriteLockBusy:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(
                self._executor, commit_batch, connection, batch, begin_patiently
            )

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            await self._linger(loop.time() + self._interval)
            self._wake.clear()
            batch = self._pending
            self._pending = Batch()
            try:
                if batch:
                    await self._commit(batch)
            except Exception:
                if self._closing:
                    log.exception("tracker commit failed at shutdown; unanswered writes lost")
                    _answer(batch, unsaved_failed=True)
                    return
                log.exception("tracker commit failed; retrying with the next batch")
                self._fail(batch)
                await asyncio.sleep(RETRY_DELAY_SECONDS)
                continue
            if batch:
                stop_point(AFTER_APPEND_COMMIT)
                self._count_appended(loop, len(batch.entries) + len(batch.saved))
            _answer(batch, unsaved_failed=False)
            if self._closing and not self._pending:
                await self._fold_rest()
                return
            self._trim()
            if self._folding is None and self._fold_due(loop):
                self._start_fold()
            await self._checkpoint(loop)

    def _count_appended(self, loop: asyncio.AbstractEventLoop, rows: int) -> None:
        """Count rows now in the log; the first of them starts the fold interval, whose
        end wakes the writer even if no announce comes (an idle board folds too)."""
        if rows and self._fold_deadline is None:
            self._start_fold_interval(loop)
        self._unfolded += rows

    def _start_fold_interval(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._fold_deadline is not None:
            self._fold_deadline.cancel()
        delay = self._fold_policy.interval_ms / 1000
        self._fold_deadline = loop.call_later(delay, self._wake.set)

    def _fold_due(self, loop: asyncio.AbstractEventLoop) -> bool:
        """A fold starts once ``rows`` rows wait, the fold interval has passed, or the
        last fold took a whole chunk and left more."""
        deadline = self._fold_deadline
        return self._unfolded > 0 and (
            self._fold_again
            or self._unfolded >= self._fold_policy.rows
            or (deadline is not None and loop.time() >= deadline.when())
        )

    def _start_fold(self) -> None:
        loop = asyncio.get_running_loop()
        self._folding = loop.run_in_executor(self._folder, self._fold_on_thread)
        self._folding.add_done_callback(self._folded)

    def _fold_on_thread(self) -> tuple[int, tuple[int, int]]:
        """One fold of at most a chunk, then a passive checkpoint of the board's database
        (this thread is its only writer besides web requests, so it catches up)."""
        connection = self._open()
        folded = fold_log_file(
            connection, begin_patiently, self._fold_policy.chunk_rows, self._cheat_log_max_rows
        )
        checkpoint(connection)
        return folded

    def _folded(self, future: asyncio.Future[tuple[int, tuple[int, int]]]) -> None:
        """Back on the loop after a fold: have its rows trimmed, fold again at once if it
        left a whole chunk behind, else once the rows appended meanwhile are due. A fold
        that failed (the board's write lock held past the busy timeout, the disk) left its
        rows and the mark as they were; it is tried again one fold interval later."""
        self._folding = None
        loop = future.get_loop()
        if self._fold_deadline is not None:
            self._fold_deadline.cancel()
            self._fold_deadline = None
        if future.cancelled() or future.exception() is not None:
            if not future.cancelled():
                log.error("folding the credit log failed; retrying after the fold interval",
                          exc_info=future.exception())  # fmt: skip
            self._fold_again = False
            self._start_fold_interval(loop)
            return
        taken, marks = future.result()
        self._folded_marks = marks
        self._unfolded = max(self._unfolded - taken, 0)
        self._fold_again = taken >= self._fold_policy.chunk_rows
        if self._unfolded and not self._fold_again:
            self._start_fold_interval(loop)
        self._wake.set()

    def _trim(self) -> None:
        """Delete the rows the last fold committed from the log file (a short commit on
        the loop: only the loop writes the log file)."""
        marks = self._folded_marks
        if marks is not None:
            self._folded_marks = None
            try:
                trim_log(self._log_file(), marks)
            except sqlite3.Error:
                log.exception("trimming the credit log failed; the next fold's trim retries")
                self._folded_marks = marks

    async def _fold_rest(self) -> None:
        """At shutdown, once every reply is sent: fold what is left on the fold's thread,
        waiting for the write lock if need be. If that fails, the rows stay in the log,
        and the next start folds them before answering anything."""
        if self._folding is not None:
            with contextlib.suppress(Exception):
                await self._folding
        try:
            await self.run_sync(self._fold_everything)
        except Exception:
            log.exception("folding the credit log at shutdown failed; the next start will")

    async def _checkpoint(self, loop: asyncio.AbstractEventLoop) -> None:
        """About once a second, copy the log file's WAL back into it, off the loop (a
        checkpoint fsyncs). It runs in two passes on the writer thread: the first on its
        own connection while commits go on, then a short one for the frames added
        meanwhile, which the writer waits for. Without that second pass, a checkpoint
        racing continuous commits never finishes, the WAL never restarts, and it grows
        without end; waiting for the whole checkpoint instead stalled commits."""
        running = self._checkpointing
        if running is not None:
            if running.done():
                self._checkpointing = None
                await loop.run_in_executor(self._executor, checkpoint, self._log_file())
            return
        checkpointer = self._checkpointer
        if checkpointer is not None and loop.time() - self._last_checkpoint >= CHECKPOINT_SECONDS:
            self._last_checkpoint = loop.time()
            self._checkpointing = loop.run_in_executor(self._executor, checkpoint, checkpointer)

    def _fail(self, batch: Batch) -> None:
        """The database failed (not a row): answer the announces not saved with an error
        and keep their entries for the next try, since memory already moved on and
        dropping them would lose credit for good. Entries left out as bad are not kept."""
        _answer(batch, unsaved_failed=True)
        self._pending.entries[:0] = batch.entries
        self._wake.set()


def _answer(batch: Batch, unsaved_failed: bool) -> None:
    """Release every waiter of a batch once its commit attempt has ended."""
    for entry in batch.saved:
        entry.finish()
    for entry in batch.left_out:
        entry.finish(failed=True)
    for entry in batch.entries:
        entry.finish(failed=unsaved_failed)
    batch.done.finish(failed=unsaved_failed)


PEER_COLUMNS = (
    'SELECT torrent_id, user_id, peer_id, ipv4, ipv6, port, uploaded, downloaded, "left",'
    " client, started_at, last_announce_at FROM peers"
)


def _peer(row: tuple[Any, ...]) -> Peer:
    _, user_id, peer_id, ipv4, ipv6, port, uploaded, downloaded, left, client, started, last = row
    return Peer(
        user_id=user_id,
        peer_id=peer_id,
        port=port,
        uploaded=uploaded,
        downloaded=downloaded,
        left=left,
        client=sys.intern(client),
        started_at=started,
        last_announce_at=last,
        compact4=compact(packed_address(ipv4), port) if ipv4 else b"",
        compact6=compact(packed_address(ipv6), port) if ipv6 else b"",
    )


def _new_swarm(torrent_id: int, row: sqlite3.Row | None, snatchers: set[int]) -> Swarm:
    return Swarm(
        torrent_id=torrent_id,
        completed=row["completed"] if row else 0,
        last_seeder_at=row["last_seeder_at"] if row else None,
        snatchers=snatchers,
        registered_at=row["created_at"] if row else 0,
    )


def load_swarm(connection: sqlite3.Connection, torrent_id: int) -> Swarm:
    """A swarm with no peers yet, with the torrent's completed count and snatchers."""
    row = connection.execute(
        "SELECT completed, last_seeder_at, created_at FROM torrents WHERE id = ?", (torrent_id,)
    ).fetchone()
    snatchers = connection.execute(
        "SELECT user_id FROM snatches WHERE torrent_id = ?", (torrent_id,)
    ).fetchall()
    return _new_swarm(torrent_id, row, {snatcher[0] for snatcher in snatchers})


def load_swarms(connection: sqlite3.Connection) -> dict[int, Swarm]:
    """Every swarm that has peers in the database, as the last commit left it (three
    scans, not a query per torrent: a board may start with a million peer rows)."""
    torrents = {
        row["id"]: row
        for row in connection.execute(
            "SELECT id, completed, last_seeder_at, created_at FROM torrents"
            " WHERE id IN (SELECT DISTINCT torrent_id FROM peers)"
        )
    }
    snatchers: dict[int, set[int]] = {}
    for torrent_id, user_id in connection.execute(
        "SELECT torrent_id, user_id FROM snatches"
        " WHERE torrent_id IN (SELECT DISTINCT torrent_id FROM peers)"
    ):
        snatchers.setdefault(torrent_id, set()).add(user_id)
    swarms: dict[int, Swarm] = {}
    cursor = connection.cursor()
    cursor.row_factory = None
    for row in cursor.execute(PEER_COLUMNS):
        torrent_id = row[0]
        swarm = swarms.get(torrent_id)
        if swarm is None:
            swarm = swarms[torrent_id] = _new_swarm(
                torrent_id, torrents.get(torrent_id), snatchers.get(torrent_id, set())
            )
        swarm.add(_peer(row))
    return swarms


def reset_idle_torrents(connection: sqlite3.Connection) -> None:
    """Torrents without peer rows have no seeders or leechers, whatever a crash left."""
    connection.execute(
        "UPDATE torrents SET seeders = 0, leechers = 0 WHERE (seeders > 0 OR leechers > 0)"
        " AND id NOT IN (SELECT torrent_id FROM peers)"
    )


def write_swarm_figures(connection: sqlite3.Connection, swarms: Iterable[Swarm]) -> None:
    """Write the figures of the swarms loaded at start (counted from the peers table the
    replay left) to their torrents rows, whatever a crash left there."""
    begin_patiently(connection)
    connection.executemany(
        UPDATE_TORRENT,
        [(*swarm.counts(), swarm.last_seeder_at, swarm.torrent_id) for swarm in swarms],
    )
    connection.execute("COMMIT")
