"""Security headers on every response of the web side: pages, redirects, errors, static
files and the API alike.

Added around Litestar's own request handling (after routing and exception handling), so
a 404 for an unknown path or a 500 page carries them too, which route-level hooks miss.
The tracker's replies go out in front of this layer and carry none: BitTorrent clients
ignore them.

The policy, and why:

- Content-Security-Policy: nothing loads from anywhere but the board itself, except
  images, which posts embed from any http(s) host with [img]. No page has inline script,
  so script runs only from the board's own files; a markup injection that slipped past
  the sanitizer still could not run. Styles come from the stylesheet; only style
  *attributes* may be inline, because [color] renders as ``style="color: ..."`` (nh3 lets
  no other property through). Browsers without ``style-src-attr`` fall back to
  ``style-src`` and show such text uncoloured. /api/schema serves the schema documents
  and a plain page linking them, no viewer that would load from a CDN
  (:mod:`tinypier.web.api_schema`).
- frame-ancestors 'none' and X-Frame-Options DENY (for older browsers): no site can
  frame the board to trick a member into clicking its buttons.
- Referrer-Policy same-origin: links and embedded images in posts do not tell other
  hosts which topic (of a private forum, say) a member was reading.
- X-Content-Type-Options nosniff: an uploaded or served file is never run as a script or
  stylesheet because its bytes look like one.
"""

from __future__ import annotations

from collections.abc import Iterable

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' http: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
)


def with_security_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The response's headers plus each security header it does not set itself."""
    present = list(headers)
    names = {name.lower() for name, _value in present}
    return present + [header for header in SECURITY_HEADERS if header[0] not in names]


class SecurityHeaders:
    """ASGI wrapper that adds ``SECURITY_HEADERS`` to every HTTP response it passes on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = with_security_headers(message.get("headers", ()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
