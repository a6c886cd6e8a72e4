"""The credit log: one appended row per announce, folded into the board's tables in bulk.

An announce's durable effect is one narrow row of ``credit_log``: the peer (torrent,
member, peer id), its counters and addresses after the announce, the credit it earned,
its event, whether it completed the torrent, and the swarm's seeders and leechers after
it. The writer's group commit appends these rows and commits before any announce in it
is answered, so an answered announce is on disk (one B-tree, a page or two per commit,
instead of an update of ``peers``, ``users``, ``transfers`` and ``torrents`` each).

:func:`fold_credit_log` applies the oldest rows (at most a chunk of them) to ``peers``,
``users``, ``transfers``, ``snatches`` and ``torrents`` and deletes exactly those rows, in
ONE transaction. So whatever point a crash stops it at (mid-fold, or after the tables are
updated but before the rows are trimmed) nothing of that chunk is committed: its rows are
still there and the next fold applies them exactly once. A row is never folded twice
because its trim commits with its fold, atomically; no high-water mark is needed, and
any connection may fold (the write lock makes two folds take turns, and the second finds
only rows the first did not take).

When it runs (see :class:`tinypier.tracker.store.Writer`): once ``credit_fold_rows`` rows
are waiting or ``credit_fold_interval_ms`` after the oldest row was committed, whichever
is first, the writer folds the log a chunk of ``credit_fold_chunk_rows`` at a time on the
event loop, one chunk after each group commit, until it is empty; while nothing is
waiting to commit it also folds whole chunks early. A fold never holds SQLite's write
lock (and so the commits announces wait for) for more than one chunk. At shutdown the
writer folds what is left, and at start-up, before the first announce is read, it folds
what a crash left (the replay). The tables the pages and the API read are thus at most
``credit_fold_interval_ms`` (half a second by default) plus one fold behind the tracker;
they do not add unfolded rows themselves.

A row whose release or member was deleted meanwhile is dropped by the fold (their
tables' rows went with them).
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from tinypier.tracker.protocol import Event
from tinypier.tracker.rules import client_name
from tinypier.tracker.swarm import Peer, Swarm, address_text

LogRow = tuple[Any, ...]
"""torrent id, user id, peer id, event, uploaded, downloaded, left, compact IPv4 and IPv6
addresses (empty when none), port, credited uploaded and downloaded, seeding seconds,
snatched (0 or 1), the swarm's seeders and leechers, time of the announce.

