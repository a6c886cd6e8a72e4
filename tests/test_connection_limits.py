"""Every connection of ``tinypier serve`` is bounded in memory and time, at the tracker
front and at the general (web) server alike, the way an attacker on the internet would
test it: over raw sockets against a real server in its own process.
"""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import add_member
from tests.servers import Served, read_response, serving_process
from tests.tracker.wire import query, register_torrent
from tinypier.connections import (
    CHUNKED,
    ChunkedBody,
    ConnectionLimits,
    FramingError,
    OpenConnections,
    body_length,
)
from tinypier.server import (
    FILES_BESIDE_CONNECTIONS,
    listening_socket,
    make_room_for_connections,
)
from tinypier.settings import Settings, load_settings

MIB = 1024 * 1024
RSS_GROWTH_MAX = 64 * MIB
FLOOD_BYTES = 256 * MIB
FLOOD_SECONDS = 20.0
STALLED_SECONDS = 2.0
HEAD_SIZE_MAX = 4096
HEAD_TIMEOUT_SECONDS = 1
BODY_TIMEOUT_SECONDS = 2
SEND_TIMEOUT_SECONDS = 1
CONNECTIONS_MAX = 4
CONNECTIONS_PER_ADDRESS_MAX = 2
DEADLINE_SLACK_SECONDS = 2.5
PAGE_REQUEST = b"GET / HTTP/1.1\r\nHost: board\r\n\r\n"


@dataclass
class Board:
    served: Served
    scrape_request: bytes

    def connect(self) -> socket.socket:
        return socket.create_connection(self.served.address, timeout=10)


def start_board(base: Path, **limits: int | str) -> Iterator[Board]:
    """A board with one member and one registered torrent, with the given limits."""
    environment = {**os.environ, **{f"TINYPIER_{k.upper()}": str(v) for k, v in limits.items()}}
    with serving_process(base / "board", base / "serve.log", environment) as served:
        settings = load_settings(base / "board", environ={})
        member = add_member(settings, "limits")
        torrent = register_torrent(settings, member.id, "limits")
        target = f"/scrape/{member.passkey}?{query(info_hash=torrent.key)}"
        yield Board(served, f"GET {target} HTTP/1.1\r\nHost: tracker\r\n\r\n".encode())


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Board]:
    """A board with the default limits."""
    yield from start_board(tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Board]:
    """A board with small head and body limits, so deadlines pass within a test."""
    yield from start_board(
        tmp_path_factory.mktemp("strict"),
        head_size_max=HEAD_SIZE_MAX,
        head_timeout_seconds=HEAD_TIMEOUT_SECONDS,
        body_timeout_seconds=BODY_TIMEOUT_SECONDS,
        send_timeout_seconds=SEND_TIMEOUT_SECONDS,
    )


@pytest.fixture
def capped(tmp_path: Path) -> Iterator[Board]:
    yield from start_board(tmp_path, connections_max=CONNECTIONS_MAX)


