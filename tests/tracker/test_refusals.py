"""Every refusal is HTTP 200 with a ``failure reason`` a person understands; scrape rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.helpers import Member, add_member
from tests.tracker.wire import (
    Registered,
    announce,
    announce_fields,
    execute,
    fetch,
    get,
    info_hash,
    peer_id,
    query,
    register_torrent,
    scrape,
)
from tinypier.settings import Settings
from tinypier.tracker.engine import Tracker
from tinypier.tracker.rules import FROZEN_STATUSES

PASSKEY_NOT_VALID = b"passkey not valid: re-download the .torrent from the site"


def reason(reply: Any) -> bytes:
    assert set(reply) == {b"failure reason"}
    value: bytes = reply[b"failure reason"]
    return value


def test_an_unknown_passkey_says_to_download_the_torrent_again(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "t").key
    for passkey in ("0" * 32, "", "a/b", alice.passkey + "x"):
        assert reason(announce(tracker_client, passkey, torrent, peer_id())) == PASSKEY_NOT_VALID
    assert reason(
        get(tracker_client, "/announce?" + query(**announce_fields(torrent, peer_id())))
    ) == (PASSKEY_NOT_VALID)


def test_an_unknown_hash_is_unregistered_and_stores_nothing(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    reply = announce(tracker_client, alice.passkey, info_hash("nobody registered me"), peer_id())
    assert reason(reply) == b"unregistered torrent"
    assert get(tracker_client, f"/scrape/{alice.passkey}?" + query(info_hash=info_hash("x"))) == {
        b"files": {}
    }


@pytest.mark.parametrize("status", sorted(FROZEN_STATUSES))
def test_a_frozen_release_refuses_announces(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, status: str
) -> None:
    torrent = register_torrent(settings, alice.id, status, status=status).key
    reply = announce(tracker_client, alice.passkey, torrent, peer_id())
    assert reason(reply) == f"this release was closed by the moderators ({status})".encode()


def start_seeding(client: TestClient[Any], member: Member, registered: Registered) -> bytes:
    """A seeder that reported 1000 bytes uploaded; returns its peer id."""
    me = peer_id()
    announce(client, member.passkey, registered.key, me, uploaded=1000, left=0)
    return me


def assert_final_stopped_is_credited(
    settings: Settings, client: TestClient[Any], member: Member, registered: Registered, me: bytes
) -> None:
    """The client's last ``stopped`` (2000 bytes uploaded) is answered, credited in full
    (a leecher was there) and takes the peer out of the swarm."""
    stopped = announce(
        client, member.passkey, registered.key, me, uploaded=2000, left=0, event="stopped"
    )
    assert b"failure reason" not in stopped
    assert fetch(settings, "SELECT uploaded FROM users WHERE id = ?", member.id) == [(2000,)]
    assert fetch(settings, "SELECT COUNT(*) FROM peers WHERE user_id = ?", member.id) == [(0,)]


def test_a_frozen_release_still_takes_the_final_stopped_and_credits_it(
    settings: Settings,
    app: Litestar,
    tracker_client: TestClient[Any],
    alice: Member,
    downloader: Callable[[bytes], None],
) -> None:
    registered = register_torrent(settings, alice.id, "closing")
    downloader(registered.key)
    me = start_seeding(tracker_client, alice, registered)
    execute(settings, "UPDATE torrents SET status = 'closed' WHERE id = ?", registered.id)
    app.state.changes.torrent_changed(registered.id)
    refused = announce(tracker_client, alice.passkey, registered.key, me, uploaded=1500, left=0)
    assert reason(refused) == b"this release was closed by the moderators (closed)"
    assert_final_stopped_is_credited(settings, tracker_client, alice, registered, me)


def test_a_member_runs_a_limited_number_of_clients_per_torrent(make_board: Any) -> None:
    board = make_board(peers_per_member_max=2)
    member = add_member(board.settings, "greedy")
    torrent = register_torrent(board.settings, member.id, "limited").key
    first, second, third = (peer_id(label=label) for label in ("1", "2", "3"))
    for peer in (first, second):
        assert b"failure reason" not in announce(board.client, member.passkey, torrent, peer)
    refused = announce(board.client, member.passkey, torrent, third)
    assert reason(refused) == (
        b"too many of your clients on this torrent (at most 2): stop one first"
    )
    assert b"failure reason" not in announce(board.client, member.passkey, torrent, first)
    announce(board.client, member.passkey, torrent, second, event="stopped")
    assert b"failure reason" not in announce(board.client, member.passkey, torrent, third)
    assert fetch(board.settings, "SELECT COUNT(*) FROM peers") == [(2,)]


def test_the_client_limit_is_per_member(make_board: Any) -> None:
    board = make_board(peers_per_member_max=1)
    one, two = add_member(board.settings, "one"), add_member(board.settings, "two")
    torrent = register_torrent(board.settings, one.id, "shared").key
    assert b"failure reason" not in announce(board.client, one.passkey, torrent, peer_id(b"-a-"))
    assert b"failure reason" not in announce(board.client, two.passkey, torrent, peer_id(b"-b-"))


def test_frozen_statuses_are_the_moderation_stops() -> None:
    assert {"closed", "duplicate", "consumed"} == FROZEN_STATUSES


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"info_hash": b"abc"}, b"info_hash must be 20 bytes"),
        ({"peer_id": b"abc"}, b"peer_id must be 20 bytes"),
        ({"port": 0}, b"invalid port"),
        ({"uploaded": -5}, b"invalid uploaded"),
        ({"event": "bogus"}, b"invalid event"),
    ],
)
def test_a_bad_parameter_is_named_in_the_reply(
    tracker_client: TestClient[Any], alice: Member, change: dict[str, Any], expected: bytes
) -> None:
    fields = {**announce_fields(info_hash("t"), peer_id()), **change}
    assert reason(get(tracker_client, f"/announce/{alice.passkey}?{query(**fields)}")) == expected


def test_a_disabled_member_is_refused_at_once(
    settings: Settings, app: Litestar, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "t").key
    assert b"failure reason" not in announce(tracker_client, alice.passkey, torrent, peer_id())
    execute(settings, "UPDATE users SET disabled = 1 WHERE id = ?", alice.id)
    app.state.changes.user_changed(alice.id)
    reply = announce(tracker_client, alice.passkey, torrent, peer_id())
    assert reason(reply) == b"your account is disabled"


def test_a_disabled_members_final_stopped_leaves_the_swarm_and_is_credited(
    settings: Settings,
    app: Litestar,
    tracker_client: TestClient[Any],
    alice: Member,
    downloader: Callable[[bytes], None],
) -> None:
    registered = register_torrent(settings, alice.id, "t")
    downloader(registered.key)
    me = start_seeding(tracker_client, alice, registered)
    execute(settings, "UPDATE users SET disabled = 1 WHERE id = ?", alice.id)
    app.state.changes.user_changed(alice.id)
    for event in ("", "started", "completed"):
        refused = announce(
            tracker_client, alice.passkey, registered.key, me, uploaded=1500, left=0, event=event
        )
        assert reason(refused) == b"your account is disabled"

    assert_final_stopped_is_credited(settings, tracker_client, alice, registered, me)
    counts = scrape(tracker_client, add_member(settings, "carol").passkey, registered.key)
    assert counts[b"files"][registered.key][b"complete"] == 0


def test_a_disabled_members_stopped_is_credited_within_the_rate_caps(make_board: Any) -> None:
    board = make_board(max_upload_rate=1000)
    member = add_member(board.settings, "leaving")
    registered = register_torrent(board.settings, member.id, "t")
    dana = add_member(board.settings, "dana")
    announce(board.client, dana.passkey, registered.key, peer_id(label="d"), "10.9.9.9", left=1)
    tracker = board.app.state.tracker
    start = tracker.clock()
    tracker.clock = lambda: start
    me = peer_id()
    announce(board.client, member.passkey, registered.key, me, left=0)
    execute(board.settings, "UPDATE users SET disabled = 1 WHERE id = ?", member.id)
    board.app.state.changes.user_changed(member.id)
    tracker.clock = lambda: start + 10

    announce(board.client, member.passkey, registered.key, me, uploaded=10**12, event="stopped")

    assert fetch(board.settings, "SELECT uploaded FROM users WHERE id = ?", member.id) == [
        (10 * 1000,)
    ]


def test_a_regenerated_passkey_stops_the_old_one_at_once(
    settings: Settings, app: Litestar, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "t").key
    announce(tracker_client, alice.passkey, torrent, peer_id())
    execute(settings, "UPDATE users SET passkey = ? WHERE id = ?", "f" * 32, alice.id)
    app.state.changes.user_changed(alice.id)
    assert reason(announce(tracker_client, alice.passkey, torrent, peer_id())) == PASSKEY_NOT_VALID
    assert b"failure reason" not in announce(tracker_client, "f" * 32, torrent, peer_id())


def test_a_release_closed_by_a_moderator_is_refused_once_notified(
    settings: Settings, app: Litestar, tracker_client: TestClient[Any], alice: Member
) -> None:
    registered = register_torrent(settings, alice.id, "t")
    announce(tracker_client, alice.passkey, registered.key, peer_id())
    execute(settings, "UPDATE torrents SET status = 'duplicate' WHERE id = ?", registered.id)
    app.state.changes.torrent_changed(registered.id)
    reply = announce(tracker_client, alice.passkey, registered.key, peer_id())
    assert reason(reply) == b"this release was closed by the moderators (duplicate)"


def test_a_change_made_by_another_process_takes_effect_within_a_minute(
    settings: Settings, tracker: Tracker, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "t").key
    start = tracker.clock()
    announce(tracker_client, alice.passkey, torrent, peer_id())
    execute(settings, "UPDATE users SET disabled = 1 WHERE id = ?", alice.id)
    tracker.clock = lambda: start + 30
    assert b"failure reason" not in announce(tracker_client, alice.passkey, torrent, peer_id())
    tracker.clock = lambda: start + 61
    assert reason(announce(tracker_client, alice.passkey, torrent, peer_id())) == (
        b"your account is disabled"
    )


def test_client_deny_and_allow_rules_by_peer_id_prefix(make_board: Any) -> None:
    board = make_board(client_allow_prefixes="-qB,-TR", client_deny_prefixes="-TR2")
    member = add_member(board.settings, "picky")
    torrent = register_torrent(board.settings, member.id, "t").key
    refused = b"your BitTorrent client is not allowed on this tracker"
    for prefix in (b"-TR2940-", b"-UT3550-"):
        reply = announce(board.client, member.passkey, torrent, peer_id(prefix))
        assert reason(reply) == refused
    for prefix in (b"-qB4620-", b"-TR4050-"):
        assert b"failure reason" not in announce(
            board.client, member.passkey, torrent, peer_id(prefix)
        )


def test_a_web_browser_is_told_this_is_for_bittorrent_clients(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    browser = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
    reply = get(tracker_client, f"/announce/{alice.passkey}", **browser)
    assert reason(reply) == b"this address is for BitTorrent clients, not web browsers"
    assert reason(get(tracker_client, f"/announce/{alice.passkey}")) == b"missing info_hash"


def test_scrape_reports_each_requested_hash_and_leaves_unknown_ones_out(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    first = register_torrent(settings, alice.id, "first").key
    second = register_torrent(settings, alice.id, "second").key
    announce(tracker_client, alice.passkey, first, peer_id(label="a"), left=0)
    announce(tracker_client, bob.passkey, first, peer_id(label="b"), left=5)
    announce(tracker_client, bob.passkey, first, peer_id(label="b"), left=0, event="completed")
    unknown = info_hash("unknown")
    files = scrape(tracker_client, bob.passkey, first, second, unknown)[b"files"]
    assert files == {
        first: {b"complete": 2, b"incomplete": 0, b"downloaded": 1},
        second: {b"complete": 0, b"incomplete": 0, b"downloaded": 0},
    }


def test_scrape_refusals(make_board: Any) -> None:
    board = make_board(scrape_max_hashes=2)
    member = add_member(board.settings, "scraper")
    hashes = [info_hash(str(n)) for n in range(3)]
    assert reason(get(board.client, f"/scrape/{member.passkey}")) == (
        b"scrape needs at least one info_hash (this is a private tracker)"
    )
    assert reason(get(board.client, f"/scrape/{member.passkey}?{query(info_hash=hashes)}")) == (
        b"too many info_hash values: at most 2 per scrape"
    )
    assert reason(get(board.client, f"/scrape/nope?{query(info_hash=hashes[:1])}")) == (
        PASSKEY_NOT_VALID
    )


def test_paths_beside_the_tracker_are_left_to_the_site(tracker_client: TestClient[Any]) -> None:
    response = tracker_client.get("/announcements")
    assert response.status_code == 404
    assert not response.content.startswith(b"d14:failure reason")


def test_a_deleted_release_leaves_no_swarm_behind(
    settings: Settings, app: Litestar, tracker_client: TestClient[Any], alice: Member
) -> None:
    gone = register_torrent(settings, alice.id, "gone")
    announce(tracker_client, alice.passkey, gone.key, peer_id(), left=5)
    execute(settings, "DELETE FROM torrents WHERE id = ?", gone.id)
    app.state.changes.torrent_changed(gone.id)
    assert reason(announce(tracker_client, alice.passkey, gone.key, peer_id())) == (
        b"unregistered torrent"
    )
    reborn = register_torrent(settings, alice.id, "reborn")
    assert reborn.id == gone.id
    reply = announce(tracker_client, alice.passkey, reborn.key, peer_id(label="new"), left=5)
    assert (reply[b"incomplete"], reply[b"peers"]) == (1, b"")
