"""The credit log: one appended row per announce, in a file of its own, folded into the
board's tables in bulk on the writer's thread.

An announce's durable effect is one narrow row of ``credit_log`` in ``credit-log.sqlite3``
beside the board's database: the peer (torrent, member, peer id, addresses, client), its
counters after the announce, the credit it earned, its event, whether it completed the
torrent, and the swarm's seeders and leechers after it. The writer's group commit appends
these rows (and any cheat-log line, to ``withheld``) and commits before any announce in it
is answered, so an answered announce is on disk.

Why a file of its own: SQLite has one write lock per database file. With the log in the
board's database, a fold had to be cut into small chunks between group commits on the
event loop (a long fold held the lock every commit waits for), and a web request's
transaction could delay every announce. In its own file the log is appended by the event
loop alone, and :func:`fold_log_file` applies thousands of rows at once to ``peers``,
``users``, ``transfers``, ``snatches``, ``torrents`` and ``cheat_log`` in ONE transaction
of the board's database on the writer's thread, while appends go on. Each of its
statements is a single SQL statement over all the rows (the log file is attached
read-only), so SQLite does the work with the GIL released, and a fold's rows that touch
one page of a table write it once (bench/announce.py, README: less CPU per announce, and
the million-peer board's p99 fell from about 120 ms to under 20).

Exactly once: the board's database holds a mark, the id of the last row folded
(``credit_fold_marks``), moved in the fold's own transaction. A crash before the fold's
commit leaves the mark and the tables as they were; a crash after it, before the folded
rows are trimmed from the log file, leaves rows at or below the mark, which the next fold
skips and the writer trims. Ids only grow (``AUTOINCREMENT``, and a log file newer than the
mark, or missing, starts past it: :func:`prepare_log`), so a row never hides below the mark.

When it runs (see :class:`tinypier.tracker.store.Writer`): once ``credit_fold_rows`` rows
wait or ``credit_fold_interval_ms`` after the oldest was committed, whichever is first, at
most ``credit_fold_chunk_rows`` rows per transaction, again at once while more wait; at
shutdown; and at start-up before the first announce is answered (the replay). Pages and the
API read the folded tables as they are: at most ``credit_fold_interval_ms`` (half a second
by default) plus one fold behind the tracker; they do not add unfolded rows.

A row whose release or member was deleted meanwhile is dropped by the fold (their tables'
rows went with them).
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mypy_extensions import mypyc_attr

from tinypier.tracker.protocol import Event
from tinypier.tracker.rules import client_name
from tinypier.tracker.swarm import Peer, Swarm, address_text

LogRow = tuple[Any, ...]
"""torrent id, user id, peer id, event, uploaded, downloaded, left, IPv4 and IPv6 addresses
as text ('' when none), port, credited uploaded and downloaded, seeding seconds, snatched
(0 or 1), the swarm's seeders and leechers, time of the announce, client name.

