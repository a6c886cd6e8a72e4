"""Announce through the real ASGI stack, on raw bytes: replies, peers, IPv6, BEP 52."""

from __future__ import annotations

import socket
from typing import Any

from litestar.testing import TestClient

from tests.helpers import Member, add_member
from tests.tracker.wire import (
    announce,
    announce_fields,
    crowd,
    fetch,
    peer_id,
    query,
    register_torrent,
    scrape,
)
from tinypier.settings import Settings


def compact4(address: str, port: int) -> bytes:
    return socket.inet_pton(socket.AF_INET, address) + port.to_bytes(2, "big")


def compact6(address: str, port: int) -> bytes:
    return socket.inet_pton(socket.AF_INET6, address) + port.to_bytes(2, "big")


def entries(blob: bytes, size: int) -> set[bytes]:
    assert len(blob) % size == 0
    return {blob[i : i + size] for i in range(0, len(blob), size)}


def test_a_compact_reply_has_every_field_and_the_other_peers(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "reply").key
    announce(tracker_client, alice.passkey, torrent, peer_id(label="a"), "10.0.0.1", port=5001)
    reply = announce(
        tracker_client, bob.passkey, torrent, peer_id(label="b"), "10.0.0.2", port=5002, left=10
    )
    assert reply[b"interval"] == settings.announce_interval
    assert reply[b"min interval"] == settings.min_announce_interval
    assert (reply[b"complete"], reply[b"incomplete"], reply[b"downloaded"]) == (1, 1, 0)
    assert reply[b"peers"] == compact4("10.0.0.1", 5001)
    assert reply[b"peers6"] == b""


def test_the_requester_is_never_in_its_own_list(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "self").key
    for round_ in range(3):
        for n in range(4):
            reply = announce(
                tracker_client, alice.passkey, torrent, peer_id(label=str(n)), f"10.0.0.{n}",
                port=6000 + n, left=5,
            )  # fmt: skip
            assert compact4(f"10.0.0.{n}", 6000 + n) not in entries(reply[b"peers"], 6)
            assert len(entries(reply[b"peers"], 6)) == (n if round_ == 0 else 3)


def test_a_seeder_is_sent_leechers_only_and_a_leecher_everyone(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "seeders").key
    announce(tracker_client, alice.passkey, torrent, peer_id(label="s1"), "10.0.1.1", left=0)
    announce(tracker_client, alice.passkey, torrent, peer_id(label="l1"), "10.0.1.2", left=9)
    seeder = announce(
        tracker_client, alice.passkey, torrent, peer_id(label="s2"), "10.0.1.3", left=0
    )
    leecher = announce(
        tracker_client, alice.passkey, torrent, peer_id(label="l2"), "10.0.1.4", left=9
    )
    assert entries(seeder[b"peers"], 6) == {compact4("10.0.1.2", 6881)}
    assert entries(leecher[b"peers"], 6) == {compact4(f"10.0.1.{n}", 6881) for n in (1, 2, 3)}


def test_numwant_limits_the_list_and_a_negative_value_means_none(make_board: Any) -> None:
    board = make_board(peers_per_member_max=10)
    alice = add_member(board.settings, "alice")
    torrent = register_torrent(board.settings, alice.id, "numwant").key
    crowd(board.client, alice.passkey, torrent, 6, "10.0.2")
    me = peer_id(label="me")
    two = announce(board.client, alice.passkey, torrent, me, "10.0.2.99", left=1, numwant=2)
    none = announce(board.client, alice.passkey, torrent, me, "10.0.2.99", left=1, numwant=-1)
    assert len(entries(two[b"peers"], 6)) == 2
    assert none[b"peers"] == b""
    assert none[b"incomplete"] == 7


def test_numwant_is_capped_by_the_setting(make_board: Any) -> None:
    board = make_board(numwant_max=3, peers_per_member_max=10)
    member = add_member(board.settings, "capped")
    torrent = register_torrent(board.settings, member.id, "cap").key
    crowd(board.client, member.passkey, torrent, 6, "10.0.3")
    reply = announce(board.client, member.passkey, torrent, peer_id(label="x"), numwant=50, left=1)
    assert len(entries(reply[b"peers"], 6)) == 3


