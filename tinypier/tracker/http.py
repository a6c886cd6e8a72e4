"""The connection front of ``tinypier serve``: tracker requests answered straight off the
socket, every other connection handed to the general HTTP server.

Why: under uvicorn an announce cost 100-200 us of HTTP and ASGI machinery (a parser
callback per header, a scope, a task, two ASGI messages) on top of the tracker's own work,
which made the server, not the tracker, the limit. This front recognises only the plain
shape a BitTorrent client sends (``GET /announce/<passkey>?... HTTP/1.1`` with ordinary
headers and no body) and answers it from a commit callback, with no task per request.
Anything else (a browser, a body, a percent-encoded path, an odd header) goes to the
general server with the bytes already read, so nothing it does not recognise is
half-handled: the ASGI tracker endpoint gives the same answers there.

Requests on one connection are answered in order: while a reply waits for its commit,
later pipelined bytes are only buffered.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any, NamedTuple, cast

from tinypier.tracker.asgi import (
    ANNOUNCE,
    INTERNAL_ERROR_REPLY,
    SCRAPE,
    announcing_address,
    tracker_passkey,
)
from tinypier.tracker.engine import BUSY_REPLY, Tracker

log = logging.getLogger(__name__)

MAX_HEAD_BYTES = 8192
MAX_BUFFERED_BYTES = 65536
HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
KEEP_ALIVE = b"\r\n"
CLOSE = b"Connection: close\r\n\r\n"
KEEP_ALIVE_1_0 = b"Connection: keep-alive\r\n\r\n"
UNREADABLE = re.compile(
    rb"\r\n(?:content-length|transfer-encoding|expect|upgrade)|\r\n[ \t]|[ \t]:|\x00"
)


class TrackerRequest(NamedTuple):
    scrape: bool
    passkey: str
    query: bytes
    keep_alive: bool
    http_1_0: bool
    user_agent: bytes
    forwarded_for: bytes


def _header(lowered: bytes, head: bytes, name: bytes) -> bytes:
    """The value of header ``name`` (given as ``b"\\r\\nname:"``), or b"" if absent."""
    start = lowered.find(name)
    if start < 0:
        return b""
    start += len(name)
    end = head.find(b"\r\n", start)
    return head[start : end if end >= 0 else len(head)].strip(b" \t")


def _crlf_only(head: bytes) -> bool:
    """Every line ends in CRLF: no bare CR or LF that another parser would split on."""
    lines = head.count(b"\r\n")
    return head.count(b"\r") == lines and head.count(b"\n") == lines


def _keep_alive(connection: bytes, http_1_0: bool) -> bool:
    """Whether the connection stays open, from the lower-cased ``Connection`` header."""
    if connection == b"close":
        return False
    if not connection:
        return not http_1_0
    tokens = {token.strip() for token in connection.split(b",")}
    if http_1_0:
        return b"keep-alive" in tokens
    return b"close" not in tokens


def parse_head(head: bytes) -> TrackerRequest | None:
    """The tracker request in a request head (without its final blank line), or None
    when it is anything else, which the general server then reads instead.

    Headers are found by searching the lower-cased head, which is several times faster
    than splitting it; any head this cannot read unambiguously (a body, folded lines,
    space before a colon, a NUL or a bare line feed) is not a tracker request here."""
    line_end = head.find(b"\r\n")
    request_line = head if line_end < 0 else head[:line_end]
    parts = request_line.split(b" ")
    if len(parts) != 3 or parts[0] != b"GET" or parts[2] not in (b"HTTP/1.1", b"HTTP/1.0"):
        return None
    path, _, query = parts[1].partition(b"?")
    if not path.isascii() or b"%" in path or b"#" in parts[1]:
        return None
    headers = head[line_end:] if line_end >= 0 else b""
    lowered = headers.lower()
    if UNREADABLE.search(lowered) or not _crlf_only(head):
        return None
    text = path.decode("ascii")
    scrape = False
    passkey = tracker_passkey(text, ANNOUNCE)
    if passkey is None:
        scrape, passkey = True, tracker_passkey(text, SCRAPE)
        if passkey is None:
            return None
    http_1_0 = parts[2] == b"HTTP/1.0"
    return TrackerRequest(
        scrape,
        passkey,
        query,
        _keep_alive(_header(lowered, lowered, b"\r\nconnection:"), http_1_0),
        http_1_0,
        _header(lowered, headers, b"\r\nuser-agent:"),
        _header(lowered, headers, b"\r\nx-forwarded-for:"),
    )


def _response(body: bytes, request: TrackerRequest) -> bytes:
    if not request.keep_alive:
        ending = CLOSE
    elif request.http_1_0:
        ending = KEEP_ALIVE_1_0
    else:
        ending = KEEP_ALIVE
    return HEADERS % len(body) + ending + body


class TrackerFirstProtocol(asyncio.Protocol):
    """One client connection. ``general`` makes the protocol of the general HTTP server;
    ``connections`` is that server's set of open connections, so a graceful shutdown
    reaches this front too (through :meth:`shutdown`)."""

    def __init__(
        self,
        tracker: Tracker,
        general: Callable[[], asyncio.Protocol],
        connections: set[Any],
        keep_alive_seconds: float,
    ) -> None:
        self._tracker = tracker
        self._general = general
        self._connections = connections
        self._keep_alive_seconds = keep_alive_seconds
        self._trusted = tracker.settings.trusted_proxies
        self._transport: asyncio.Transport | None = None
        self._host: str | None = None
        self._buffer = bytearray()
        self._waiting = False
        self._paused = False
        self._closing = False
        self._idle_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        peer = transport.get_extra_info("peername")
        self._host = peer[0] if isinstance(peer, tuple) else None
        self._connections.add(self)
        self._start_idle_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._connections.discard(self)
        self._cancel_idle_timer()
        self._transport = None

    def data_received(self, data: bytes) -> None:
        self._cancel_idle_timer()
        self._buffer += data
        if self._waiting:
            if len(self._buffer) > MAX_BUFFERED_BYTES and self._transport is not None:
                self._paused = True
                self._transport.pause_reading()
            return
        self._serve_buffer()

    def shutdown(self) -> None:
        """The server is stopping: close now, or after the reply being committed."""
        self._closing = True
        if not self._waiting and self._transport is not None:
            self._transport.close()

    def _serve_buffer(self) -> None:
        """Answer the buffered requests in order until one must wait for its commit."""
        while not self._waiting and self._transport is not None:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > MAX_HEAD_BYTES:
                    self._hand_over()
                else:
                    self._start_idle_timer()
                return
            request = parse_head(bytes(self._buffer[:end]))
            if request is None:
                self._hand_over()
                return
            del self._buffer[: end + 4]
            self._answer(request)

    def _answer(self, request: TrackerRequest) -> None:
        try:
            if request.scrape:
                body = self._tracker.scrape(request.passkey, request.query)
                committed = None
            else:
                address = announcing_address(self._host, request.forwarded_for, self._trusted)
                body, committed = self._tracker.apply_announce(
                    request.passkey, request.query, address, request.user_agent
                )
        except Exception:
            log.exception("tracker request failed")
            body, committed = INTERNAL_ERROR_REPLY, None
        if committed is None:
            self._send(body, request)
            return
        self._waiting = True
        committed.add_callback(lambda failed: self._committed(body, request, failed))

    def _committed(self, body: bytes, request: TrackerRequest, failed: bool) -> None:
        self._waiting = False
        self._send(BUSY_REPLY if failed else body, request)
        if self._paused and self._transport is not None:
            self._paused = False
            self._transport.resume_reading()
        self._serve_buffer()

    def _send(self, body: bytes, request: TrackerRequest) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        transport.write(_response(body, request))
        if not request.keep_alive or self._closing:
            transport.close()
            self._transport = None

    def _hand_over(self) -> None:
        """From here on the connection belongs to the general server."""
        transport = self._transport
        if transport is None:
            return
        self._connections.discard(self)
        self._transport = None
        if self._paused:
            transport.resume_reading()
        protocol = self._general()
        transport.set_protocol(protocol)
        protocol.connection_made(transport)
        if self._buffer:
            protocol.data_received(bytes(self._buffer))
            self._buffer.clear()

    def _start_idle_timer(self) -> None:
        if self._idle_timer is None and self._transport is not None:
            loop = asyncio.get_running_loop()
            self._idle_timer = loop.call_later(self._keep_alive_seconds, self._close_idle)

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _close_idle(self) -> None:
        """Nothing (or only part of a request head) arrived for the keep-alive timeout."""
        self._idle_timer = None
        if self._transport is not None and not self._waiting:
            self._transport.close()