The peer id is written as a ``bytearray``, and no parameter of the writer's statements is
None: CPython 3.11's sqlite3 binds int, float, str and bytearray directly but looks up an
adapter for every ``bytes`` and ``None`` parameter (a key tuple, a dict miss, two
attribute lookups), 0.6-0.7 us each, against 0.1 us for the copy into a bytearray. The
addresses and the client are kept as the ``peers`` table stores them, so the fold is SQL
only (a Python function called from SQL would take the GIL back for every row)."""
Credit = tuple[int, int, int]
"""uploaded, downloaded and seeding seconds credited"""

EVENT_CODES = {Event.NONE: 0, Event.STARTED: 1, Event.COMPLETED: 2, Event.STOPPED: 3,
               Event.PAUSED: 4}  # fmt: skip
STOPPED = EVENT_CODES[Event.STOPPED]
EXPIRED = 5
"""The code of a row that removes a peer the sweep found silent; it credits nothing."""
NO_CREDIT: Credit = (0, 0, 0)

LOG_FILE_SCHEMA = """
CREATE TABLE IF NOT EXISTS credit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, torrent_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL, peer_id BLOB NOT NULL, event INTEGER NOT NULL,
    uploaded INTEGER NOT NULL, downloaded INTEGER NOT NULL, "left" INTEGER NOT NULL,
    ipv4 TEXT NOT NULL, ipv6 TEXT NOT NULL, port INTEGER NOT NULL,
    credited_uploaded INTEGER NOT NULL, credited_downloaded INTEGER NOT NULL,
    seeding_seconds INTEGER NOT NULL, snatched INTEGER NOT NULL, seeders INTEGER NOT NULL,
    leechers INTEGER NOT NULL, at INTEGER NOT NULL, client TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS withheld (
    id INTEGER PRIMARY KEY AUTOINCREMENT, torrent_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL, claimed_uploaded INTEGER NOT NULL,
    credited_uploaded INTEGER NOT NULL, claimed_downloaded INTEGER NOT NULL,
    credited_downloaded INTEGER NOT NULL, created_at INTEGER NOT NULL, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS owner (
    id INTEGER PRIMARY KEY CHECK (id = 1), board_id TEXT NOT NULL,
    credit_log_through INTEGER NOT NULL, withheld_through INTEGER NOT NULL
);
"""
"""The log file's tables. No foreign keys (they are in another file): the fold drops the
rows of releases and members deleted meanwhile. ``owner`` names the board whose log this
is and the marks the log was last trimmed to (:func:`log_file_problem`)."""

APPEND = (
    "INSERT INTO credit_log (torrent_id, user_id, peer_id, event, uploaded, downloaded,"
    ' "left", ipv4, ipv6, port, credited_uploaded, credited_downloaded, seeding_seconds,'
    " snatched, seeders, leechers, at, client)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
APPEND_WITHHELD = (
    "INSERT INTO withheld (torrent_id, user_id, claimed_uploaded, credited_uploaded,"
    " claimed_downloaded, credited_downloaded, created_at, reason)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
TRIM = ("DELETE FROM credit_log WHERE id <= ?", "DELETE FROM withheld WHERE id <= ?")
"""What the writer deletes from the log file once a fold has committed its marks (the
credit log's, the withheld lines'), one statement per mark."""
RECORD_TRIM = "UPDATE owner SET credit_log_through = ?, withheld_through = ?"
READ_OWNER = "SELECT board_id, credit_log_through, withheld_through FROM owner"
CLAIM = "INSERT INTO owner (id, board_id, credit_log_through, withheld_through) VALUES (1, ?, ?, ?)"
WAITING = "SELECT COUNT(*) FROM credit_log WHERE id > ?"

READ_MARKS = "SELECT credit_log_through, withheld_through FROM credit_fold_marks"
READ_BOARD = "SELECT board_id, credit_log_through, withheld_through FROM credit_fold_marks"
WRITE_MARKS = "UPDATE credit_fold_marks SET credit_log_through = ?, withheld_through = ?"
LOG_WINDOW = (
    "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM credit_log_file.credit_log WHERE id > ?"
    " ORDER BY id LIMIT ?)"
)
WITHHELD_END = "SELECT COALESCE(MAX(id), ?1) FROM credit_log_file.withheld WHERE id > ?1"

FOLD_ROWS_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS fold_rows (id INTEGER PRIMARY KEY, torrent_id INTEGER,"
    " user_id INTEGER, peer_id BLOB, event INTEGER, uploaded INTEGER, downloaded INTEGER,"
    ' "left" INTEGER, ipv4 TEXT, ipv6 TEXT, port INTEGER, credited_uploaded INTEGER,'
    " credited_downloaded INTEGER, seeding_seconds INTEGER, snatched INTEGER, seeders INTEGER,"
    " leechers INTEGER, at INTEGER, client TEXT)",
    "CREATE INDEX IF NOT EXISTS temp.fold_rows_by_peer"
    " ON fold_rows (torrent_id, user_id, peer_id, id)",
)
"""One fold's rows, in memory (``temp_store=MEMORY``), at most a chunk of them, indexed
by peer: the peers' statement groups by it and finds each session's first row by it."""
TAKE_FROM_LOG = (
    "INSERT INTO temp.fold_rows SELECT l.id, torrent_id, user_id, peer_id, event, uploaded,"
    ' downloaded, "left", ipv4, ipv6, port, credited_uploaded, credited_downloaded,'
    " seeding_seconds, snatched, seeders, leechers, at, client"
    " FROM credit_log_file.credit_log l WHERE l.id > ?1 AND l.id <= ?2"
    " AND EXISTS (SELECT 1 FROM main.torrents WHERE id = l.torrent_id)"
    " AND EXISTS (SELECT 1 FROM main.users WHERE id = l.user_id)"
)
"""One fold's rows: the oldest past the mark, of releases and members that still exist."""
TAKE_ROW = (
    "INSERT INTO temp.fold_rows VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
DROP_DEAD_ROWS = (
    "DELETE FROM temp.fold_rows WHERE NOT EXISTS (SELECT 1 FROM main.torrents WHERE id ="
    " torrent_id) OR NOT EXISTS (SELECT 1 FROM main.users WHERE id = user_id)"
)
FOLD = (
    # A peer that stopped or expired in the fold is deleted; if it came back later in the
    # same fold, the next statement inserts it again with the start of its new session.
    "DELETE FROM main.peers WHERE (torrent_id, user_id, peer_id) IN"
    " (SELECT torrent_id, user_id, peer_id FROM temp.fold_rows WHERE event IN (3, 5))",
    # Every other peer as its last row left it; a peer new to the table started at its
    # first row after its last removal, a known one keeps its start.
    "INSERT INTO main.peers (torrent_id, user_id, peer_id, ipv4, ipv6, port, uploaded,"
    ' downloaded, "left", client, started_at, last_announce_at)'
    " SELECT r.torrent_id, r.user_id, r.peer_id, NULLIF(r.ipv4, ''), NULLIF(r.ipv6, ''),"
    ' r.port, r.uploaded, r.downloaded, r."left", r.client,'
    " (SELECT s.at FROM temp.fold_rows s WHERE s.torrent_id = k.torrent_id"
    " AND s.user_id = k.user_id AND s.peer_id = k.peer_id AND s.id > k.removed"
    " ORDER BY s.id LIMIT 1), r.at"
    " FROM (SELECT torrent_id, user_id, peer_id, MAX(id) AS last,"
    " COALESCE(MAX(CASE WHEN event IN (3, 5) THEN id END), 0) AS removed"
    " FROM temp.fold_rows GROUP BY torrent_id, user_id, peer_id) AS k"
    " JOIN temp.fold_rows r ON r.id = k.last WHERE r.event NOT IN (3, 5)"
    " ON CONFLICT (torrent_id, user_id, peer_id) DO UPDATE SET ipv4 = excluded.ipv4,"
    " ipv6 = excluded.ipv6, port = excluded.port, uploaded = excluded.uploaded,"
    ' downloaded = excluded.downloaded, "left" = excluded."left", client = excluded.client,'
    " last_announce_at = excluded.last_announce_at",
    "UPDATE main.users SET uploaded = users.uploaded + c.up,"
    " downloaded = users.downloaded + c.down FROM (SELECT user_id,"
    " SUM(credited_uploaded) AS up, SUM(credited_downloaded) AS down FROM temp.fold_rows"
    " WHERE event != 5 GROUP BY user_id HAVING up != 0 OR down != 0) AS c"
    " WHERE users.id = c.user_id",
    # A transfer new to the table was first seen at its first row; each was last seen at
    # its last row.
    "INSERT INTO main.transfers (torrent_id, user_id, uploaded, downloaded, seeding_seconds,"
    " first_seen_at, last_seen_at) SELECT t.torrent_id, t.user_id, t.up, t.down, t.seeding,"
    " first.at, last.at FROM (SELECT torrent_id, user_id, SUM(credited_uploaded) AS up,"
    " SUM(credited_downloaded) AS down, SUM(seeding_seconds) AS seeding, MIN(id) AS first,"
    " MAX(id) AS last FROM temp.fold_rows WHERE event != 5 GROUP BY torrent_id, user_id) AS t"
    " JOIN temp.fold_rows first ON first.id = t.first"
    " JOIN temp.fold_rows last ON last.id = t.last WHERE true"
    " ON CONFLICT (torrent_id, user_id) DO UPDATE SET uploaded = uploaded + excluded.uploaded,"
    " downloaded = downloaded + excluded.downloaded,"
    " seeding_seconds = seeding_seconds + excluded.seeding_seconds,"
    " last_seen_at = excluded.last_seen_at",
    "INSERT OR IGNORE INTO main.snatches (torrent_id, user_id, completed_at)"
    " SELECT s.torrent_id, s.user_id, r.at FROM (SELECT torrent_id, user_id, MIN(id) AS first"
    " FROM temp.fold_rows WHERE snatched GROUP BY torrent_id, user_id) AS s"
    " JOIN temp.fold_rows r ON r.id = s.first",
    # Only a release whose figures move: seeders, leechers and completed are indexed (the
    # listing sorts by them), and SQLite rewrites the index entry of every column an
    # UPDATE sets, changed or not; most re-announces leave a swarm's figures as they were.
    "UPDATE main.torrents SET seeders = c.seeders, leechers = c.leechers,"
    " completed = torrents.completed + c.snatched FROM (SELECT r.torrent_id, r.seeders,"
    " r.leechers, t.snatched FROM (SELECT torrent_id, MAX(id) AS last, SUM(snatched)"
    " AS snatched FROM temp.fold_rows GROUP BY torrent_id) AS t JOIN temp.fold_rows r"
    " ON r.id = t.last) AS c WHERE torrents.id = c.torrent_id"
    " AND (torrents.seeders IS NOT c.seeders OR torrents.leechers IS NOT c.leechers"
    " OR c.snatched != 0)",
    # The newest time a seeder announced; not indexed, so its update rewrites the row only.
    "UPDATE main.torrents SET last_seeder_at = c.seen FROM (SELECT torrent_id, MAX(at) AS seen"
    ' FROM temp.fold_rows WHERE "left" = 0 AND event NOT IN (3, 5) GROUP BY torrent_id) AS c'
    " WHERE torrents.id = c.torrent_id"
    " AND (torrents.last_seeder_at IS NULL OR torrents.last_seeder_at < c.seen)",
)
"""The fold, one statement per table, over every row of ``temp.fold_rows`` at once."""
FOLD_WITHHELD = (
    "INSERT INTO main.cheat_log (torrent_id, user_id, claimed_uploaded, credited_uploaded,"
    " claimed_downloaded, credited_downloaded, created_at, reason) SELECT torrent_id,"
    " user_id, claimed_uploaded, credited_uploaded, claimed_downloaded, credited_downloaded,"
    " created_at, reason FROM credit_log_file.withheld l WHERE l.id > ?1 AND l.id <= ?2"
    " AND EXISTS (SELECT 1 FROM main.torrents WHERE id = l.torrent_id)"
    " AND EXISTS (SELECT 1 FROM main.users WHERE id = l.user_id)"
    " ORDER BY l.id"
)
TRIM_CHEAT_LOG = "DELETE FROM cheat_log WHERE id <= (SELECT MAX(id) FROM cheat_log) - ?"

STOP_AT_VARIABLE = "TEST_TINYPIER_STOP_AT"
"""A test hook: ``<point>`` or ``<point>:<n>`` makes the process exit at once (as ``kill
-9`` would stop it, without cleanup) the n-th time it reaches that point of the writer."""
BEFORE_APPEND_COMMIT = "before-append-commit"
AFTER_APPEND_COMMIT = "after-append-commit"
MID_FOLD = "mid-fold"
AFTER_FOLD_BEFORE_TRIM = "after-fold-before-trim"
STOP_POINTS = (BEFORE_APPEND_COMMIT, AFTER_APPEND_COMMIT, MID_FOLD, AFTER_FOLD_BEFORE_TRIM)
STOPPED_EXIT_CODE = 137


def _armed_stop(value: str | None) -> tuple[str, int] | None:
    if not value:
        return None
    point, _, count = value.partition(":")
    if point not in STOP_POINTS:
        raise ValueError(f"{STOP_AT_VARIABLE}: not a stop point: {point!r}")
    return point, int(count or 1)


_ARMED_STOP = _armed_stop(os.environ.get(STOP_AT_VARIABLE))
_reached: Counter[str] = Counter()


def stop_point(name: str) -> None:
    """Exit here if a test armed this point (see :data:`STOP_AT_VARIABLE`)."""
    if _ARMED_STOP is not None and _ARMED_STOP[0] == name:
        _reached[name] += 1
        if _reached[name] >= _ARMED_STOP[1]:
            os._exit(STOPPED_EXIT_CODE)


def saved_row(
    torrent_id: int, peer: Peer, event: Event, credit: Credit, snatched: bool, swarm: Swarm, at: int
) -> LogRow:
    """The row of an announce that leaves ``peer`` in the swarm."""
    return (torrent_id, peer.user_id, bytearray(peer.peer_id), EVENT_CODES[event],
            peer.uploaded, peer.downloaded, peer.left,
            address_text(peer.compact4[:-2]) or "", address_text(peer.compact6[:-2]) or "",
            peer.port, *credit, snatched, len(swarm.seeders), len(swarm.leechers), at,
            peer.client)  # fmt: skip


def removed_row(
    torrent_id: int,
    key: tuple[int, bytes],
    event: int,
    credit: Credit,
    snatched: bool,
    swarm: Swarm,
    at: int,
) -> LogRow:
    """The row of a ``stopped`` announce (:data:`STOPPED`) or of an expiry (:data:`EXPIRED`):
    the peer leaves the swarm; its counters are not kept."""
    user_id, peer_id = key
    return (torrent_id, user_id, bytearray(peer_id), event, 0, 0, 0, "", "", 0, *credit,
            snatched, len(swarm.seeders), len(swarm.leechers), at, "")  # fmt: skip


def log_file_connection(path: Path, busy_timeout_ms: int = 0) -> sqlite3.Connection:
    """A connection to the log file (made if missing): WAL, ``synchronous=NORMAL`` (a
    commit survives the process being killed, as the board's does), no checkpoint on
    commit (the writer checkpoints off the loop). The event loop's own connection never
    waits for a lock (its commit goes to a thread instead); folds at start, at shutdown
    and from other programs wait ``busy_timeout_ms`` for the loop's commits."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                   f"PRAGMA busy_timeout={int(busy_timeout_ms)}",
                   "PRAGMA wal_autocheckpoint=0"):  # fmt: skip
        connection.execute(pragma)
    connection.executescript(LOG_FILE_SCHEMA)
    return connection


@mypyc_attr(native_class=False)
class CreditLogMismatch(RuntimeError):
    """The credit-log file is not the one this board's database left behind; the message
    says why and what to do. Nothing was folded or changed. (A Python class in the
    compiled build: mypyc compiles no subclass of a built-in exception.)"""


Marks = tuple[int, int]
"""The last credit-log row and withheld line folded (or trimmed)."""
Owner = tuple[str, int, int]
"""A board's id and marks: the board's own (``credit_fold_marks``), or those a log file
records (``owner``)."""


def unfolded_after(board: Owner, owner: Owner | None) -> int:
    """The id past which a log file's rows are not folded, as far as its owner row and
    this ``board`` tell: the board's mark, or for another board's log its own last trim."""
    if owner is None:
        return board[1]
    if owner[0] != board[0]:
        return owner[1]
    return max(board[1], owner[1])


def log_file_problem(board: Owner, owner: Owner | None, waiting: int) -> str | None:
    """Why a log file, whose ``owner`` row is given (None: a new file, or one an older
    version made), must not be folded into this ``board``; None when it may. ``waiting``:
    how many of its rows are not folded (past :func:`unfolded_after`), for the advice.

    A log file is trimmed only after the board's fold commits, so its marks never pass
    the board's. When they do, the database is an older copy than the log file (restored
    from a backup without its log file): the rows between were folded into a database
    that is gone, and the log's rows after them would be credited against a past state."""
    if owner is None:
        return None
    drop = (
        f"or move it away (with its -wal and -shm files) to start an empty log, dropping"
        f" the {waiting} announce(s) it holds that were not folded yet"
    )
    if owner[0] != board[0]:
        return (
            f"the credit log file belongs to another board (board id {owner[0]}; this"
            f" database's is {board[0]}): put it back beside its own database, {drop}"
        )
    if owner[1] > board[1] or owner[2] > board[2]:
        return (
            f"the board's database is older than its credit log file: the log was trimmed"
            f" through row {owner[1]}, the database folded only through row {board[1]}"
            f" (restored from a backup without its credit log?). Restore the credit log"
            f" file saved with the same backup, {drop}"
        )
    return None


def read_board(main: sqlite3.Connection) -> Owner:
    """The board's id and marks, from the connection to its database."""
    board_id, credit_mark, withheld_mark = main.execute(READ_BOARD).fetchone()
    return str(board_id), int(credit_mark), int(withheld_mark)


def check_owner(log_file: sqlite3.Connection, board: Owner) -> tuple[Owner | None, int]:
    """The log file's owner row (None: a new file, or one an older version made) and how
    many of its rows wait to be folded; :class:`CreditLogMismatch` if it must not be
    folded into ``board`` (:func:`log_file_problem`). Only reads the log file."""
    tables = {row[0] for row in log_file.execute("SELECT name FROM sqlite_schema")}
    owner = log_file.execute(READ_OWNER).fetchone() if "owner" in tables else None
    waiting = int(log_file.execute(WAITING, (unfolded_after(board, owner),)).fetchone()[0])
    problem = log_file_problem(board, owner, waiting)
    if problem is not None:
        raise CreditLogMismatch(problem)
    return owner, waiting


def prepare_log(main: sqlite3.Connection, log_file: sqlite3.Connection) -> None:
    """Check that the log file is this board's (:class:`CreditLogMismatch` if not), make
    its next ids come after the board's marks, and trim what they cover. A log file that
    is new (first start, or lost) would otherwise number its rows from 1 again, under a
    mark that would hide them from every fold."""
    board = read_board(main)
    marks = board[1], board[2]
    log_file.execute("BEGIN IMMEDIATE")
    try:
        owner, _ = check_owner(log_file, board)
        if owner is None:
            log_file.execute(CLAIM, board)
        for table, mark in zip(("credit_log", "withheld"), marks, strict=True):
            log_file.execute(
                "DELETE FROM sqlite_sequence WHERE name = ? AND seq < ?", (table, mark)
            )
            log_file.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, ?2"
                " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
                (table, mark),
            )
        trim_folded(log_file, marks)
    except BaseException:
        log_file.execute("ROLLBACK")
        raise
    log_file.execute("COMMIT")


