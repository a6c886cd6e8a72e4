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
later pipelined bytes are only buffered. The front stays in the data path after the
hand-over: it frames the general server's requests too, so the limits of
:mod:`tinypier.connections` (head size and deadline, body deadline, requests in flight,
unsent reply bytes, open connections) hold for every connection alike.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from typing import Any, NamedTuple, cast

from mypy_extensions import mypyc_attr

from tinypier.access_log import log_request, loggable_target
from tinypier.connections import (
    CHUNKED,
    HEAD_TOO_LARGE,
    HEAD_TOO_SLOW,
    TOO_MANY_CONNECTIONS,
    ChunkedBody,
    ConnectionLimits,
    FramingError,
    OpenConnections,
    RelayedTransport,
    bad_framing,
    body_length,
    crlf_only,
)
from tinypier.tracker.asgi import (
    ANNOUNCE,
    INTERNAL_ERROR_REPLY,
    SCRAPE,
    announcing_address,
    legacy_tracker_passkey,
    tracker_passkey,
)
from tinypier.tracker.engine import BUSY_REPLY, Tracker
from tinypier.tracker.protocol import has_escape
from tinypier.web.net import client_address

log = logging.getLogger(__name__)

HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
KEEP_ALIVE = b"\r\n"
CLOSE = b"Connection: close\r\n\r\n"
KEEP_ALIVE_1_0 = b"Connection: keep-alive\r\n\r\n"
UNREADABLE = re.compile(
    rb"\r\n(?:content-length|transfer-encoding|expect|upgrade)|\r\n[ \t]|[ \t]:|\x00"
)


class TrackerRequest(NamedTuple):
    path: str
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