def test_the_sample_is_random_among_the_peers(make_board: Any) -> None:
    board = make_board(peers_per_member_max=10)
    alice = add_member(board.settings, "alice")
    torrent = register_torrent(board.settings, alice.id, "random").key
    crowd(board.client, alice.passkey, torrent, 5, "10.0.4")
    seen = {
        announce(board.client, alice.passkey, torrent, peer_id(label="r"), left=1, numwant=1)[
            b"peers"
        ]
        for _ in range(40)
    }
    assert len(seen) > 1


def test_ipv6_peers_travel_in_peers6_as_18_bytes(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "six").key
    announce(tracker_client, alice.passkey, torrent, peer_id(label="v6"), "2001:db8::1", port=7001)
    reply = announce(
        tracker_client, alice.passkey, torrent, peer_id(label="v4"), "10.0.5.1", left=3
    )
    assert reply[b"peers6"] == compact6("2001:db8::1", 7001)
    assert reply[b"peers"] == b""
    assert fetch(settings, "SELECT ipv4, ipv6 FROM peers WHERE port = 7001") == [
        (None, "2001:db8::1")
    ]


def test_an_ipv4_mapped_address_counts_as_ipv4(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "mapped").key
    announce(
        tracker_client, alice.passkey, torrent, peer_id(label="m"), "::ffff:10.0.6.1", port=7002
    )
    reply = announce(tracker_client, alice.passkey, torrent, peer_id(label="n"), left=1)
    assert reply[b"peers"] == compact4("10.0.6.1", 7002)


def test_a_dual_stack_client_is_one_peer_with_both_addresses(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "dual").key
    dual = peer_id(b"-LT2090-", "dual")
    announce(tracker_client, bob.passkey, torrent, peer_id(label="b"), "10.0.7.2", left=1)
    announce(tracker_client, alice.passkey, torrent, dual, "10.0.7.1", port=7003, uploaded=100)
    announce(tracker_client, alice.passkey, torrent, dual, "2001:db8::7", port=7003, uploaded=100)
    reply = announce(tracker_client, bob.passkey, torrent, peer_id(label="b"), "10.0.7.2", left=1)
    assert reply[b"complete"] == 1
    assert reply[b"peers"] == compact4("10.0.7.1", 7003)
    assert reply[b"peers6"] == compact6("2001:db8::7", 7003)
    assert fetch(settings, "SELECT ipv4, ipv6 FROM peers WHERE user_id = ?", alice.id) == [
        ("10.0.7.1", "2001:db8::7")
    ]
    assert fetch(settings, "SELECT uploaded FROM users WHERE id = ?", alice.id) == [(100,)]


def test_non_compact_lists_dictionaries_with_peer_ids_unless_asked_not_to(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "dicts").key
    other = peer_id(label="other")
    announce(tracker_client, alice.passkey, torrent, other, "10.0.8.1", port=7004)
    announce(tracker_client, alice.passkey, torrent, other, "2001:db8::8", port=7004)
    me = peer_id(label="me")
    listed = announce(tracker_client, alice.passkey, torrent, me, left=1, compact=0)
    assert sorted(listed[b"peers"], key=lambda entry: entry[b"ip"]) == [
        {b"ip": b"10.0.8.1", b"port": 7004, b"peer id": other},
        {b"ip": b"2001:db8::8", b"port": 7004, b"peer id": other},
    ]
    anonymous = announce(
        tracker_client, alice.passkey, torrent, me, left=1, compact=0, no_peer_id=1
    )
    assert all(b"peer id" not in entry for entry in anonymous[b"peers"])
    assert len(anonymous[b"peers"]) == 2


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(make_board: Any) -> None:
    board = make_board(trusted_proxies="10.9.0.0/16")
    member = add_member(board.settings, "proxied")
    torrent = register_torrent(board.settings, member.id, "proxy").key
    forwarded = {"x-forwarded-for": "203.0.113.7, 10.9.0.3"}
    board.client.get(
        f"/announce/{member.passkey}?" + _query(torrent, peer_id(label="via")),
        headers={"x-test-connection-address": "10.9.0.1", **forwarded},
    )
    board.client.get(
        f"/announce/{member.passkey}?" + _query(torrent, peer_id(label="direct")),
        headers={"x-test-connection-address": "198.51.100.1", **forwarded},
    )
    rows = fetch(board.settings, "SELECT ipv4 FROM peers ORDER BY ipv4")
    assert rows == [("198.51.100.1",), ("203.0.113.7",)]