def trim_folded(log_file: sqlite3.Connection, marks: Marks) -> None:
    """Delete from the log file what the board's marks say is folded, and record the
    marks (:func:`log_file_problem`), in the caller's transaction."""
    for sql, mark in zip(TRIM, marks, strict=True):
        log_file.execute(sql, (mark,))
    log_file.execute(RECORD_TRIM, marks)


def read_only_uri(path: Path) -> str:
    """The URI that opens a database file for reading only (``uri=True``, or ATTACH)."""
    return path.resolve().as_uri() + "?mode=ro"


def refuse_foreign_log_file(main: sqlite3.Connection, path: Path) -> int:
    """Raise :class:`CreditLogMismatch` if the log file at ``path`` must not be folded
    into the board ``main`` is connected to, or cannot be read; else return how many of
    its rows wait to be folded (0 when there is no log file). Reads without changing
    anything, before the board is served (a refusal is then a clear error rather than a
    tracker that fails to start) and for ``tinypier check``."""
    if not path.is_file():
        return 0
    connection = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return check_owner(connection, read_board(main))[1]
    except sqlite3.DatabaseError as error:
        raise CreditLogMismatch(f"the credit log file {path} cannot be read: {error}") from None
    finally:
        connection.close()


def attach_log_file(main: sqlite3.Connection, path: Path) -> None:
    """Attach the log file to the board's connection that folds, read-only: its
    ``BEGIN IMMEDIATE`` then takes the board's write lock and no lock of the log file,
    whose appends go on during the fold.

    The connection's commits are made durable (``synchronous=FULL``: the WAL is synced,
    one sync a fold, on the fold's thread): the trim that follows in the log file records
    the fold's marks, and a power loss that kept the trim but lost the fold would leave a
    log whose marks pass the board's, which :func:`log_file_problem` refuses."""
    attached = {row[1] for row in main.execute("PRAGMA database_list")}
    if "credit_log_file" not in attached:
        main.execute("PRAGMA main.synchronous=FULL")
        main.execute("PRAGMA temp_store=MEMORY")
        main.execute("ATTACH DATABASE ? AS credit_log_file", (read_only_uri(path),))
        for sql in FOLD_ROWS_TABLE:
            main.execute(sql)


