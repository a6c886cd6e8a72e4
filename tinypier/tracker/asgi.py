"""The raw ASGI endpoint for ``/announce/<passkey>`` and ``/scrape/<passkey>``, and for
TorrentPier's announce and scrape URLs (``/bt/announce.php?uk=<passkey>``), which clients
seeding an imported board's torrents keep announcing to.

It sits in front of the Litestar application (see :func:`serve_tracker_first`), so the
hot path skips Litestar's routing, middleware and response machinery entirely: it reads
the raw query string, asks the engine, and sends one bencoded body. Everything under
these two paths is answered with HTTP 200 and a bencoded dictionary, even a bug (logged,
answered with a ``failure reason``), because that is all a BitTorrent client can show.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from tinypier.tracker.engine import ClientAddress, Tracker
from tinypier.tracker.protocol import failure, percent_decode
from tinypier.web.net import client_address

log = logging.getLogger(__name__)

ANNOUNCE = "/announce"
SCRAPE = "/scrape"
INTERNAL_ERROR_REPLY = failure("internal tracker error: please report it to the site")


def announcing_address(
    host: str | None, forwarded_for: bytes, trusted_proxies: tuple[str, ...]
) -> ClientAddress | None:
    """The client's address: the connection's, or behind a trusted proxy the one its
    ``X-Forwarded-For`` header (raw bytes, empty when absent) names."""
    forwarded = forwarded_for.decode("latin-1") if trusted_proxies and forwarded_for else None
    return _resolve_address(host, forwarded, trusted_proxies)


@lru_cache(maxsize=8192)
def _resolve_address(
    host: str | None, forwarded_for: str | None, trusted_proxies: tuple[str, ...]
) -> ClientAddress | None:
    address = client_address(host, forwarded_for, trusted_proxies)
    if address is None:
        return None
    return ClientAddress(address.packed, address.version == 6)


def tracker_passkey(path: str, prefix: str) -> str | None:
    """The passkey of ``/announce/<passkey>``; None when ``path`` is not a tracker path."""
    if path == prefix:
        return ""
    if path.startswith(prefix) and path[len(prefix)] == "/":
        return path[len(prefix) + 1 :]
    return None


# TorrentPier 3.0's tracker routes (routes/tracker.php); 2.x had only the .php files.
LEGACY_ANNOUNCE = frozenset({"/bt/announce.php", "/bt/announce", "/bt/index.php", "/bt/", "/bt"})
LEGACY_SCRAPE = frozenset({"/bt/scrape.php", "/bt/scrape"})


def legacy_tracker_passkey(path: str, query: bytes, field: bytes) -> tuple[bool, str] | None:
    """(is a scrape, passkey) for TorrentPier's announce and scrape paths, the passkey
    read from the query parameter ``field`` (``legacy_passkey_param``; empty when absent,
    which the tracker refuses as it does ``/announce`` without one); None for any other
    path. Only asked once the usual paths did not match, so they cost nothing more."""
    if path in LEGACY_ANNOUNCE:
        scrape = False
    elif path in LEGACY_SCRAPE:
        scrape = True
    else:
        return None
    passkey = b""
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        if name == field:
            passkey = value
    return scrape, percent_decode(passkey).decode("latin-1")


def is_tracker_path(path: str) -> bool:
    """Whether the tracker answers ``path`` (the usual or TorrentPier's form)."""
    return (
        tracker_passkey(path, ANNOUNCE) is not None
        or tracker_passkey(path, SCRAPE) is not None
        or path in LEGACY_ANNOUNCE
        or path in LEGACY_SCRAPE
    )


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return b""


class TrackerFront:
    """Serves the tracker paths and hands every other request to ``app`` unchanged."""

    def __init__(self, tracker: Tracker, app: ASGIApp) -> None:
        self._tracker = tracker
        self._app = app
        self._trusted = tracker.settings.trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            path = scope["path"]
            passkey = tracker_passkey(path, ANNOUNCE)
            if passkey is not None:
                await self._answer(send, self._announce(scope, passkey))
                return
            passkey = tracker_passkey(path, SCRAPE)
            if passkey is not None:
                await self._answer(send, self._scrape(scope, passkey))
                return
            legacy = legacy_tracker_passkey(
                path, scope["query_string"], self._tracker.legacy_passkey_field
            )
            if legacy is not None:
                scrape, passkey = legacy
                reply = self._scrape(scope, passkey) if scrape else self._announce(scope, passkey)
                await self._answer(send, reply)
                return
        await self._app(scope, receive, send)

    async def _announce(self, scope: Scope, passkey: str) -> bytes:
        client = scope.get("client")
        forwarded = _header(scope, b"x-forwarded-for")
        address = announcing_address(client[0] if client else None, forwarded, self._trusted)
        user_agent = _header(scope, b"user-agent")
        return await self._tracker.announce(passkey, scope["query_string"], address, user_agent)

    async def _scrape(self, scope: Scope, passkey: str) -> bytes:
        return self._tracker.scrape(passkey, scope["query_string"])

    async def _answer(self, send: Send, reply: Any) -> None:
        try:
            body: bytes = await reply
        except Exception:
            log.exception("tracker request failed")
            body = INTERNAL_ERROR_REPLY
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/plain"),
                    (b"content-length", b"%d" % len(body)),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})


def serve_tracker_first(app: Litestar, tracker: Tracker) -> None:
    """Put the tracker in front of Litestar's own request handling (after lifespan and
    scope set-up, before routing and middleware)."""
    app.asgi_handler = TrackerFront(tracker, app.asgi_handler)
