"""The credit log: one durable row per answered announce, folded into the tables in bulk.

These tests read the tables as the tracker's own folds leave them (``fetch_unfolded``),
never folding first as :func:`tests.tracker.wire.fetch` does.
"""

from __future__ import annotations

import itertools
import logging
import socket
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.helpers import add_member
from tests.torrents.releases import api_token, bearer
from tests.tracker.conftest import HOUR_MS, UNCAPPED_RATES, Board, copy_database, serve
from tests.tracker.wire import (
    announce,
    fetch_log,
    fetch_unfolded,
    peer_id,
    register_torrent,
    unfolded_rows,
)
from tinypier.db.backup import backup_board
from tinypier.db.connection import connect_sync
from tinypier.db.migrations import migrate
from tinypier.settings import Settings, load_settings
from tinypier.tracker.creditlog import (
    APPEND,
    EXPIRED,
    STOPPED,
    attach_log_file,
    begin_immediate,
    fold_log_file,
    log_file_connection,
)
from tinypier.tracker.rules import client_name
from tinypier.tracker.store import checkpoint, fold_all, fold_pending

MB = 1 << 20
FOLD_SECONDS_BOUND = 3.0
"""Generous: the default fold interval is half a second, the promise about one second."""


def wait_for(condition: Callable[[], bool], seconds: float = FOLD_SECONDS_BOUND) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def downloaded(settings: Settings, user_id: int) -> int:
    [(amount,)] = fetch_unfolded(settings, "SELECT downloaded FROM users WHERE id = ?", user_id)
    return int(amount)


def test_an_answered_announce_is_one_log_row_until_the_fold(
    make_board: Callable[..., Board],
) -> None:
    board = make_board(credit_fold_interval_ms=HOUR_MS)
    alice = add_member(board.settings, "alice")
    release = register_torrent(board.settings, alice.id, "logged")
    announce(board.client, alice.passkey, release.key, peer_id(), downloaded=5 * MB, left=1)
    logged = "SELECT torrent_id, user_id, downloaded, credited_downloaded FROM credit_log"
    assert fetch_log(board.settings, logged) == [(release.id, alice.id, 5 * MB, 5 * MB)]
    assert downloaded(board.settings, alice.id) == 0
    assert fetch_unfolded(board.settings, "SELECT COUNT(*) FROM peers") == [(0,)]


def test_the_api_shows_an_announce_within_a_second_with_no_announce_after(
    make_board: Callable[..., Board],
) -> None:
    """The default fold interval: an idle board still folds its last announces, and
    ``/api/me`` and the release's swarm figures show them soon after."""
    board = make_board()
    alice = add_member(board.settings, "alice")
    token = bearer(api_token(board.settings, alice))
    release = register_torrent(board.settings, alice.id, "idle")
    announce(board.client, alice.passkey, release.key, peer_id(), downloaded=3 * MB, left=1)

    def shown() -> bool:
        me = board.client.get("/api/me", headers=token).json()
        listed = board.client.get(f"/api/torrents/{release.id}", headers=token).json()
        return bool(me["downloaded"] == 3 * MB and listed["leechers"] == 1)

    assert wait_for(shown)
    assert unfolded_rows(board.settings) == 0


def test_the_log_is_folded_once_it_holds_credit_fold_rows(
    make_board: Callable[..., Board],
) -> None:
    board = make_board(credit_fold_interval_ms=HOUR_MS, credit_fold_rows=3)
    alice = add_member(board.settings, "alice")
    release = register_torrent(board.settings, alice.id, "rows")
    me = peer_id()
    for total in (1, 2):
        announce(board.client, alice.passkey, release.key, me, downloaded=total * MB, left=1)
    assert unfolded_rows(board.settings) == 2
    announce(board.client, alice.passkey, release.key, me, downloaded=3 * MB, left=1)
    assert wait_for(lambda: unfolded_rows(board.settings) == 0)
    assert downloaded(board.settings, alice.id) == 3 * MB


def test_a_fold_in_one_row_chunks_credits_every_row_once(
    make_board: Callable[..., Board],
) -> None:
    """The writer folds chunk after chunk until nothing is left to fold."""
    board = make_board(
        credit_fold_interval_ms=HOUR_MS, credit_fold_rows=4, credit_fold_chunk_rows=1
    )
    alice = add_member(board.settings, "alice")
    release = register_torrent(board.settings, alice.id, "chunks")
    me = peer_id()
    for total in (1, 2, 3, 4, 5):
        announce(board.client, alice.passkey, release.key, me, downloaded=total * MB, left=1)
    assert wait_for(lambda: unfolded_rows(board.settings) == 0)
    assert downloaded(board.settings, alice.id) == 5 * MB