The blobs are written as ``bytearray``, and no parameter of the writer's statements is
None: CPython 3.11's sqlite3 binds int, float, str and bytearray directly but looks up an
adapter for every ``bytes`` and ``None`` parameter (a key tuple, a dict miss, two
attribute lookups), 0.6-0.7 us each, against 0.1 us for the copy into a bytearray: about
2 us per announce at the append and as much again at the fold."""
Credit = tuple[int, int, int]
"""uploaded, downloaded and seeding seconds credited"""

EVENT_CODES = {Event.NONE: 0, Event.STARTED: 1, Event.COMPLETED: 2, Event.STOPPED: 3,
               Event.PAUSED: 4}  # fmt: skip
STOPPED = EVENT_CODES[Event.STOPPED]
EXPIRED = 5
"""The code of a row that removes a peer the sweep found silent; it credits nothing."""
REMOVALS = (STOPPED, EXPIRED)
NO_CREDIT: Credit = (0, 0, 0)

APPEND = (
    "INSERT INTO credit_log (torrent_id, user_id, peer_id, event, uploaded, downloaded,"
    ' "left", address4, address6, port, credited_uploaded, credited_downloaded,'
    " seeding_seconds, snatched, seeders, leechers, at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
TAKEN = "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM credit_log ORDER BY id LIMIT ?)"
"""The last id and the number of the rows one fold takes: the oldest, at most a chunk."""
FOLDABLE_ROWS = (
    'SELECT torrent_id, user_id, peer_id, event, uploaded, downloaded, l."left", address4,'
    " address6, port, credited_uploaded, credited_downloaded, seeding_seconds, snatched,"
    " seeders, leechers, at FROM credit_log l WHERE l.id <= ?"
    " AND EXISTS (SELECT 1 FROM torrents WHERE id = l.torrent_id)"
    " AND EXISTS (SELECT 1 FROM users WHERE id = l.user_id) ORDER BY l.id"
)
TRIM = "DELETE FROM credit_log WHERE id <= ?"
"""The rows the fold took: the fold holds the write lock, so none was appended since it
read, and a row appended later has a greater id."""
WHOLE_LOG = 1 << 62
"""A chunk without limit: the whole log in one fold."""

DELETE_PEER = "DELETE FROM peers WHERE torrent_id = ? AND user_id = ? AND peer_id = ?"
UPSERT_PEER = (
    "INSERT INTO peers (torrent_id, user_id, peer_id, ipv4, ipv6, port, uploaded, downloaded,"
    ' "left", client, started_at, last_announce_at)'
    " VALUES (?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (torrent_id, user_id, peer_id) DO UPDATE SET ipv4 = excluded.ipv4,"
    " ipv6 = excluded.ipv6, port = excluded.port, uploaded = excluded.uploaded,"
    ' downloaded = excluded.downloaded, "left" = excluded."left", client = excluded.client,'
    " last_announce_at = excluded.last_announce_at"
)
CREDIT_USER = "UPDATE users SET uploaded = uploaded + ?, downloaded = downloaded + ? WHERE id = ?"
CREDIT_TRANSFER = (
    "INSERT INTO transfers (torrent_id, user_id, uploaded, downloaded, seeding_seconds,"
    " first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (torrent_id, user_id) DO UPDATE SET uploaded = uploaded + excluded.uploaded,"
    " downloaded = downloaded + excluded.downloaded,"
    " seeding_seconds = seeding_seconds + excluded.seeding_seconds,"
    " last_seen_at = excluded.last_seen_at"
)
INSERT_SNATCH = (
    "INSERT OR IGNORE INTO snatches (torrent_id, user_id, completed_at) VALUES (?, ?, ?)"
)
UPDATE_TORRENT = (
    "UPDATE torrents SET seeders = ?1, leechers = ?2, completed = completed + ?3"
    " WHERE id = ?4 AND (seeders IS NOT ?1 OR leechers IS NOT ?2 OR ?3 != 0)"
)
"""Only a release whose figures move: ``seeders``, ``leechers`` and ``completed`` are
indexed (the listing sorts by them), and SQLite rewrites an index entry of every column
an UPDATE sets, changed or not. Most re-announces leave a swarm's figures as they were,
so most releases of a fold are read, not written (10 us a row less in bench/fold_cost.py)."""
SEEN_SEEDER = (
    "UPDATE torrents SET last_seeder_at = ?1"
    " WHERE id = ?2 AND (last_seeder_at IS NULL OR last_seeder_at < ?1)"
)
"""The newest time a seeder announced; not indexed, so its update rewrites the row only."""

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
            peer.uploaded, peer.downloaded, peer.left, bytearray(peer.compact4),
            bytearray(peer.compact6), peer.port, *credit, snatched, len(swarm.seeders),
            len(swarm.leechers), at)  # fmt: skip


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
    return (torrent_id, user_id, bytearray(peer_id), event, 0, 0, 0, bytearray(),
            bytearray(), 0, *credit, snatched, len(swarm.seeders), len(swarm.leechers),
            at)  # fmt: skip


def begin_immediate(connection: sqlite3.Connection) -> None:
    """Take the write lock, waiting as long as the connection's busy timeout says."""
    connection.execute("BEGIN IMMEDIATE")


def fold_credit_log(
    connection: sqlite3.Connection,
    begin: Callable[[sqlite3.Connection], None] = begin_immediate,
    chunk: int = WHOLE_LOG,
) -> int:
    """Apply the oldest ``chunk`` rows of the log to the tables and delete them, in one
    transaction opened by ``begin``; returns how many rows it took off the log (fewer
    than ``chunk`` when it emptied the log)."""
    begin(connection)
    try:
        last, taken = connection.execute(TAKEN, (chunk,)).fetchone()
        if taken:
            cursor = connection.cursor()
            cursor.row_factory = None
            rows = cursor.execute(FOLDABLE_ROWS, (last,)).fetchall()
            for number, (sql, parameters) in enumerate(_fold_statements(rows)):
                connection.executemany(sql, parameters)
                if number == 0:
                    stop_point(MID_FOLD)
            stop_point(AFTER_FOLD_BEFORE_TRIM)
            connection.execute(TRIM, (last,))
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return int(taken)


