"""The bounds every connection of ``tinypier serve`` keeps, whoever answers its requests.

Why: a client can make a server spend memory and time without ever finishing a request
(a head trickled a byte at a time, a head of megabytes, a body that never ends), by
finishing many and never reading the replies (pipelining), or by simply holding many
sockets. uvicorn bounds none of these, so the connection front
(:mod:`tinypier.tracker.http`) stays in the data path of every connection: it frames
requests itself (head, then the body its ``Content-Length`` or chunked coding announces),
enforces the limits here, and feeds the general server only whole heads and the body
bytes they announce. It never changes a byte, so the general server's own parser stays
the judge of what the requests mean; this framing only decides when to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from dataclasses import dataclass
from typing import Any, Protocol

from tinypier.settings import Settings
from tinypier.web.net import connection_source

CHUNKED = -1
CHUNK_LINE_MAX = 8192
READ_AHEAD_MIN = 65536
HEX_SIZE = re.compile(rb"[0-9a-fA-F]{1,15}")


@dataclass(frozen=True)
class ConnectionLimits:
    """The per-connection limits, read once at start (the settings say what each means)."""

    head_size_max: int
    head_timeout_seconds: float
    body_timeout_seconds: float
    pipeline_max: int
    write_buffer_high_water: int
    connections_max: int
    send_timeout_seconds: float
    keep_alive_seconds: float
    connections_per_address_max: int
    trusted_proxies: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: Settings, keep_alive_seconds: float) -> ConnectionLimits:
        return cls(
            head_size_max=settings.head_size_max,
            head_timeout_seconds=settings.head_timeout_seconds,
            body_timeout_seconds=settings.body_timeout_seconds,
            pipeline_max=settings.pipeline_max,
            write_buffer_high_water=settings.write_buffer_high_water,
            connections_max=settings.connections_max,
            send_timeout_seconds=settings.send_timeout_seconds,
            keep_alive_seconds=keep_alive_seconds,
            connections_per_address_max=settings.connections_per_address_max,
            trusted_proxies=settings.trusted_proxies,
        )

    @property
    def read_ahead_max(self) -> int:
        """Received bytes one connection may hold unprocessed before it is not read: at
        least a whole head, so a head at the size limit can still complete."""
        return max(READ_AHEAD_MIN, self.head_size_max + 4)


def bound_kernel_send_buffer(sock: socket.socket, size: int) -> None:
    """Size a socket's kernel send buffer like the transport's own high-water mark.

    The write buffer only fills once the kernel's has: on loopback the kernel grows that
    to megabytes, so a client that never reads had tens of thousands of pipelined scrapes
    answered (and the CPU spent) before reading stopped. Linux doubles the size asked for.
    ``tinypier serve`` sets it on the listening socket, whose accepted connections
    inherit it (:func:`tinypier.server.listening_socket`).
    """
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, size)


class OpenConnections:
    """How many connections the server holds, in all against ``connections_max`` and
    per client address (an IPv6 client's /64) against ``connections_per_address_max``,
    so one address cannot take every slot. A trusted proxy's connections count only in
    all: everyone behind it shares its address."""

    def __init__(self, limits: ConnectionLimits) -> None:
        self._limits = limits
        self.count = 0
        self._by_address: dict[str, int] = {}

    def admit(self, host: str | None) -> bool:
        """Count a new connection from ``host`` (the socket's peer address), or say it
        is one too many; each admitted connection is released once (:meth:`release`)."""
        if self.count >= self._limits.connections_max:
            return False
        address = self._capped_address(host)
        if address is not None:
            held = self._by_address.get(address, 0)
            if held >= self._limits.connections_per_address_max:
                return False
            self._by_address[address] = held + 1
        self.count += 1
        return True

    def release(self, host: str | None) -> None:
        self.count -= 1
        address = self._capped_address(host)
        if address is not None:
            held = self._by_address.pop(address) - 1
            if held:
                self._by_address[address] = held

    def _capped_address(self, host: str | None) -> str | None:
        return None if host is None else connection_source(host, self._limits.trusted_proxies)


def refusal(status: int, reason: str, message: str, extra_headers: bytes = b"") -> bytes:
    """A complete reply that ends the connection, for a request the front refuses."""
    body = message.encode() + b"\n"
    return (
        b"HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n"
        b"%sConnection: close\r\n\r\n%s" % (status, reason.encode(), len(body), extra_headers, body)
    )


TOO_MANY_CONNECTIONS = refusal(
    503,
    "Service Unavailable",
    "The server has too many open connections, in all or from your address; try again soon.",
    b"Retry-After: 5\r\n",
)
HEAD_TOO_LARGE = refusal(
    431, "Request Header Fields Too Large", "The request head is larger than this server accepts."
)
HEAD_TOO_SLOW = refusal(408, "Request Timeout", "The request head took too long to arrive.")


def bad_framing(message: str) -> bytes:
    return refusal(400, "Bad Request", message)


class FramingError(ValueError):
    """A request whose end cannot be told unambiguously; the message says why."""


def crlf_only(head: bytes) -> bool:
    """Every line ends in CRLF: no bare CR or LF that another parser would split on."""
    lines = head.count(b"\r\n")
    return head.count(b"\r") == lines and head.count(b"\n") == lines


def body_length(head: bytes) -> int:
    """The length of the body a request head (without its blank line) announces, or
    :data:`CHUNKED`. Anything two parsers could read differently is refused, so the
    front and the general server always agree where the next request starts."""
    if not crlf_only(head):
        raise FramingError("Every line of a request head must end in CRLF.")
    lengths: set[bytes] = set()
    codings: list[bytes] = []
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.lower()
        if name == b"content-length":
            lengths.add(value.strip(b" \t"))
        elif name == b"transfer-encoding":
            codings.append(value.strip(b" \t").lower())
    if codings:
        if lengths:
            raise FramingError("A request cannot have both Content-Length and Transfer-Encoding.")
        if codings != [b"chunked"]:
            raise FramingError("Only the chunked transfer coding is accepted.")
        return CHUNKED
    if not lengths:
        return 0
    (text, *others) = lengths
    if others or not text.isdigit() or len(text) > 18:
        raise FramingError("Content-Length must be one whole number.")
    return int(text)


class ChunkedBody:
    """Where a chunked request body ends, found as its bytes arrive (size lines, data,
    trailers), so the front knows which bytes after it begin the next request."""

    def __init__(self) -> None:
        self._data_left = 0
        self._trailer_left: int | None = None
        self.done = False

    def take(self, buffer: bytes | bytearray) -> int:
        """How many leading bytes of ``buffer`` belong to the body; ``done`` tells
        whether they end it. Raises :class:`FramingError` on a malformed size line."""
        taken = 0
        while not self.done:
            if self._data_left:
                step = min(self._data_left, len(buffer) - taken)
                if not step:
                    break
                taken += step
                self._data_left -= step
                continue
            end = buffer.find(b"\r\n", taken)
            if end < 0:
                if len(buffer) - taken > CHUNK_LINE_MAX:
                    raise FramingError("A chunk size line is too long.")
                break
            line = bytes(buffer[taken:end])
            taken = end + 2
            if self._trailer_left is not None:
                self._trailer_left -= len(line) + 2
                if self._trailer_left < 0:
                    raise FramingError("The chunked body's trailers are too long.")
                self.done = not line
                continue
            size = line.split(b";", 1)[0].strip(b" \t")
            if not HEX_SIZE.fullmatch(size):
                raise FramingError("A chunk size is not a hexadecimal number.")
            chunk = int(size, 16)
            if chunk:
                self._data_left = chunk + 2
            else:
                self._trailer_left = CHUNK_LINE_MAX
        return taken


class ConnectionOwner(Protocol):
    """What the general server's wishes to stop or resume reading, and to close, go to."""

    def general_pause_reading(self) -> None: ...

    def general_resume_reading(self) -> None: ...

    def general_close(self) -> None: ...


class RelayedTransport(asyncio.Transport):
    """The transport the general server is given. Its writes go straight to the socket;
    its wishes to pause or resume reading go to the front, which reads only while
    neither it nor any limit of its own says stop, and so does closing, which the front
    bounds by the send deadline."""

    def __init__(self, transport: asyncio.Transport, owner: ConnectionOwner) -> None:
        super().__init__()
        self._transport = transport
        self._owner = owner

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._transport.write(data)

    def close(self) -> None:
        self._owner.general_close()

    def abort(self) -> None:
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def pause_reading(self) -> None:
        self._owner.general_pause_reading()

    def resume_reading(self) -> None:
        self._owner.general_resume_reading()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size()