def test_stopping_the_board_folds_everything(quiet_settings: Settings) -> None:
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        release = register_torrent(quiet_settings, alice.id, "stop")
        announce(client, alice.passkey, release.key, peer_id(), downloaded=MB, left=1)
        assert unfolded_rows(quiet_settings) == 1
    assert downloaded(quiet_settings, alice.id) == MB
    assert unfolded_rows(quiet_settings) == 0


def test_start_up_folds_what_a_crash_left_before_answering(
    quiet_settings: Settings, tmp_path: Path
) -> None:
    """The database as a crash leaves it (a copy taken while rows wait in the log)
    starts with the credit folded and the peer back in its swarm."""
    restarted = load_settings(tmp_path / "restarted", environ={}, **UNCAPPED_RATES)
    restarted.data_dir.mkdir()
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        bob = add_member(quiet_settings, "bob")
        release = register_torrent(quiet_settings, alice.id, "crash")
        announce(client, alice.passkey, release.key, peer_id(), downloaded=2 * MB, left=1)
        copy_database(quiet_settings.credit_log_path, restarted.credit_log_path)
        copy_database(quiet_settings.database_path, restarted.database_path)
    with serve(restarted) as client:
        assert unfolded_rows(restarted) == 0
        assert downloaded(restarted, alice.id) == 2 * MB
        reply = announce(client, bob.passkey, release.key, peer_id(label="bob"), left=1)
        assert reply[b"incomplete"] == 2


def test_a_fold_takes_at_most_a_chunk_of_the_oldest_rows(quiet_settings: Settings) -> None:
    """A fold applies only the oldest ``chunk`` rows past the mark, and leaves the rest
    for the next fold."""
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        release = register_torrent(quiet_settings, alice.id, "chunk")
        me = peer_id()
        for total in (1, 2, 3):
            announce(client, alice.passkey, release.key, me, downloaded=total * MB, left=1)
        connection = connect_sync(quiet_settings.database_path)
        try:
            attach_log_file(connection, quiet_settings.credit_log_path)
            assert fold_log_file(connection, begin_immediate, 2, 100)[0] == 2
        finally:
            connection.close()
        assert unfolded_rows(quiet_settings) == 1
        assert downloaded(quiet_settings, alice.id) == 2 * MB
    assert downloaded(quiet_settings, alice.id) == 3 * MB
    assert unfolded_rows(quiet_settings) == 0


def test_a_row_of_a_release_deleted_meanwhile_is_dropped_and_the_rest_folded(
    quiet_settings: Settings,
) -> None:
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        kept = register_torrent(quiet_settings, alice.id, "kept")
        gone = register_torrent(quiet_settings, alice.id, "gone")
        for release in (kept, gone):
            announce(client, alice.passkey, release.key, peer_id(), downloaded=MB, left=1)
        connection = connect_sync(quiet_settings.database_path)
        try:
            connection.execute("DELETE FROM torrents WHERE id = ?", (gone.id,))
        finally:
            connection.close()
        assert fold_pending(quiet_settings) == 2  # both rows leave the log
        assert downloaded(quiet_settings, alice.id) == MB
        assert unfolded_rows(quiet_settings) == 0


# -- the fold in bulk equals each row applied on its own --------------------------------

MEMBERS = 2
RELEASES = 2
PEERS = (b"-qB4620-aaaaaaaaaaaa", b"-TR3000-bbbbbbbbbbbb")
IPV4 = ("", "10.0.0.1")
IPV6 = ("", "::1")
REMOVALS = (STOPPED, EXPIRED)

PER_ROW = {
    "remove": "DELETE FROM peers WHERE torrent_id = ? AND user_id = ? AND peer_id = ?",
    "save": (
        "INSERT INTO peers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT DO UPDATE SET ipv4 = excluded.ipv4, ipv6 = excluded.ipv6,"
        " port = excluded.port, uploaded = excluded.uploaded, downloaded = excluded.downloaded,"
        ' "left" = excluded."left", client = excluded.client,'
        " last_announce_at = excluded.last_announce_at"
    ),
    "member": "UPDATE users SET uploaded = uploaded + ?, downloaded = downloaded + ? WHERE id = ?",
    "transfer": (
        "INSERT INTO transfers (torrent_id, user_id, uploaded, downloaded, seeding_seconds,"
        " first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
        " uploaded = uploaded + excluded.uploaded, downloaded = downloaded + excluded.downloaded,"
        " seeding_seconds = seeding_seconds + excluded.seeding_seconds,"
        " last_seen_at = excluded.last_seen_at"
    ),
    "snatch": "INSERT OR IGNORE INTO snatches (torrent_id, user_id, completed_at) VALUES (?, ?, ?)",
    "counts": (
        "UPDATE torrents SET seeders = ?, leechers = ?, completed = completed + ? WHERE id = ?"
    ),
    "seeder": (
        "UPDATE torrents SET last_seeder_at = MAX(COALESCE(last_seeder_at, ?), ?) WHERE id = ?"
    ),
}
"""What one announce's row means, statement by statement, as the old per-announce
commit wrote it."""