def parse_head(head: bytes, legacy_passkey_field: bytes) -> TrackerRequest | None:
    """The tracker request in a request head (without its final blank line), or None
    when it is anything else, which the general server then reads instead. TorrentPier's
    paths (``/bt/announce.php?<legacy_passkey_field>=<passkey>``) are tried last, so the
    usual ``/announce/<passkey>`` pays nothing for them.

    Headers are found by searching the lower-cased head, which is several times faster
    than splitting it; any head this cannot read unambiguously (a body, folded lines,
    space before a colon, a NUL or a bare line feed) is not a tracker request here."""
    line_end = head.find(b"\r\n")
    request_line = head if line_end < 0 else head[:line_end]
    parts = request_line.split(b" ")
    if len(parts) != 3 or parts[0] != b"GET" or parts[2] not in (b"HTTP/1.1", b"HTTP/1.0"):
        return None
    path, _, query = parts[1].partition(b"?")
    if not path.isascii() or has_escape(path) or parts[1].find(b"#") >= 0:
        return None
    headers = head[line_end:] if line_end >= 0 else b""
    lowered = headers.lower()
    if UNREADABLE.search(lowered) or not crlf_only(head):
        return None
    text = path.decode("ascii")
    scrape = False
    passkey = tracker_passkey(text, ANNOUNCE)
    if passkey is None:
        scrape, passkey = True, tracker_passkey(text, SCRAPE)
        if passkey is None:
            legacy = legacy_tracker_passkey(text, query, legacy_passkey_field)
            if legacy is None:
                return None
            scrape, passkey = legacy
    http_1_0 = parts[2] == b"HTTP/1.0"
    return TrackerRequest(
        text,
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


# tinypier.server subclasses it, per server, in Python: a class compiled by mypyc refuses
# interpreted subclasses unless it allows them.
@mypyc_attr(allow_interpreted_subclasses=True)
class TrackerFirstProtocol(asyncio.Protocol):
    """One client connection, for its whole life. It answers tracker requests itself
    until the first request that is not one; from then on it relays the connection to
    the general server (made by ``general``, given the callback to call after each
    reply) while keeping every limit of :class:`ConnectionLimits` on it.

    ``connections`` is the general server's set of open connections, so a graceful
    shutdown reaches this front too (through :meth:`shutdown`); ``open_connections``
    counts every connection against ``connections_max`` and ``connections_per_address_max``."""

    def __init__(
        self,
        tracker: Tracker,
        general: Callable[[Callable[[], None]], asyncio.Protocol],
        connections: set[Any],
        limits: ConnectionLimits,
        open_connections: OpenConnections,
    ) -> None:
        self._tracker = tracker
        self._make_general = general
        self._connections = connections
        self._limits = limits
        self._open = open_connections
        self._trusted = tracker.settings.trusted_proxies
        self._log_requests = tracker.settings.access_log_tracker
        self._transport: asyncio.Transport | None = None
        self._socket: asyncio.Transport | None = None
        self._counted = False
        self._host: str | None = None
        self._buffer = bytearray()
        self._waiting = False
        self._turn_over = False
        self._reading = True
        self._write_paused = False
        self._closing = False
        self._idle_timer: asyncio.TimerHandle | None = None
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._send_timer: asyncio.TimerHandle | None = None
        # Relaying to the general server, once the connection is handed to it.
        self._general: asyncio.Protocol | None = None
        self._general_paused = False
        self._relaying = False
        self._in_flight = 0
        self._body_left = 0
        self._chunked: ChunkedBody | None = None

    # -- the connection's life ----------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = self._socket = cast(asyncio.Transport, transport)
        peer = transport.get_extra_info("peername")
        self._host = peer[0] if isinstance(peer, tuple) else None
        if not self._open.admit(self._host):
            self._refuse(TOO_MANY_CONNECTIONS)
            return
        self._counted = True
        self._transport.set_write_buffer_limits(high=self._limits.write_buffer_high_water)
        self._connections.add(self)
        self._start_idle_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._counted:
            self._open.release(self._host)
            self._counted = False
        self._connections.discard(self)
        self._cancel_idle_timer()
        self._cancel_head_timer()
        self._cancel_body_timer()
        self._cancel_send_timer()
        self._transport = self._socket = None
        if self._general is not None:
            self._general.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._idle_timer is not None:
            self._cancel_idle_timer()
        self._buffer += data
        if self._general is not None:
            self._relay()
        elif self._waiting or self._turn_over:
            self._update_reading()
        else:
            self._serve_buffer()

    def eof_received(self) -> bool | None:
        if self._general is not None:
            return self._general.eof_received()
        return None

    def pause_writing(self) -> None:
        """The client is not reading its replies fast enough: read no more requests,
        and give it until the send deadline to take them."""
        self._write_paused = True
        if self._send_timer is None:
            self._send_timer = asyncio.get_running_loop().call_later(
                self._limits.send_timeout_seconds, self._send_too_slow
            )
        if self._general is not None:
            self._general.pause_writing()
        self._update_reading()

    def resume_writing(self) -> None:
        self._write_paused = False
        self._cancel_send_timer()
        if self._general is not None:
            self._general.resume_writing()
            self._relay()
        elif not self._waiting:
            self._serve_buffer()
        self._update_reading()

    def shutdown(self) -> None:
        """The server is stopping: close now, or after the reply being committed."""
        self._closing = True
        if not self._waiting and self._transport is not None:
            self._close_gently(self._transport)

    # -- tracker requests ---------------------------------------------------------------

    def _serve_buffer(self) -> None:
        """Answer the buffered requests in order until one must wait for its commit, the
        client must read its replies first, or the connection has had its turn.

        A turn is at most ``pipeline_max`` answers; then the rest waits for the loop's next
        round. Scrapes are answered without a commit to wait for, and the kernel takes
        megabytes of replies before the write buffer says stop, so without turns one
        connection pipelining scrapes would hold the loop for seconds.
        """
        answered = 0
        while not (
            self._waiting or self._write_paused or self._turn_over or self._transport is None
        ):
            if answered == self._limits.pipeline_max:
                self._end_turn()
                break
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                self._await_head()
                break
            if self._head_timer is not None:
                self._cancel_head_timer()
            if end > self._limits.head_size_max:
                self._refuse(HEAD_TOO_LARGE)
                return
            request = parse_head(bytes(self._buffer[:end]), self._tracker.legacy_passkey_field)
            if request is None:
                self._hand_over()
                return
            del self._buffer[: end + 4]
            self._answer(request)
            answered += 1
        if not self._reading:
            self._update_reading()

    def _end_turn(self) -> None:
        self._turn_over = True
        asyncio.get_running_loop().call_soon(self._next_turn)

    def _next_turn(self) -> None:
        self._turn_over = False
        if self._general is None:
            self._serve_buffer()

    def _answer(self, request: TrackerRequest) -> None:
        started = time.perf_counter()
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
            self._send(body, request, started)
            return
        self._waiting = True
        committed.add_callback(lambda failed: self._committed(body, request, failed, started))

    def _committed(
        self, body: bytes, request: TrackerRequest, failed: bool, started: float
    ) -> None:
        self._waiting = False
        self._send(BUSY_REPLY if failed else body, request, started)
        self._serve_buffer()

    def _send(self, body: bytes, request: TrackerRequest, started: float) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        transport.write(_response(body, request))
        if self._log_requests:
            self._log(request, len(body), time.perf_counter() - started)
        if not request.keep_alive or self._closing:
            self._close_gently(transport)
            self._transport = None

    def _log(self, request: TrackerRequest, size: int, seconds: float) -> None:
        """The access log's line for a request answered here (``access_log_tracker``)."""
        forwarded = request.forwarded_for.decode("latin-1") or None
        address = client_address(self._host, forwarded, self._trusted)
        target = loggable_target(request.path, request.query)
        log_request("GET", target, 200, size, seconds, None if address is None else str(address))

    # -- everything else: relayed to the general server ---------------------------------

    def _hand_over(self) -> None:
        """From here on the general server answers this connection's requests."""
        transport = self._transport
        if transport is None:
            return
        self._connections.discard(self)
        self._general = self._make_general(self._reply_sent)
        self._general.connection_made(RelayedTransport(transport, self))
        if self._write_paused:
            self._general.pause_writing()
        self._relay()

    def _relay(self) -> None:
        """Feed the general server whole heads and the body bytes they announce, for as
        long as it reads and the client reads its replies."""
        if self._relaying:
            return
        self._relaying = True
        try:
            while (
                self._buffer
                and self._transport is not None
                and not self._transport.is_closing()
                and not self._write_paused
                and not self._general_paused
                and self._relay_next()
            ):
                pass
        finally:
            self._relaying = False
        if not (self._buffer or self._in_flight or self._in_body()):
            self._start_idle_timer()
        self._update_reading()

    def _relay_next(self) -> bool:
        """Relay the next piece of the buffer; False when nothing more can be yet."""
        if self._body_left:
            taken = min(self._body_left, len(self._buffer))
            self._body_left -= taken
            self._feed(taken)
            if not self._body_left:
                self._cancel_body_timer()
            return True
        if self._chunked is not None:
            return self._relay_chunks(self._chunked)
        if self._in_flight >= self._limits.pipeline_max:
            return False
        return self._relay_head()

    def _relay_chunks(self, chunked: ChunkedBody) -> bool:
        try:
            taken = chunked.take(self._buffer)
        except FramingError as error:
            log.info("closing a connection whose chunked body is malformed: %s", error)
            self._close()
            return False
        self._feed(taken)
        if chunked.done:
            self._chunked = None
            self._cancel_body_timer()
            return True
        return False

    def _relay_head(self) -> bool:
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            self._await_head()
            return False
        self._cancel_head_timer()
        if end > self._limits.head_size_max:
            self._refuse(HEAD_TOO_LARGE)
            return False
        try:
            length = body_length(bytes(self._buffer[:end]))
        except FramingError as error:
            self._refuse(bad_framing(str(error)))
            return False
        self._in_flight += 1
        if length == CHUNKED:
            self._chunked = ChunkedBody()
        else:
            self._body_left = length
        if self._in_body():
            self._body_timer = asyncio.get_running_loop().call_later(
                self._limits.body_timeout_seconds, self._body_too_slow
            )
        self._feed(end + 4)
        return True

    def _feed(self, size: int) -> None:
        piece = bytes(self._buffer[:size])
        del self._buffer[:size]
        if self._general is not None and piece:
            self._general.data_received(piece)

    def _in_body(self) -> bool:
        return bool(self._body_left) or self._chunked is not None

    def _reply_sent(self) -> None:
        """The general server has finished a reply: one request fewer in flight."""
        self._in_flight -= 1
        self._relay()

    def general_pause_reading(self) -> None:
        self._general_paused = True
        self._update_reading()

    def general_resume_reading(self) -> None:
        self._general_paused = False
        self._relay()

    # -- limits -------------------------------------------------------------------------

    def _should_read(self) -> bool:
        if self._write_paused or len(self._buffer) > self._limits.read_ahead_max:
            return False
        if self._general is None:
            return True
        if self._general_paused:
            return False
        return self._in_flight < self._limits.pipeline_max or self._in_body()

    def _update_reading(self) -> None:
        """Read from the socket only while no limit says stop."""
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        wanted = self._should_read()
        if wanted != self._reading:
            self._reading = wanted
            if wanted:
                transport.resume_reading()
            else:
                transport.pause_reading()

    def _await_head(self) -> None:
        """The buffer holds no complete head: wait for one, within its limits."""
        if not self._buffer:
            if not self._waiting and not self._in_flight:
                self._start_idle_timer()
        elif len(self._buffer) > self._limits.head_size_max:
            self._refuse(HEAD_TOO_LARGE)
        elif self._head_timer is None:
            # From the head's first byte: later bytes never move the deadline.
            self._head_timer = asyncio.get_running_loop().call_later(
                self._limits.head_timeout_seconds, self._head_too_slow
            )

    def _refuse(self, reply: bytes) -> None:
        """Answer with ``reply`` and close, or only close while an earlier reply is
        still owed (a refusal must not cut into it)."""
        transport = self._transport
        if transport is not None and not (self._waiting or self._in_flight):
            transport.write(reply)
        self._close()

    def _close(self) -> None:
        transport = self._transport
        self._buffer.clear()
        if transport is not None:
            self._close_gently(transport)
            self._transport = None

    def _close_gently(self, transport: asyncio.Transport) -> None:
        """Close once the unsent replies are out, but no later than the send deadline:
        a client that never reads would otherwise hold the closing connection forever."""
        transport.close()
        if transport.get_write_buffer_size() and self._send_timer is None:
            self._send_timer = asyncio.get_running_loop().call_later(
                self._limits.send_timeout_seconds, self._send_too_slow
            )

    def general_close(self) -> None:
        if self._transport is not None:
            self._close_gently(self._transport)

    def _head_too_slow(self) -> None:
        self._head_timer = None
        self._refuse(HEAD_TOO_SLOW)

    def _body_too_slow(self) -> None:
        self._body_timer = None
        log.info("closing a connection whose request body took too long")
        self._close()

    def _send_too_slow(self) -> None:
        """Replies have waited past the send deadline: drop them and the connection
        (closing would wait for a client that does not read)."""
        self._send_timer = None
        log.info("aborting a connection whose client stopped reading its replies")
        self._buffer.clear()
        self._transport = None
        if self._socket is not None:
            self._socket.abort()

    def _cancel_send_timer(self) -> None:
        if self._send_timer is not None:
            self._send_timer.cancel()
            self._send_timer = None

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _cancel_body_timer(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _start_idle_timer(self) -> None:
        if self._idle_timer is None and self._transport is not None:
            loop = asyncio.get_running_loop()
            self._idle_timer = loop.call_later(self._limits.keep_alive_seconds, self._close_idle)

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _close_idle(self) -> None:
        """Nothing arrived for the keep-alive timeout while nothing was owed."""
        self._idle_timer = None
        if self._transport is not None and not (self._waiting or self._in_flight):
            self._close_gently(self._transport)