def begin_immediate(connection: sqlite3.Connection) -> None:
    """Take the write lock, waiting as long as the connection's busy timeout says."""
    connection.execute("BEGIN IMMEDIATE")


def fold_log_file(
    main: sqlite3.Connection,
    begin: Callable[[sqlite3.Connection], None],
    chunk: int,
    cheat_log_max_rows: int,
) -> tuple[int, tuple[int, int]]:
    """Apply the oldest ``chunk`` rows of the log file past the board's mark (and every
    cheat-log line) to the tables and move the marks past them, in one transaction
    opened by ``begin``. Returns how many log rows it took and the marks, up to which the
    log file may be trimmed (:data:`TRIM`). ``main`` has the log file attached
    (:func:`attach_log_file`)."""
    begin(main)
    try:
        marks = credit_mark, withheld_mark = main.execute(READ_MARKS).fetchone()
        last, taken = main.execute(LOG_WINDOW, (credit_mark, chunk)).fetchone()
        withheld_last = main.execute(WITHHELD_END, (withheld_mark,)).fetchone()[0]
        if not taken and withheld_last == withheld_mark:
            main.execute("ROLLBACK")
            return 0, (int(credit_mark), int(withheld_mark))
        if taken:
            main.execute(TAKE_FROM_LOG, (credit_mark, last))
            _fold_taken_rows(main)
            credit_mark = last
        if withheld_last > withheld_mark:
            main.execute(FOLD_WITHHELD, (withheld_mark, withheld_last))
            main.execute(TRIM_CHEAT_LOG, (cheat_log_max_rows,))
        marks = int(credit_mark), int(withheld_last)
        main.execute(WRITE_MARKS, marks)
    except BaseException:
        main.execute("ROLLBACK")
        raise
    main.execute("COMMIT")
    stop_point(AFTER_FOLD_BEFORE_TRIM)
    return int(taken), marks