FIGURES = (
    "SELECT * FROM peers ORDER BY 1, 2, 3",
    "SELECT id, uploaded, downloaded FROM users ORDER BY id",
    "SELECT * FROM transfers ORDER BY 1, 2",
    "SELECT torrent_id, user_id, completed_at FROM snatches ORDER BY 1, 2",
    "SELECT id, seeders, leechers, completed, last_seeder_at FROM torrents ORDER BY id",
)


def apply_one(connection: sqlite3.Connection, row: tuple[Any, ...]) -> None:
    torrent_id, user_id, peer, event, up, down, left, address4, address6, port = row[:10]
    credited, snatched, seeders, leechers, at = row[10:13], row[13], row[14], row[15], row[16]
    key = (torrent_id, user_id, peer)
    if event in REMOVALS:
        connection.execute(PER_ROW["remove"], key)
    else:
        addresses = (address4 or None, address6 or None)
        connection.execute(
            PER_ROW["save"], (*key, *addresses, port, up, down, left, row[17], at, at)
        )
        if left == 0:
            connection.execute(PER_ROW["seeder"], (at, at, torrent_id))
    if event != 5:
        if credited[0] or credited[1]:
            connection.execute(PER_ROW["member"], (credited[0], credited[1], user_id))
        connection.execute(PER_ROW["transfer"], (torrent_id, user_id, *credited, at, at))
    if snatched:
        connection.execute(PER_ROW["snatch"], (torrent_id, user_id, at))
    connection.execute(PER_ROW["counts"], (seeders, leechers, snatched, torrent_id))


@pytest.fixture
def prepared(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A board's database with two members and two releases, nothing announced."""
    settings = load_settings(tmp_path / "fold", environ={})
    settings.data_dir.mkdir()
    migrate(settings.database_path, settings.backups_dir)
    members = [add_member(settings, f"m{n}").id for n in range(MEMBERS)]
    for n in range(RELEASES):
        register_torrent(settings, members[0], f"r{n}")
    connection = connect_sync(settings.database_path)
    yield connection
    connection.close()


def copy(source: sqlite3.Connection) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    source.backup(connection)
    return connection


log_row = st.tuples(
    st.integers(1, RELEASES),
    st.integers(1, MEMBERS),
    st.sampled_from(PEERS),
    st.integers(0, 5),
    st.integers(0, 10**12),
    st.integers(0, 10**12),
    st.integers(0, 2),
    st.sampled_from(IPV4),
    st.sampled_from(IPV6),
    st.integers(1, 65535),
    st.integers(0, 10**9),
    st.integers(0, 10**9),
    st.integers(0, 3600),
    st.integers(0, 1),
    st.integers(0, 9),
    st.integers(0, 9),
    st.integers(1_700_000_000, 1_700_000_100),
).map(lambda row: (*row, client_name(row[2])))


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(log_row, max_size=40),
    cuts=st.lists(st.integers(0, 40), max_size=4),
    chunk=st.integers(1, 50),
)
def test_folding_in_bulk_leaves_what_each_row_applied_alone_would(
    prepared: sqlite3.Connection, rows: list[tuple[Any, ...]], cuts: list[int], chunk: int
) -> None:
    """Any announces, folded in any number of folds of any chunk size, give every
    member, peer, transfer, snatch and release the figures they would have had with one
    commit per announce."""
    bulk, one_by_one = copy(prepared), copy(prepared)
    for row in rows:
        apply_one(one_by_one, row)
    bounds = sorted({0, len(rows), *(cut for cut in cuts if cut < len(rows))})
    with tempfile.TemporaryDirectory() as directory:
        log_path = Path(directory) / "credit-log.sqlite3"
        log_file = log_file_connection(log_path)
        attach_log_file(bulk, log_path)
        for start, end in itertools.pairwise(bounds):
            log_file.executemany(APPEND, rows[start:end])
            folded = 0
            while taken := fold_log_file(bulk, begin_immediate, chunk, 100)[0]:
                folded += taken
            assert folded == end - start
        log_file.close()
        bulk.execute("DETACH DATABASE credit_log_file")
    for query in FIGURES:
        assert bulk.execute(query).fetchall() == one_by_one.execute(query).fetchall(), query


# -- the log file beside the board's database -----------------------------------------


