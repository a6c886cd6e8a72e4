"""Rendering a page, and telling the member what just happened on the next one.

Flash messages travel in a short-lived cookie set on the redirect that follows a POST and
deleted by the page that shows them: they hold nothing secret, and a page that flashes
needs no database write.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from tinypier.accounts.viewer import GUEST, Viewer
from tinypier.web import urls

FLASH_COOKIE = "tinypier_flash"
FLASH_KINDS = ("info", "success", "error")


def route(
    request: Request[Any, Any, Any],
    name: str,
    *,
    query: urls.Query | None = None,
    **params: int | str,
) -> str:
    """A page's path by its route name, with a query string if given: the one way
    handlers build their links (``tinypier.web.urls`` for code without a request)."""
    return urls.address(request.app.route_reverse, name, query, params)


def _encode_flashes(flashes: list[tuple[str, str]]) -> str:
    return base64.urlsafe_b64encode(json.dumps(flashes).encode()).decode()


def read_flashes(request: Request[Any, Any, Any]) -> list[tuple[str, str]]:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return []
    try:
        decoded = json.loads(base64.urlsafe_b64decode(raw.encode()))
    except (ValueError, TypeError):
        return []
    if not isinstance(decoded, list):
        return []
    return [
        (kind, message)
        for kind, message in (item for item in decoded if isinstance(item, list) and len(item) == 2)
        if kind in FLASH_KINDS and isinstance(message, str)
    ][:5]


def flash_cookie(message: str, kind: str = "info") -> Cookie:
    return Cookie(
        key=FLASH_COOKIE,
        value=_encode_flashes([(kind, message)]),
        path="/",
        httponly=True,
        samesite="lax",
        max_age=60,
    )


def redirect(path: str, message: str | None = None, kind: str = "info") -> Redirect:
    """A 303 after a POST, optionally carrying a message for the next page."""
    cookies = [flash_cookie(message, kind)] if message else []
    return Redirect(path=path, status_code=303, cookies=cookies)


def viewer_of(request: Request[Any, Any, Any]) -> Viewer:
    """The viewer, also on error pages raised before authentication ran (a 404 route)."""
    viewer: Viewer = request.scope.get("user") or GUEST
    return viewer


def render(
    request: Request[Any, Any, Any],
    template_name: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> Template:
    """A page with the layout's context: the viewer, the settings and pending messages."""
    flashes = read_flashes(request)
    response = Template(
        template_name=template_name,
        context={
            "viewer": viewer_of(request),
            "settings": request.app.state.settings,
            "flashes": flashes,
            "request": request,
            **context,
        },
        status_code=status_code,
    )
    if flashes:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response
