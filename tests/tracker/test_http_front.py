"""The connection front of ``tinypier serve``: BitTorrent clients are answered straight off
the socket, and everything else reaches the general server unchanged.

The first half reads request heads as bytes; the second half talks to a real
``tinypier serve`` over raw sockets, the way clients and browsers do.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import bencodepy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import Member, add_member
from tests.servers import read_response, serving
from tests.tracker.wire import (
    Registered,
    announce_fields,
    fetch,
    peer_id,
    query,
    register_torrent,
)
from tinypier.settings import Settings, load_settings
from tinypier.tracker.http import parse_head

PASSKEY = "0123456789abcdef0123456789abcdef"
ANNOUNCE_LINE = f"GET /announce/{PASSKEY}?info_hash=%01%02&port=1 HTTP/1.1".encode()
KEEP_ALIVE_SECONDS = 5
HEAD_TIMEOUT_SECONDS = Settings.head_timeout_seconds


# -- which heads the front answers itself ---------------------------------------------


def test_a_plain_announce_is_the_fronts_own_request() -> None:
    head = ANNOUNCE_LINE + b"\r\nHost: tracker\r\nUser-Agent: qBittorrent/4.6.2"
    request = parse_head(head, b"uk")
    assert request is not None
    assert (request.scrape, request.passkey) == (False, PASSKEY)
    assert request.query == b"info_hash=%01%02&port=1"
    assert request.keep_alive
    assert request.user_agent == b"qBittorrent/4.6.2"


def test_a_scrape_is_the_fronts_own_request() -> None:
    request = parse_head(f"GET /scrape/{PASSKEY}?info_hash=%01 HTTP/1.1".encode(), b"uk")
    assert request is not None
    assert (request.scrape, request.passkey, request.query) == (True, PASSKEY, b"info_hash=%01")


def test_an_announce_without_a_passkey_is_answered_as_one_with_an_empty_passkey() -> None:
    request = parse_head(b"GET /announce?port=1 HTTP/1.1\r\nHost: t", b"uk")
    assert request is not None
    assert request.passkey == ""


@pytest.mark.parametrize(
    ("version", "connection", "keep_alive"),
    [
        (b"HTTP/1.1", b"", True),
        (b"HTTP/1.1", b"\r\nConnection: close", False),
        (b"HTTP/1.1", b"\r\nconnection: Keep-Alive, CLOSE", False),
        (b"HTTP/1.0", b"", False),
        (b"HTTP/1.0", b"\r\nConnection: keep-alive", True),
    ],
)
def test_connection_persistence_follows_the_http_version_and_header(
    version: bytes, connection: bytes, keep_alive: bool
) -> None:
    request = parse_head(b"GET /announce/k?x=1 " + version + b"\r\nHost: t" + connection, b"uk")
    assert request is not None
    assert request.keep_alive is keep_alive


@pytest.mark.parametrize(
    "head",
    [
        b"POST /announce/k?x=1 HTTP/1.1\r\nHost: t",
        b"GET /announce/k?x=1 HTTP/2.0\r\nHost: t",
        b"GET  /announce/k?x=1 HTTP/1.1\r\nHost: t",
        b"GET /forum/1 HTTP/1.1\r\nHost: t",
        b"GET /announcements HTTP/1.1\r\nHost: t",
        b"GET /announce/%41BC?x=1 HTTP/1.1\r\nHost: t",
        b"GET /announce/k?x=1#frag HTTP/1.1\r\nHost: t",
        "GET /announce/ключ?x=1 HTTP/1.1\r\nHost: t".encode(),
        b"GET /announce/k?x=1 HTTP/1.1\r\nContent-Length: 5",
        b"GET /announce/k?x=1 HTTP/1.1\r\nTransfer-Encoding: chunked",
        b"GET /announce/k?x=1 HTTP/1.1\r\nExpect: 100-continue",
        b"GET /announce/k?x=1 HTTP/1.1\r\nUpgrade: websocket",
        b"GET /announce/k?x=1 HTTP/1.1\r\nHost: t\r\n folded",
        b"GET /announce/k?x=1 HTTP/1.1\r\nContent-Length : 5",
        b"GET /announce/k?x=1 HTTP/1.1\r\nHost: t\nTransfer-Encoding: chunked",
        b"GET /announce/k?x=1 HTTP/1.1\r\nHost: t\rX: y",
        b"GET /announce/k?x=1 HTTP/1.1\r\nHost: t\x00",
    ],
)
def test_anything_but_a_plain_tracker_get_goes_to_the_general_server(head: bytes) -> None:
    assert parse_head(head, b"uk") is None


@given(st.binary(max_size=300))
def test_no_head_makes_the_reader_fail(head: bytes) -> None:
    request = parse_head(head, b"uk")
    assert request is None or request.passkey.isascii()


# -- a real server over raw sockets ---------------------------------------------------


@dataclass
class Front:
    host: str
    port: int
    settings: Settings
    member: Member
    torrent: Registered

    def connect(self) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=10)

    def announce_head(self, label: str, *, headers: str = "", version: str = "HTTP/1.1") -> bytes:
        fields = announce_fields(self.torrent.key, peer_id(label=label), left=100)
        target = f"/announce/{self.member.passkey}?{query(**fields)}"
        return f"GET {target} {version}\r\nHost: tracker\r\n{headers}\r\n".encode()


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    """One board for the module, where one member runs many clients; the proxy at
    127.0.0.1 is trusted, so a request may say which address it is relayed for."""
    base = tmp_path_factory.mktemp("front")
    environment = {
        **os.environ,
        "TINYPIER_TRUSTED_PROXIES": "127.0.0.1",
        "TINYPIER_PEERS_PER_MEMBER_MAX": "100",
    }
    with serving(base / "board", base / "serve.log", environment) as url:
        settings = load_settings(base / "board", environ={})
        member = add_member(settings, "front")
        torrent = register_torrent(settings, member.id, "front")
        host, port = url.removeprefix("http://").split(":")
        yield Front(host, int(port), settings, member, torrent)


def closed_by_server(connection: socket.socket) -> bool:
    try:
        return connection.recv(1) == b""
    except ConnectionResetError:
        return True


def test_one_connection_carries_several_announces(front: Front) -> None:
    with front.connect() as connection:
        pending = bytearray()
        replies = []
        for label in ("keep-1", "keep-2"):
            connection.sendall(front.announce_head(label))
            head, body = read_response(connection, pending)
            assert head.startswith(b"HTTP/1.1 200 OK")
            assert b"connection: close" not in head.lower()
            replies.append(bencodepy.decode(body))
    assert all(b"interval" in reply for reply in replies)
    assert replies[1][b"incomplete"] >= 2


def test_pipelined_announces_are_answered_in_order(front: Front) -> None:
    labels = [f"pipelined-{index}" for index in range(5)]
    with front.connect() as connection:
        connection.sendall(b"".join(front.announce_head(label) for label in labels))
        pending = bytearray()
        counts = [
            bencodepy.decode(read_response(connection, pending)[1])[b"incomplete"] for _ in labels
        ]
    assert counts == sorted(counts)
    assert counts[-1] - counts[0] == len(labels) - 1


def test_connection_close_is_honoured_after_the_reply(front: Front) -> None:
    with front.connect() as connection:
        connection.sendall(front.announce_head("closing", headers="Connection: close\r\n"))
        head, body = read_response(connection, bytearray())
        assert b"connection: close" in head.lower()
        assert b"interval" in bencodepy.decode(body)
        assert closed_by_server(connection)


def test_http_1_0_closes_unless_asked_to_keep_alive(front: Front) -> None:
    with front.connect() as connection:
        connection.sendall(front.announce_head("old-1", version="HTTP/1.0"))
        read_response(connection, bytearray())
        assert closed_by_server(connection)
    with front.connect() as connection:
        pending = bytearray()
        keep = "Connection: keep-alive\r\n"
        connection.sendall(front.announce_head("old-2", version="HTTP/1.0", headers=keep))
        head, _ = read_response(connection, pending)
        assert b"connection: keep-alive" in head.lower()
        connection.sendall(front.announce_head("old-2", version="HTTP/1.0"))
        assert b"interval" in bencodepy.decode(read_response(connection, pending)[1])


def test_a_page_after_an_announce_on_the_same_connection_is_served_by_the_app(
    front: Front,
) -> None:
    with front.connect() as connection:
        pending = bytearray()
        connection.sendall(front.announce_head("then-page"))
        read_response(connection, pending)
        connection.sendall(b"GET / HTTP/1.1\r\nHost: tracker\r\n\r\n")
        head, body = read_response(connection, pending)
    assert head.startswith(b"HTTP/1.1 200")
    assert b"text/html" in head.lower()
    assert b"<html" in body.lower()


def test_an_announce_after_a_page_is_still_answered_by_the_tracker(front: Front) -> None:
    with front.connect() as connection:
        pending = bytearray()
        connection.sendall(b"GET / HTTP/1.1\r\nHost: tracker\r\n\r\n")
        read_response(connection, pending)
        connection.sendall(front.announce_head("after-page"))
        _, body = read_response(connection, pending)
    assert b"interval" in bencodepy.decode(body)


def test_a_request_the_front_does_not_read_gets_the_same_tracker_answer(front: Front) -> None:
    encoded = front.member.passkey.replace("a", "%61")
    fields = announce_fields(front.torrent.key, peer_id(label="encoded"), left=100)
    request = f"GET /announce/{encoded}?{query(**fields)} HTTP/1.1\r\nHost: t\r\n\r\n"
    with front.connect() as connection:
        connection.sendall(request.encode())
        head, body = read_response(connection, bytearray())
    assert head.startswith(b"HTTP/1.1 200")
    assert b"interval" in bencodepy.decode(body)


def test_a_malformed_request_is_refused_by_the_general_server(front: Front) -> None:
    with front.connect() as connection:
        connection.sendall(b"GET /announce/k?x=1 HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n")
        head, _ = read_response(connection, bytearray())
    assert head.startswith(b"HTTP/1.1 400")


def test_the_address_of_a_client_behind_the_trusted_proxy_is_the_forwarded_one(
    front: Front,
) -> None:
    relayed = "X-Forwarded-For: 203.0.113.9\r\n"
    with front.connect() as connection:
        pending = bytearray()
        connection.sendall(front.announce_head("behind-proxy", headers=relayed))
        read_response(connection, pending)
        connection.sendall(front.announce_head("asking"))
        reply = bencodepy.decode(read_response(connection, pending)[1])
    peers = reply[b"peers"]
    addresses = {socket.inet_ntoa(peers[i : i + 4]) for i in range(0, len(peers), 6)}
    assert "203.0.113.9" in addresses


def test_an_idle_connection_is_closed_after_the_keep_alive_timeout(front: Front) -> None:
    with front.connect() as connection:
        connection.sendall(front.announce_head("idle"))
        read_response(connection, bytearray())
        started = time.monotonic()
        connection.settimeout(KEEP_ALIVE_SECONDS * 3)
        assert closed_by_server(connection)
        assert time.monotonic() - started >= KEEP_ALIVE_SECONDS - 1


def test_a_request_head_that_never_ends_is_dropped_after_the_timeout(front: Front) -> None:
    with front.connect() as connection:
        connection.sendall(front.announce_head("slow")[:40])
        connection.settimeout(HEAD_TIMEOUT_SECONDS * 3)
        head, _ = read_response(connection, bytearray())
        assert head.startswith(b"HTTP/1.1 408")
        assert closed_by_server(connection)


def test_an_answered_announce_is_credited(front: Front) -> None:
    """Upload is creditable: another member leeches in the swarm."""
    downloader = add_member(front.settings, "downloader")
    fields = announce_fields(front.torrent.key, peer_id(label="credit"), left=100)
    with front.connect() as connection:
        pending = bytearray()
        leeching = announce_fields(front.torrent.key, peer_id(label="downloader"), left=100)
        target = f"/announce/{downloader.passkey}?{query(**leeching)}"
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        read_response(connection, pending)
        for uploaded in (0, 4096):
            fields["uploaded"] = uploaded
            target = f"/announce/{front.member.passkey}?{query(**fields)}"
            connection.sendall(f"GET {target} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
            read_response(connection, pending)
    assert fetch(front.settings, "SELECT uploaded FROM users WHERE id = ?", front.member.id) == [
        (4096,)
    ]