def fold_rows(main: sqlite3.Connection, rows: Sequence[LogRow]) -> None:
    """Apply ``rows`` (in the order they were logged) to the tables, in the caller's
    transaction, without a log file: for the rows a version before the log file left in
    the board's own ``credit_log``."""
    main.execute("PRAGMA temp_store=MEMORY")
    for sql in FOLD_ROWS_TABLE:
        main.execute(sql)
    main.executemany(TAKE_ROW, rows)
    main.execute(DROP_DEAD_ROWS)
    _fold_taken_rows(main)


def _fold_taken_rows(main: sqlite3.Connection) -> None:
    try:
        for number, sql in enumerate(FOLD):
            main.execute(sql)
            if number == 0:
                stop_point(MID_FOLD)
    finally:
        main.execute("DELETE FROM temp.fold_rows")


def fold_whole_log_file(
    main: sqlite3.Connection,
    begin: Callable[[sqlite3.Connection], None],
    chunk: int,
    cheat_log_max_rows: int,
) -> tuple[int, tuple[int, int]]:
    """Fold the log file until nothing is past the marks (at start-up and at shutdown,
    when no reply waits); returns how many rows it folded and the last marks."""
    folded = 0
    while True:
        taken, marks = fold_log_file(main, begin, chunk, cheat_log_max_rows)
        folded += taken
        if taken < chunk:
            return folded, marks


LEGACY_ROWS = (
    'SELECT torrent_id, user_id, peer_id, event, uploaded, downloaded, "left", address4,'
    " address6, port, credited_uploaded, credited_downloaded, seeding_seconds, snatched,"
    " seeders, leechers, at FROM credit_log ORDER BY id"
)


def fold_legacy_log(main: sqlite3.Connection) -> int:
    """Fold the rows a version before the log file left in the board's own ``credit_log``
    (a crash before its fold), in one transaction that also deletes them; returns how
    many. Their addresses were compact (address and port) and their client unnamed."""
    begin_immediate(main)
    try:
        cursor = main.cursor()
        cursor.row_factory = None
        rows = [_legacy_row(row) for row in cursor.execute(LEGACY_ROWS).fetchall()]
        if rows:
            fold_rows(main, rows)
            main.execute("DELETE FROM credit_log")
    except BaseException:
        main.execute("ROLLBACK")
        raise
    main.execute("COMMIT")
    return len(rows)


def _legacy_row(row: tuple[Any, ...]) -> LogRow:
    address4, address6 = (address_text(bytes(address)[:-2]) or "" for address in row[7:9])
    return (*row[:7], address4, address6, *row[9:], client_name(bytes(row[2])))