def test_announces_are_answered_while_a_web_request_holds_the_boards_write_lock(
    make_board: Callable[..., Board],
) -> None:
    """Appends go to the log file, whose lock only the tracker takes: a long transaction
    of the board's (a post, the bonus job) delays no announce. The fold waits for it."""
    board = make_board(credit_fold_interval_ms=HOUR_MS)
    alice = add_member(board.settings, "alice")
    release = register_torrent(board.settings, alice.id, "locked")
    holder = connect_sync(board.settings.database_path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        reply = announce(board.client, alice.passkey, release.key, peer_id(), downloaded=MB, left=1)
        assert b"failure reason" not in reply
        assert unfolded_rows(board.settings) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert fold_pending(board.settings) == 1
    assert downloaded(board.settings, alice.id) == MB


def test_a_new_log_file_numbers_its_rows_past_what_the_board_folded(
    quiet_settings: Settings,
) -> None:
    """A log file lost (or a board restored without it) starts again, and its rows are
    folded: none hides at or below the board's mark."""
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        release = register_torrent(quiet_settings, alice.id, "lost")
        me = peer_id()
        for total in (1, 2):  # two rows: the board's mark ends at 2
            announce(client, alice.passkey, release.key, me, downloaded=total * MB, left=1)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{quiet_settings.credit_log_path}{suffix}").unlink(missing_ok=True)
    with serve(quiet_settings) as client:
        announce(client, alice.passkey, release.key, peer_id(label="new"), downloaded=MB, left=1)
    assert downloaded(quiet_settings, alice.id) == 3 * MB


def test_rows_an_older_version_left_in_the_boards_credit_log_are_folded_at_start(
    quiet_settings: Settings,
) -> None:
    """Before schema 32 the log was a table of the board's database, with compact
    addresses and no client name; a crash could leave rows there."""
    quiet_settings.data_dir.mkdir()
    migrate(quiet_settings.database_path, quiet_settings.backups_dir)
    alice = add_member(quiet_settings, "alice")
    release = register_torrent(quiet_settings, alice.id, "legacy")
    peer = b"-qB4620-aaaaaaaaaaaa"
    address = socket.inet_aton("10.0.0.7") + (6881).to_bytes(2, "big")
    connection = connect_sync(quiet_settings.database_path)
    try:
        connection.execute(
            "INSERT INTO credit_log (torrent_id, user_id, peer_id, event, uploaded, downloaded,"
            ' "left", address4, address6, port, credited_uploaded, credited_downloaded,'
            " seeding_seconds, snatched, seeders, leechers, at)"
            " VALUES (?, ?, ?, 1, 0, ?, 1, ?, x'', 6881, 0, ?, 0, 0, 0, 1, 1700000000)",
            (release.id, alice.id, peer, 2 * MB, address, 2 * MB),
        )
    finally:
        connection.close()
    with serve(quiet_settings):
        assert downloaded(quiet_settings, alice.id) == 2 * MB
        stored = "SELECT ipv4, port, client FROM peers WHERE user_id = ?"
        assert fetch_unfolded(quiet_settings, stored, alice.id) == [
            ("10.0.0.7", 6881, client_name(peer))
        ]
        assert fetch_unfolded(quiet_settings, "SELECT COUNT(*) FROM credit_log") == [(0,)]


def test_a_backup_holds_the_announces_the_board_has_not_folded_yet(
    quiet_settings: Settings, tmp_path: Path
) -> None:
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        release = register_torrent(quiet_settings, alice.id, "saved")
        announce(client, alice.passkey, release.key, peer_id(), downloaded=2 * MB, left=1)
        assert unfolded_rows(quiet_settings) == 1
        backup_board(quiet_settings, tmp_path / "copy")
    restored = load_settings(tmp_path / "copy", environ={}, **UNCAPPED_RATES)
    with serve(restored):
        assert downloaded(restored, alice.id) == 2 * MB


def test_the_folding_connection_checkpoints_the_boards_database(
    quiet_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Its checkpoint names the board's database: a plain one would also try the
    read-only log file attached to it, fail, and leave the board's WAL to grow."""
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        release = register_torrent(quiet_settings, alice.id, "wal")
        announce(client, alice.passkey, release.key, peer_id(), downloaded=MB, left=1)
        main = connect_sync(quiet_settings.database_path)
        log_file = log_file_connection(quiet_settings.credit_log_path)
        try:
            assert fold_all(main, log_file, quiet_settings.credit_log_path, 100) == 1
            with caplog.at_level(logging.ERROR):
                checkpoint(main)
            assert not caplog.records
            _, frames, copied = main.execute("PRAGMA main.wal_checkpoint(PASSIVE)").fetchone()
            assert frames == copied
        finally:
            log_file.close()
            main.close()
