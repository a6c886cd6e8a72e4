"""The access log: one line per request, through Python's ``logging`` (``tinypier.access``).

    203.0.113.5 "GET /topics/3?page=2" 200 5123 1.8ms

Secrets never reach it: a passkey in a tracker path and the values of query parameters
that carry one (a feed ``token``, an invite ``code``) are replaced by ``[hidden]``, since
log files are read, copied and kept by people who must not be able to act as a member.
Web requests are logged when ``access_log`` is on; announces and scrapes, a hundred
times more numerous, only when ``access_log_tracker`` is.
"""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import quote, unquote_plus

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from tinypier.settings import Settings
from tinypier.tracker.asgi import ANNOUNCE, SCRAPE, is_tracker_path, tracker_passkey
from tinypier.web.net import client_address

log = logging.getLogger("tinypier.access")

HIDDEN = "[hidden]"
SECRET_QUERY_KEYS = frozenset({"token", "code", "passkey", "key", "uk"})
# Whatever could forge or break a line: controls, spaces, quotes, backslashes, non-ASCII.
_UNPRINTABLE = re.compile(r'[^\x21-\x7e]|["\\]')


def _escaped(text: str) -> str:
    """Percent-encoded as on the wire, so one request is always one unambiguous line."""
    return _UNPRINTABLE.sub(lambda match: quote(match[0], safe=""), text)


def _hidden_secret(parameter: str) -> str:
    name, equals, _ = parameter.partition("=")
    return (
        f"{name}={HIDDEN}"
        if equals and unquote_plus(name).lower() in SECRET_QUERY_KEYS
        else parameter
    )


def loggable_target(path: str, query: bytes) -> str:
    """The request's path and query as the log shows them, secrets hidden."""
    for prefix in (ANNOUNCE, SCRAPE):
        passkey = tracker_passkey(path, prefix)
        if passkey is not None:
            return f"{prefix}/{HIDDEN}" if passkey else prefix
    if is_tracker_path(path):
        # TorrentPier's form: the passkey is in the query, under a name the board chose.
        return path
    if not query:
        return _escaped(path)
    parameters = query.decode("latin-1").split("&")
    return _escaped(path + "?" + "&".join(map(_hidden_secret, parameters)))


def log_request(
    method: str, target: str, status: int, size: int, seconds: float, client: str | None
) -> None:
    log.info('%s "%s %s" %d %d %.1fms', client or "-", method, target, status, size, seconds * 1000)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


class AccessLog:
    """Wraps the whole application (tracker paths included) and logs each request as
    its reply ends: the status and body bytes sent, the time taken, the client address
    (behind a trusted proxy, the one it forwards)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self._app = app
        self._web = settings.access_log
        self._tracker = settings.access_log_tracker
        self._trusted = settings.trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        wanted = self._tracker if is_tracker_path(scope["path"]) else self._web
        if not wanted:
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        status = size = 0

        async def counted(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self._app(scope, receive, counted)
        finally:
            self._log(scope, status, size, time.perf_counter() - started)

    def _log(self, scope: HTTPScope, status: int, size: int, seconds: float) -> None:
        client = scope.get("client")
        address = client_address(
            client[0] if client else None, _header(scope, b"x-forwarded-for"), self._trusted
        )
        target = loggable_target(scope["path"], scope["query_string"])
        shown = None if address is None else str(address)
        log_request(scope["method"], target, status, size, seconds, shown)