def rss_bytes(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def read_until_closed(connection: socket.socket) -> bytes:
    received = bytearray()
    try:
        while chunk := connection.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return bytes(received)


def page_is_served(board: Board) -> bool:
    with board.connect() as connection:
        connection.sendall(PAGE_REQUEST)
        head, _ = read_response(connection, bytearray())
    return head.startswith(b"HTTP/1.1 200")


def flood_without_reading(board: Board, request: bytes) -> int:
    """Pipeline ``request`` over one connection and never read a reply, until the
    server stops taking bytes, the volume is sent or time is up; the server's peak RSS."""
    block = request * (MIB // len(request))
    peak = rss_bytes(board.served.pid)
    with board.connect() as connection:
        connection.settimeout(0.1)
        sent = 0
        started = last_progress = time.monotonic()
        while sent < FLOOD_BYTES and time.monotonic() - started < FLOOD_SECONDS:
            try:
                sent += connection.send(block)
                last_progress = time.monotonic()
            except TimeoutError:
                if time.monotonic() - last_progress > STALLED_SECONDS:
                    break
            except OSError:
                break
            peak = max(peak, rss_bytes(board.served.pid))
        peak = max(peak, rss_bytes(board.served.pid))
    return peak


# -- framing, as bytes ---------------------------------------------------------------

CHUNKED_BODY = b"5;ext=1\r\nhello\r\n1A\r\n" + b"z" * 26 + b"\r\n0\r\nX-Trailer: t\r\n\r\n"


@given(st.lists(st.integers(min_value=0, max_value=len(CHUNKED_BODY)), max_size=8))
def test_a_chunked_body_ends_at_the_same_byte_however_it_arrives(cuts: list[int]) -> None:
    """Bytes arrive in arbitrary pieces; the framer must find the end exactly, so the
    next request's first byte is never taken as body."""
    stream = CHUNKED_BODY + PAGE_REQUEST
    framer = ChunkedBody()
    buffer = bytearray()
    taken = 0
    for start, end in zip([0, *sorted(cuts)], [*sorted(cuts), len(stream)], strict=True):
        buffer += stream[start:end]
        step = framer.take(buffer)
        del buffer[:step]
        taken += step
    assert framer.done
    assert taken == len(CHUNKED_BODY)


@pytest.mark.parametrize(
    ("head", "length"),
    [
        (b"GET / HTTP/1.1\r\nHost: b", 0),
        (b"POST / HTTP/1.1\r\ncontent-length: 12", 12),
        (b"POST / HTTP/1.1\r\nContent-Length: 7\r\nContent-Length: 7", 7),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: Chunked", CHUNKED),
    ],
)
def test_the_body_length_a_head_announces(head: bytes, length: int) -> None:
    assert body_length(head) == length


@pytest.mark.parametrize(
    "head",
    [
        b"POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked",
        b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6",
        b"POST / HTTP/1.1\r\nContent-Length: 0x5",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
        b"POST / HTTP/1.1\nContent-Length: 5",
    ],
)
def test_a_head_two_parsers_could_frame_differently_is_refused(head: bytes) -> None:
    with pytest.raises(FramingError):
        body_length(head)


# -- memory ---------------------------------------------------------------------------


@pytest.mark.parametrize("front", ["tracker", "web"])
def test_unread_pipelined_requests_do_not_grow_the_server(board: Board, front: str) -> None:
    request = board.scrape_request if front == "tracker" else PAGE_REQUEST
    with board.connect() as warm_up:
        warm_up.sendall(request)
        read_response(warm_up, bytearray())
    before = rss_bytes(board.served.pid)

    peak = flood_without_reading(board, request)

    assert peak - before < RSS_GROWTH_MAX, f"grew {(peak - before) // MIB} MiB"
    assert page_is_served(board)


def test_a_client_that_stops_reading_its_replies_is_disconnected(strict: Board) -> None:
    block = PAGE_REQUEST * 1000
    give_up = SEND_TIMEOUT_SECONDS + DEADLINE_SLACK_SECONDS * 2
    with strict.connect() as connection:
        connection.settimeout(0.1)
        started = time.monotonic()
        while time.monotonic() - started < give_up:
            try:
                connection.send(block)
            except TimeoutError:
                continue
            except OSError:
                break
        else:
            pytest.fail("a client that never read its replies was kept for seconds")
    assert page_is_served(strict)


def test_pipelined_requests_beyond_the_cap_are_all_answered_in_order(board: Board) -> None:
    paths = [f"/?n={index}" for index in range(30)]
    with board.connect() as connection:
        connection.sendall(b"".join(f"GET {p} HTTP/1.1\r\nHost: b\r\n\r\n".encode() for p in paths))
        pending = bytearray()
        statuses = [read_response(connection, pending)[0][:12] for _ in paths]
    assert statuses == [b"HTTP/1.1 200"] * len(paths)


FLOODERS = 4
FLOOD_BLOCK_BYTES = 4 * MIB
PROBES = 30
PROBE_SECONDS_MAX = 1.0


def pipeline_unread(connection: socket.socket, request: bytes) -> None:
    """Hand the kernel as many pipelined copies of ``request`` as it takes right now."""
    connection.setblocking(False)
    with contextlib.suppress(BlockingIOError):
        connection.send(request * (FLOOD_BLOCK_BYTES // len(request)))


def test_pipelined_scrapes_take_turns_with_everyone_else(board: Board) -> None:
    """A scrape has no commit to wait for, and the kernel takes megabytes of replies
    before the write buffer says stop: answered without a break, a few connections of
    pipelined scrapes held the loop every member shares for seconds."""
    flooders = [board.connect() for _ in range(FLOODERS)]
    try:
        for connection in flooders:
            pipeline_unread(connection, board.scrape_request)
        slowest = 0.0
        with board.connect() as probe:
            pending = bytearray()
            for _ in range(PROBES):
                started = time.monotonic()
                probe.sendall(board.scrape_request)
                head, _ = read_response(probe, pending)
                slowest = max(slowest, time.monotonic() - started)
                assert head.startswith(b"HTTP/1.1 200")
    finally:
        for connection in flooders:
            connection.close()
    assert slowest < PROBE_SECONDS_MAX


UNREAD_FLOOD_CPU_SECONDS_MAX = 0.2


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_client_that_never_reads_gets_only_a_high_water_mark_of_answers(board: Board) -> None:
    """The transport's buffer fills only after the kernel's, which loopback grows to
    megabytes: tens of thousands of pipelined scrapes were answered (a second or more of
    the server's CPU) before reading stopped. Counted in CPU time, which a busy machine
    does not inflate."""
    before = cpu_seconds(board.served.pid)
    with socket.socket() as connection:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        connection.connect(board.served.address)
        connection.settimeout(2.0)
        block = board.scrape_request * (MIB // len(board.scrape_request))
        with contextlib.suppress(TimeoutError):
            for _ in range(32):
                connection.sendall(block)
        spent = cpu_seconds(board.served.pid) - before
    assert spent < UNREAD_FLOOD_CPU_SECONDS_MAX


# -- heads ----------------------------------------------------------------------------


def connection_at(board: Board, front: str) -> socket.socket:
    """A connection the tracker front reads, or one already handed to the web server."""
    connection = board.connect()
    if front == "web":
        connection.sendall(PAGE_REQUEST)
        read_response(connection, bytearray())
    return connection


def trickle_until_closed(connection: socket.socket, head: bytes, give_up: float) -> float | None:
    """Send ``head`` a byte at a time, four bytes a second; the seconds until the server
    closed the connection, or None if it still had not after ``give_up`` seconds."""
    connection.settimeout(0.25)
    started = time.monotonic()
    for byte in head:
        if time.monotonic() - started > give_up:
            return None
        try:
            connection.send(bytes([byte]))
            if not connection.recv(65536):
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
    return None


@pytest.mark.parametrize("front", ["tracker", "web"])
def test_a_trickled_head_is_refused_at_its_deadline(strict: Board, front: str) -> None:
    head = strict.scrape_request[:-2] + b"X-Padding: " + b"a" * 200
    with connection_at(strict, front) as connection:
        closed_after = trickle_until_closed(
            connection, head, give_up=HEAD_TIMEOUT_SECONDS + DEADLINE_SLACK_SECONDS * 2
        )
    assert closed_after is not None, "a head trickled for seconds kept the connection open"
    assert closed_after < HEAD_TIMEOUT_SECONDS + DEADLINE_SLACK_SECONDS


@pytest.mark.parametrize("front", ["tracker", "web"])
def test_an_oversized_head_is_refused(strict: Board, front: str) -> None:
    head = b"GET / HTTP/1.1\r\nX-Padding: " + b"a" * (HEAD_SIZE_MAX * 2)
    with connection_at(strict, front) as connection:
        connection.sendall(head)
        reply = read_until_closed(connection)
    assert reply.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert b"\r\nconnection: close\r\n" in reply.lower()


# -- bodies ---------------------------------------------------------------------------


def test_a_body_slower_than_the_deadline_is_cut_off(strict: Board) -> None:
    with strict.connect() as connection:
        connection.sendall(
            b"POST /login HTTP/1.1\r\nHost: b\r\nContent-Length: 1000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\nname=a"
        )
        started = time.monotonic()
        connection.settimeout(BODY_TIMEOUT_SECONDS + DEADLINE_SLACK_SECONDS * 2)
        read_until_closed(connection)
        assert time.monotonic() - started < BODY_TIMEOUT_SECONDS + DEADLINE_SLACK_SECONDS


def test_a_prompt_4_mb_upload_is_read_whole_and_the_connection_goes_on(strict: Board) -> None:
    body = b"a" * (4 * MIB)
    with strict.connect() as connection:
        connection.sendall(
            b"POST /login HTTP/1.1\r\nHost: b\r\nContent-Length: %d\r\n"
            b"Content-Type: application/octet-stream\r\n\r\n%s%s" % (len(body), body, PAGE_REQUEST)
        )
        pending = bytearray()
        first, _ = read_response(connection, pending)
        second, _ = read_response(connection, pending)
    assert first.startswith(b"HTTP/1.1 4")
    assert second.startswith(b"HTTP/1.1 200")


def test_a_chunked_body_is_framed_to_its_end(strict: Board) -> None:
    with strict.connect() as connection:
        connection.sendall(
            b"POST /login HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5;ext=1\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n" + PAGE_REQUEST
        )
        pending = bytearray()
        read_response(connection, pending)
        second, _ = read_response(connection, pending)
    assert second.startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: 5\r\nTransfer-Encoding: chunked",
        b"Content-Length: 5\r\nContent-Length: 6",
        b"Transfer-Encoding: gzip, chunked",
        b"Content-Length: -5",
    ],
)
def test_a_body_of_ambiguous_length_is_refused(strict: Board, framing: bytes) -> None:
    with strict.connect() as connection:
        connection.sendall(b"POST /login HTTP/1.1\r\nHost: b\r\n" + framing + b"\r\n\r\nhello")
        reply = read_until_closed(connection)
    assert reply.startswith(b"HTTP/1.1 400 Bad Request\r\n")


# -- open connections -----------------------------------------------------------------


def refused_until_one_closes(board: Board, holding: int) -> bytes:
    """Hold ``holding`` connections, open one more and read its refusal; then close one
    held connection and check a page is served again. The refusal, for the caller."""
    held = [connection_at(board, "web") for _ in range(holding)]
    try:
        with board.connect() as extra:
            refusal = read_until_closed(extra)
        assert refusal.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
        assert b"\r\nconnection: close\r\n" in refusal.lower()
        held.pop().close()
        deadline = time.monotonic() + 5
        served = False
        while not served and time.monotonic() < deadline:
            served = page_is_served_or_refused(board)
        assert served
    finally:
        for connection in held:
            connection.close()
    return refusal


def test_a_connection_over_the_cap_is_refused_politely_until_one_closes(capped: Board) -> None:
    refusal = refused_until_one_closes(capped, CONNECTIONS_MAX)
    assert b"\r\nretry-after: " in refusal.lower()


@pytest.fixture
def capped_per_address(tmp_path: Path) -> Iterator[Board]:
    yield from start_board(
        tmp_path,
        connections_max=CONNECTIONS_MAX,
        connections_per_address_max=CONNECTIONS_PER_ADDRESS_MAX,
    )


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[Board]:
    """Every test connection comes from loopback, here the board's trusted proxy."""
    yield from start_board(
        tmp_path,
        connections_max=CONNECTIONS_MAX,
        connections_per_address_max=CONNECTIONS_PER_ADDRESS_MAX,
        trusted_proxies="127.0.0.1,::1",
    )


def test_one_address_cannot_hold_every_connection(capped_per_address: Board) -> None:
    """An attacker holding sockets from one address is stopped at its own cap, far below
    the server's, and gets the same polite refusal."""
    refused_until_one_closes(capped_per_address, CONNECTIONS_PER_ADDRESS_MAX)


def test_a_trusted_proxy_is_held_only_to_the_global_cap(behind_proxy: Board) -> None:
    """Behind a proxy every client shares its address, so the per-address cap would
    refuse them all; the proxy's connections count only against ``connections_max``."""
    refused_until_one_closes(behind_proxy, CONNECTIONS_MAX)


def admitted(open_connections: OpenConnections, hosts: list[str]) -> list[bool]:
    return [open_connections.admit(host) for host in hosts]


def test_an_ipv6_client_is_capped_by_its_64_not_each_address() -> None:
    """An IPv6 subscriber holds a whole /64: fresh addresses from it share one cap."""
    settings = Settings(connections_per_address_max=2, trusted_proxies=("2001:db8:f::1",))
    connections = OpenConnections(ConnectionLimits.from_settings(settings, 5))

    same_64 = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"]
    assert admitted(connections, same_64) == [True, True, False]
    assert admitted(connections, ["2001:db8:1:3::1"]) == [True], "another /64"
    mapped_and_plain = ["::ffff:192.0.2.1", "192.0.2.1", "192.0.2.1"]
    assert admitted(connections, mapped_and_plain) == [True, True, False], "one IPv4 client"
    assert admitted(connections, ["2001:db8:f::1"] * 3) == [True] * 3, "a trusted proxy"
    connections.release("2001:db8:1:2::1")
    assert admitted(connections, ["2001:db8:1:2::9"]) == [True]


def page_is_served_or_refused(board: Board) -> bool:
    """Whether a page is served, tolerating the moment before the server has seen a
    closed connection go."""
    try:
        return page_is_served(board)
    except (AssertionError, OSError):
        return False


def test_serve_raises_the_open_file_limit_to_fit_the_connection_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Refusing politely needs a free file for the refused socket: the soft limit is
    raised above the cap (as far as the hard limit allows), never lowered."""
    raised: list[tuple[int, int]] = []
    monkeypatch.setattr(resource, "getrlimit", lambda _: (1024, 4096))
    monkeypatch.setattr(resource, "setrlimit", lambda _, limits: raised.append(limits))

    make_room_for_connections(100)
    make_room_for_connections(1000)
    make_room_for_connections(10000)

    assert raised == [(1000 + FILES_BESIDE_CONNECTIONS, 4096), (4096, 4096)]


def test_every_accepted_connection_has_the_bounded_kernel_send_buffer() -> None:
    """The bound is set once, on the listening socket, not per connection: Linux copies a
    listener's send buffer size (and the lock against growing it) into each socket it
    accepts, as this checks on sockets accepted from the listener ``tinypier serve`` uses."""
    high_water = 65536
    limits = ConnectionLimits(
        head_size_max=8192,
        head_timeout_seconds=10,
        body_timeout_seconds=10,
        pipeline_max=16,
        write_buffer_high_water=high_water,
        connections_max=100,
        send_timeout_seconds=10,
        keep_alive_seconds=5,
        connections_per_address_max=100,
        trusted_proxies=(),
    )
    config = uvicorn.Config(app="tinypier.app:create_app", host="127.0.0.1", port=0)
    with listening_socket(config, limits) as listener:
        listener.listen()
        for _ in range(3):
            with socket.create_connection(listener.getsockname()):
                accepted, _ = listener.accept()
                with accepted:
                    accepted.setblocking(False)
                    with contextlib.suppress(BlockingIOError):
                        for _ in range(64):  # a client that does not read: fill the buffer
                            accepted.send(b"x" * MIB)
                    size = accepted.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
                    assert size == 2 * high_water  # Linux doubles what is asked for
