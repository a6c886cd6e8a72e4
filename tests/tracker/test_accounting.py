"""Credit by deltas per peer, freeleech, completions, seeding time and expiry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.helpers import Member, add_member
from tests.tracker.conftest import ChosenAddress
from tests.tracker.wire import announce, execute_in_log, fetch, peer_id, register_torrent
from tinypier.app import create_app
from tinypier.settings import Settings
from tinypier.tracker.engine import Tracker

MB = 1 << 20
Downloader = Callable[[bytes], None]


def credited(settings: Settings, member: Member) -> tuple[int, int]:
    [row] = fetch(settings, "SELECT uploaded, downloaded FROM users WHERE id = ?", member.id)
    return (row[0], row[1])


def transfer(settings: Settings, member: Member, torrent_id: int) -> tuple[int, int, int]:
    [row] = fetch(
        settings,
        "SELECT uploaded, downloaded, seeding_seconds FROM transfers"
        " WHERE user_id = ? AND torrent_id = ?",
        member.id,
        torrent_id,
    )
    return (row[0], row[1], row[2])


def set_time(tracker: Tracker, seconds: int) -> None:
    tracker.clock = lambda: seconds


def stats(settings: Settings, torrent_id: int) -> tuple[int, int, int]:
    [row] = fetch(
        settings, "SELECT seeders, leechers, completed FROM torrents WHERE id = ?", torrent_id
    )
    return (row[0], row[1], row[2])


def test_each_announce_credits_the_difference_since_the_peers_last_one(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, downloader: Downloader
) -> None:
    registered = register_torrent(settings, alice.id, "deltas")
    downloader(registered.key)
    me = peer_id()
    for uploaded, downloaded in ((0, 0), (10 * MB, 4 * MB), (25 * MB, 4 * MB), (25 * MB, 9 * MB)):
        announce(tracker_client, alice.passkey, registered.key, me, uploaded=uploaded,
                 downloaded=downloaded, left=1)  # fmt: skip
    assert credited(settings, alice) == (25 * MB, 9 * MB)
    assert transfer(settings, alice, registered.id)[:2] == (25 * MB, 9 * MB)


def test_the_first_announce_of_a_new_session_is_credited_from_zero(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, downloader: Downloader
) -> None:
    torrent = register_torrent(settings, alice.id, "first").key
    downloader(torrent)
    announce(tracker_client, alice.passkey, torrent, peer_id(), uploaded=3 * MB, downloaded=MB,
             left=1, event="started")  # fmt: skip
    assert credited(settings, alice) == (3 * MB, MB)


def test_a_counter_going_backwards_credits_nothing_and_becomes_the_baseline(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, downloader: Downloader
) -> None:
    torrent = register_torrent(settings, alice.id, "backwards").key
    downloader(torrent)
    me = peer_id()
    announce(
        tracker_client, alice.passkey, torrent, me, uploaded=50 * MB, downloaded=20 * MB, left=1
    )
    announce(
        tracker_client, alice.passkey, torrent, me, uploaded=5 * MB, downloaded=30 * MB, left=1
    )
    assert credited(settings, alice) == (50 * MB, 30 * MB)
    announce(
        tracker_client, alice.passkey, torrent, me, uploaded=8 * MB, downloaded=30 * MB, left=1
    )
    assert credited(settings, alice) == (53 * MB, 30 * MB)


def test_a_restarted_client_with_a_new_peer_id_is_credited_as_a_new_session(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, downloader: Downloader
) -> None:
    torrent = register_torrent(settings, alice.id, "restart").key
    downloader(torrent)
    announce(tracker_client, alice.passkey, torrent, peer_id(label="old"), uploaded=40 * MB, left=1)
    announce(tracker_client, alice.passkey, torrent, peer_id(label="new"), event="started", left=1)
    announce(tracker_client, alice.passkey, torrent, peer_id(label="new"), uploaded=7 * MB, left=1)
    assert credited(settings, alice) == (47 * MB, 0)


@pytest.mark.parametrize(
    ("level", "download_credit"), [("none", 8 * MB), ("silver", 4 * MB), ("gold", 0)]
)
def test_freeleech_scales_download_credit_and_never_upload(
    settings: Settings,
    tracker_client: TestClient[Any],
    alice: Member,
    downloader: Downloader,
    level: str,
    download_credit: int,
) -> None:
    torrent = register_torrent(settings, alice.id, level, freeleech=level).key
    downloader(torrent)
    announce(
        tracker_client,
        alice.passkey,
        torrent,
        peer_id(),
        uploaded=6 * MB,
        downloaded=8 * MB,
        left=1,
    )
    assert credited(settings, alice) == (6 * MB, download_credit)


def test_global_freeleech_counts_no_download_anywhere(make_board: Any) -> None:
    board = make_board(global_freeleech=True)
    member = add_member(board.settings, "lucky")
    torrent = register_torrent(board.settings, member.id, "t").key
    other = add_member(board.settings, "other")
    announce(board.client, other.passkey, torrent, peer_id(label="other"), "10.1.1.1", left=1)
    announce(
        board.client, member.passkey, torrent, peer_id(), uploaded=MB, downloaded=9 * MB, left=1
    )
    assert credited(board.settings, member) == (MB, 0)


def test_completed_counts_once_per_member_with_a_snatch_record(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    registered = register_torrent(settings, alice.id, "snatch")
    for label in ("laptop", "desktop"):
        announce(
            tracker_client,
            bob.passkey,
            registered.key,
            peer_id(label=label),
            left=100,
            event="started",
        )
        announce(
            tracker_client,
            bob.passkey,
            registered.key,
            peer_id(label=label),
            left=0,
            event="completed",
        )
    assert stats(settings, registered.id) == (2, 0, 1)
    assert fetch(settings, "SELECT user_id, completed_at > 0 FROM snatches") == [(bob.id, 1)]
    assert (
        announce(tracker_client, alice.passkey, registered.key, peer_id(label="a"))[b"downloaded"]
        == 1
    )


def test_left_reaching_zero_counts_as_completed_even_without_the_event(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    registered = register_torrent(settings, alice.id, "quiet")
    announce(tracker_client, bob.passkey, registered.key, peer_id(), left=100)
    announce(tracker_client, bob.passkey, registered.key, peer_id(), left=0)
    assert stats(settings, registered.id) == (1, 0, 1)


def test_a_seeder_from_the_start_has_not_completed_anything(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    registered = register_torrent(settings, alice.id, "uploader")
    announce(tracker_client, alice.passkey, registered.key, peer_id(), left=0, event="started")
    announce(tracker_client, alice.passkey, registered.key, peer_id(), left=0)
    assert stats(settings, registered.id) == (1, 0, 0)
    assert fetch(settings, "SELECT * FROM snatches") == []


def test_stopped_credits_the_final_delta_and_removes_the_peer_at_once(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, downloader: Downloader
) -> None:
    registered = register_torrent(settings, alice.id, "stop")
    downloader(registered.key)
    me = peer_id()
    announce(
        tracker_client, alice.passkey, registered.key, me, uploaded=MB, left=1, event="started"
    )
    reply = announce(
        tracker_client, alice.passkey, registered.key, me, uploaded=3 * MB, left=1, event="stopped"
    )
    assert (reply[b"incomplete"], reply[b"peers"]) == (1, b"")
    assert credited(settings, alice) == (3 * MB, 0)
    assert stats(settings, registered.id) == (0, 1, 0)
    assert fetch(settings, "SELECT * FROM peers WHERE user_id = ?", alice.id) == []


def test_stopped_then_started_again_is_a_new_session(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, downloader: Downloader
) -> None:
    torrent = register_torrent(settings, alice.id, "again").key
    downloader(torrent)
    me = peer_id()
    announce(tracker_client, alice.passkey, torrent, me, uploaded=5 * MB, left=1, event="stopped")
    announce(tracker_client, alice.passkey, torrent, me, uploaded=0, left=1, event="started")
    announce(tracker_client, alice.passkey, torrent, me, uploaded=2 * MB, left=1)
    assert credited(settings, alice) == (7 * MB, 0)


def test_a_peer_returning_after_stopped_without_started_is_not_credited_twice(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, downloader: Downloader
) -> None:
    torrent = register_torrent(settings, alice.id, "twice").key
    downloader(torrent)
    me = peer_id()
    announce(tracker_client, alice.passkey, torrent, me, uploaded=5 * MB, left=1, event="stopped")
    announce(tracker_client, alice.passkey, torrent, me, uploaded=6 * MB, left=1)
    assert credited(settings, alice) == (6 * MB, 0)


def test_two_peers_of_one_member_are_counted_apart_and_credited_together(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, downloader: Downloader
) -> None:
    registered = register_torrent(settings, alice.id, "two")
    downloader(registered.key)
    for uploaded in (MB, 4 * MB):
        for label, factor in (("home", 1), ("seedbox", 10)):
            announce(tracker_client, alice.passkey, registered.key, peer_id(label=label),
                     uploaded=uploaded * factor, left=0)  # fmt: skip
    assert credited(settings, alice) == (44 * MB, 0)
    assert stats(settings, registered.id) == (2, 1, 0)
    assert len(fetch(settings, "SELECT * FROM peers WHERE user_id = ?", alice.id)) == 2


def test_seeding_time_accumulates_between_announces_and_a_long_silence_is_capped(
    settings: Settings, tracker: Tracker, tracker_client: TestClient[Any], alice: Member
) -> None:
    registered = register_torrent(settings, alice.id, "seedtime")
    start = int(tracker.clock())
    me = peer_id()
    for offset in (0, 600, 1500):
        set_time(tracker, start + offset)
        announce(tracker_client, alice.passkey, registered.key, me, left=0)
    assert transfer(settings, alice, registered.id)[2] == 1500
    set_time(tracker, start + 1500 + 10 * settings.announce_interval)
    announce(tracker_client, alice.passkey, registered.key, me, left=0)
    assert transfer(settings, alice, registered.id)[2] == 1500 + 2 * settings.announce_interval


def test_leeching_time_is_not_seeding_time(
    settings: Settings, tracker: Tracker, tracker_client: TestClient[Any], alice: Member
) -> None:
    registered = register_torrent(settings, alice.id, "leechtime")
    start = int(tracker.clock())
    announce(tracker_client, alice.passkey, registered.key, peer_id(), left=9)
    set_time(tracker, start + 900)
    announce(tracker_client, alice.passkey, registered.key, peer_id(), left=0)
    assert transfer(settings, alice, registered.id)[2] == 0


def test_silent_peers_expire_after_one_and_a_half_intervals(
    settings: Settings,
    tracker: Tracker,
    tracker_client: TestClient[Any],
    alice: Member,
    bob: Member,
) -> None:
    registered = register_torrent(settings, alice.id, "expiry")
    start = int(tracker.clock())
    quiet, busy = peer_id(label="quiet"), peer_id(label="busy")
    announce(tracker_client, bob.passkey, registered.key, busy, left=5)
    announce(tracker_client, alice.passkey, registered.key, quiet, uploaded=2 * MB, left=0)
    set_time(tracker, start + settings.announce_interval)
    announce(tracker_client, bob.passkey, registered.key, busy, downloaded=MB, left=5)
    set_time(tracker, start + int(1.5 * settings.announce_interval) + 1)
    assert tracker_client.blocking_portal.call(tracker.sweep) == 1
    assert stats(settings, registered.id) == (0, 1, 0)
    assert fetch(settings, "SELECT user_id FROM peers") == [(bob.id,)]
    announce(tracker_client, alice.passkey, registered.key, quiet, uploaded=3 * MB, left=0)
    assert credited(settings, alice) == (3 * MB, 0)


def test_a_repeat_sooner_than_min_interval_is_answered_without_a_write(
    settings: Settings,
    tracker: Tracker,
    tracker_client: TestClient[Any],
    alice: Member,
    downloader: Downloader,
) -> None:
    registered = register_torrent(settings, alice.id, "hammered")
    downloader(registered.key)
    start = int(tracker.clock())
    me = peer_id()
    announce(tracker_client, alice.passkey, registered.key, me, uploaded=MB, left=5)
    set_time(tracker, start + settings.min_announce_interval - 1)
    repeat = announce(tracker_client, alice.passkey, registered.key, me, uploaded=MB, left=5)
    assert repeat[b"incomplete"] == 2
    last_seen = f"SELECT last_announce_at FROM peers WHERE user_id = {alice.id}"
    assert fetch(settings, last_seen) == [(start,)]
    set_time(tracker, start + settings.min_announce_interval - 1)
    announce(tracker_client, alice.passkey, registered.key, me, uploaded=2 * MB, left=5)
    assert fetch(settings, last_seen) == [(start + settings.min_announce_interval - 1,)]
    assert credited(settings, alice) == (2 * MB, 0)


@pytest.mark.usefixtures("app")
def test_peers_and_baselines_survive_a_restart_of_the_board(
    settings: Settings, alice: Member
) -> None:
    registered = register_torrent(settings, alice.id, "restart")
    dana = add_member(settings, "dana")
    for uploaded in (MB, 2 * MB):
        app = create_app(settings)
        with TestClient(ChosenAddress(app)) as client:
            announce(client, dana.passkey, registered.key, peer_id(label="d"), "10.9.9.9", left=1)
            reply = announce(
                client, alice.passkey, registered.key, peer_id(), uploaded=uploaded, left=0
            )
            assert reply[b"complete"] == 1
    assert credited(settings, alice) == (2 * MB, 0)
    assert stats(settings, registered.id) == (1, 1, 0)


def test_a_failed_commit_is_answered_as_a_failure_and_its_credit_kept_for_the_retry(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, downloader: Downloader
) -> None:
    """The database fails under the writer (a trigger overflows an integer as it runs: an
    ``OperationalError``, like a full disk), not a Python function patched in: the
    compiled build calls its own functions directly, past any patch. The reply path's one
    write is the credit log's appended row, so that is where it fails. (A trigger calling
    a missing function fails when the statement is prepared, which SQLite keeps doing
    from its cached schema after the trigger is dropped: no retry could succeed.)"""
    torrent = register_torrent(settings, alice.id, "retry").key
    downloader(torrent)
    execute_in_log(
        settings,
        "CREATE TRIGGER crediting_fails BEFORE INSERT ON credit_log"
        " BEGIN SELECT abs(-9223372036854775807 - 1); END",
    )
    refused = announce(tracker_client, alice.passkey, torrent, peer_id(), uploaded=MB, left=1)
    assert refused == {b"failure reason": b"the tracker could not save your announce: try again"}
    execute_in_log(settings, "DROP TRIGGER crediting_fails")
    announce(
        tracker_client, alice.passkey, torrent, peer_id(label="other"), uploaded=2 * MB, left=1
    )
    assert credited(settings, alice) == (3 * MB, 0)