def _query(torrent: bytes, peer: bytes) -> str:
    return query(**announce_fields(torrent, peer))


def test_an_ip_parameter_is_never_trusted(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "ip").key
    announce(
        tracker_client, alice.passkey, torrent, peer_id(), "10.0.9.1", ip="1.1.1.1", ipv4="2.2.2.2"
    )
    assert fetch(settings, "SELECT ipv4 FROM peers") == [("10.0.9.1",)]


def test_both_hashes_of_a_hybrid_reach_one_swarm(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    hybrid = register_torrent(settings, alice.id, "hybrid", v2=True)
    short_v2 = hybrid.short_v2
    announce(tracker_client, alice.passkey, hybrid.key, peer_id(label="v1"), "10.1.0.1")
    reply = announce(tracker_client, bob.passkey, short_v2, peer_id(label="v2"), "10.1.0.2", left=4)
    assert reply[b"peers"] == compact4("10.1.0.1", 6881)
    assert (reply[b"complete"], reply[b"incomplete"]) == (1, 1)
    files = scrape(tracker_client, alice.passkey, hybrid.key, short_v2)[b"files"]
    assert files[hybrid.key] == files[short_v2] == {
        b"complete": 1, b"incomplete": 1, b"downloaded": 0,
    }  # fmt: skip


def test_a_v2_only_torrent_announces_with_its_truncated_hash(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    v2_only = register_torrent(settings, alice.id, "v2only", v1=False, v2=True)
    reply = announce(tracker_client, alice.passkey, v2_only.key, peer_id())
    assert reply[b"complete"] == 1
    assert fetch(settings, "SELECT seeders FROM torrents WHERE id = ?", v2_only.id) == [(1,)]


def test_libtorrent_announcing_both_hashes_of_a_hybrid_is_one_peer_credited_once(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    hybrid = register_torrent(settings, alice.id, "hybrid-once", v2=True)
    announce(tracker_client, bob.passkey, hybrid.key, peer_id(label="bob"), left=7)
    client = peer_id(b"-LT2090-", "hyb")
    for torrent in (hybrid.key, hybrid.short_v2):
        announce(
            tracker_client, alice.passkey, torrent, client, uploaded=500, downloaded=300, left=7
        )
    assert fetch(settings, "SELECT uploaded, downloaded FROM users WHERE id = ?", alice.id) == [
        (500, 300)
    ]
    assert fetch(settings, "SELECT leechers FROM torrents WHERE id = ?", hybrid.id) == [(2,)]
    assert len(fetch(settings, "SELECT * FROM peers WHERE user_id = ?", alice.id)) == 1


def test_the_peers_table_and_torrent_counters_are_written_through(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    registered = register_torrent(settings, alice.id, "written")
    announce(tracker_client, alice.passkey, registered.key, peer_id(b"-qB4620-"), "10.2.0.1",
             port=6999, uploaded=11, downloaded=22, left=33, event="started")  # fmt: skip
    [row] = fetch(
        settings,
        'SELECT ipv4, ipv6, port, uploaded, downloaded, "left", client, started_at > 0,'
        " last_announce_at >= started_at FROM peers",
    )
    assert row == ("10.2.0.1", None, 6999, 11, 22, 33, "qBittorrent 4.6.2", 1, 1)
    assert fetch(
        settings, "SELECT seeders, leechers FROM torrents WHERE id = ?", registered.id
    ) == [(0, 1)]
