"""Whether the board is reached at its ``base_url``.

Announce URLs in downloaded .torrent files, feed links and invite links are built from
``base_url``; when the admin reaches the board at another address, those point
somewhere else (a dead port, a loopback address a member cannot reach). The admin pages
say so, naming both addresses, instead of letting every download fail silently.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request

from tinypier.i18n import _
from tinypier.settings import Settings
from tinypier.web.net import is_trusted_proxy

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` in one spelling (lower case, default port left out);
    None for what is no http(s) address."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    shown_port = "" if port in (None, DEFAULT_PORTS[scheme]) else f":{port}"
    return f"{scheme}://{host}{shown_port}"


def _first(value: str | None) -> str | None:
    first = value.split(",", 1)[0].strip() if value else ""
    return first or None


def reached_origin(request: Request[Any, Any, Any], trusted_proxies: tuple[str, ...]) -> str | None:
    """The address the browser asked for: its Host header and the connection's scheme,
    or behind a trusted proxy the ``X-Forwarded-Host`` / ``X-Forwarded-Proto`` it sets."""
    scheme, host = request.scope["scheme"], request.headers.get("host")
    client = request.scope.get("client")
    if is_trusted_proxy(client[0] if client else None, trusted_proxies):
        scheme = _first(request.headers.get("x-forwarded-proto")) or scheme
        host = _first(request.headers.get("x-forwarded-host")) or host
    return origin(f"{scheme}://{host}") if host else None


def base_url_warning(request: Request[Any, Any, Any]) -> str | None:
    """A warning for the admin when the board is reached elsewhere than its base_url."""
    settings: Settings = request.app.state.settings
    reached = reached_origin(request, settings.trusted_proxies)
    configured = origin(settings.base_url)
    if reached is None or reached == configured:
        return None
    return _(
        "Announce URLs in downloaded .torrent files and feed links use %(base_url)s"
        " (the base_url setting), but you reached this board at %(reached)s. If members"
        " reach it at %(reached)s too, set base_url to that address and restart.",
        base_url=settings.base_url,
        reached=reached,
    )
