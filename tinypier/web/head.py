"""``HEAD`` wherever ``GET`` is allowed: pages, feeds, API reads, downloads.

Uptime monitors and link checkers ask ``HEAD /``; Litestar answers a ``GET`` handler's
route with 405 for it. Here a HEAD request is handled as the GET it mirrors, and the
reply goes out with the GET's status and headers (``Content-Length`` included) but no
body, as RFC 9110 asks. A route without GET still answers 405.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPScope,
    Message,
    Receive,
    Scope,
    Send,
)

EMPTY_END: HTTPResponseBodyEvent = {"type": "http.response.body", "body": b"", "more_body": False}


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD":
            await self._app(scope, receive, send)
            return
        as_get: HTTPScope = {**scope, "method": "GET"}

        async def headers_only(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send(EMPTY_END)

        await self._app(as_get, receive, headers_only)