def fold_whole_log(
    connection: sqlite3.Connection,
    begin: Callable[[sqlite3.Connection], None] = begin_immediate,
    chunk: int = WHOLE_LOG,
) -> int:
    """Fold the log a chunk at a time until it is empty (at start-up and at shutdown,
    when no reply waits); returns how many rows it folded."""
    folded = 0
    while (taken := fold_credit_log(connection, begin, chunk)) > 0:
        folded += taken
        if taken < chunk:
            break
    return folded


class _Fold:
    """The rows of one fold gathered per table row: what each statement writes once."""

    def __init__(self) -> None:
        self.removed: list[tuple[int, int, bytes]] = []
        self.peers: dict[tuple[int, int, bytes], LogRow] = {}
        self.started: dict[tuple[int, int, bytes], int] = {}
        self.users: dict[int, list[int]] = {}
        self.transfers: dict[tuple[int, int], list[int]] = {}
        self.snatches: dict[tuple[int, int], int] = {}
        self.torrents: dict[int, list[Any]] = {}

    def add(self, row: LogRow) -> None:
        (torrent_id, user_id, peer_id, event, _, _, left, _, _, _, uploaded, downloaded,
         seeding, snatched, seeders, leechers, at) = row  # fmt: skip
        key = (torrent_id, user_id, peer_id)
        torrent = self.torrents.setdefault(torrent_id, [0, 0, 0, None])
        torrent[0], torrent[1] = seeders, leechers
        if event in REMOVALS:
            self.peers.pop(key, None)
            self.started.pop(key, None)
            self.removed.append(key)
        else:
            self.peers[key] = row
            self.started.setdefault(key, at)
            if left == 0:
                torrent[3] = at if torrent[3] is None else max(torrent[3], at)
        if snatched:
            self.snatches.setdefault((torrent_id, user_id), at)
            torrent[2] += 1
        if event != EXPIRED:
            self._credit(torrent_id, user_id, (uploaded, downloaded, seeding), at)

    def _credit(self, torrent_id: int, user_id: int, credit: Credit, at: int) -> None:
        uploaded, downloaded, seeding = credit
        if uploaded or downloaded:
            totals = self.users.setdefault(user_id, [0, 0])
            totals[0] += uploaded
            totals[1] += downloaded
        transfer = self.transfers.setdefault((torrent_id, user_id), [0, 0, 0, at, at])
        transfer[0] += uploaded
        transfer[1] += downloaded
        transfer[2] += seeding
        transfer[4] = at

    def peer_rows(self) -> list[tuple[Any, ...]]:
        """The peers' rows as the last row of each left them, with the time its session
        started (kept for a peer already in the table); a missing address is given as ''
        and stored as NULL (see :data:`LogRow` for why no parameter is None)."""
        rows = []
        for key, row in self.peers.items():
            torrent_id, user_id, peer_id, _, up, down, left, address4, address6, port = row[:10]
            rows.append((torrent_id, user_id, bytearray(peer_id),
                         address_text(address4[:-2]) or "", address_text(address6[:-2]) or "",
                         port, up, down, left, client_name(peer_id), self.started[key],
                         row[16]))  # fmt: skip
        return rows

    def torrent_rows(self) -> list[tuple[Any, ...]]:
        """Each release's seeders and leechers as its last row counted them, completions
        added."""
        return [
            (seeders, leechers, snatched, torrent_id)
            for torrent_id, (seeders, leechers, snatched, _) in self.torrents.items()
        ]

    def seen_rows(self) -> list[tuple[int, int]]:
        """The newest time a seeder announced, for each release one did."""
        return [
            (seen, torrent_id)
            for torrent_id, (_, _, _, seen) in self.torrents.items()
            if seen is not None
        ]


def _fold_statements(rows: Iterable[LogRow]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The rows folded per table row, in the order they were appended: a peer that left
    and came back within one fold is deleted, then inserted with its new start time."""
    fold = _Fold()
    for row in rows:
        fold.add(row)
    return [
        (DELETE_PEER, list(dict.fromkeys(fold.removed))),
        (UPSERT_PEER, fold.peer_rows()),
        (CREDIT_USER, [(up, down, user_id) for user_id, (up, down) in fold.users.items()]),
        (CREDIT_TRANSFER, [(t, u, *values) for (t, u), values in fold.transfers.items()]),
        (INSERT_SNATCH, [(t, u, at) for (t, u), at in fold.snatches.items()]),
        (UPDATE_TORRENT, fold.torrent_rows()),
        (SEEN_SEEDER, fold.seen_rows()),
    ]
