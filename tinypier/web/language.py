"""Which language and time zone each request is answered in, and the guests' switch.

Two steps, because the member is known only after authentication while a page for an
unknown route (a 404 from the router) is rendered before any route middleware runs:
``speak_to_visitors`` wraps the whole application and picks the language from the
guest's switch cookie, the browser's ``Accept-Language`` and the board's default; the
``member_language`` middleware, inside authentication, then honours a member's own
settings. Each sets the audience for the rest of the request only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from litestar import Request, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.enums import ScopeType
from litestar.response import Redirect
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from tinypier.accounts.forms import Form, safe_next
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import (
    LANGUAGE_COOKIE,
    Audience,
    choose_language,
    current_audience,
    speaking_to,
    supported,
)
from tinypier.settings import Settings
from tinypier.web.pages import route

LANGUAGE_COOKIE_DAYS = 365
VARY_HEADER = (b"vary", b"Accept-Language, Cookie")
# Longer header values are a client's noise; the language choice never needs more.
HEADER_VALUE_MAX = 4096


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value[:HEADER_VALUE_MAX]).decode("latin-1")
    return ""


def _cookie(scope: Scope, name: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(_header(scope, b"cookie"))
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def visitor_audience(scope: Scope, settings: Settings) -> Audience:
    language = choose_language(
        None,
        _cookie(scope, LANGUAGE_COOKIE),
        _header(scope, b"accept-language"),
        settings.default_language,
    )
    return Audience(language, settings.default_timezone)


def speak_to_visitors(app: ASGIApp, current_settings: Callable[[], Settings]) -> ASGIApp:
    """Wraps the whole application: every page, error pages included, speaks the
    visitor's language. The board's defaults are read per request: an admin may change
    them while it runs."""

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return

        async def send_varying(message: Message) -> None:
            # A shared cache must not hand one reader's language to another.
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), VARY_HEADER]
            await send(message)

        with speaking_to(visitor_audience(scope, current_settings())):
            await app(scope, receive, send_varying)

    return handle


def member_language(app: ASGIApp) -> ASGIApp:
    """Route middleware after authentication: a member's own language and time zone win
    over what the browser asks for."""

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        viewer: Viewer | None = scope.get("user")
        visitor = current_audience()
        if viewer is None or not (viewer.language or viewer.time_zone):
            await app(scope, receive, send)
            return
        audience = Audience(
            supported(viewer.language) or visitor.language,
            viewer.time_zone or visitor.time_zone,
        )
        with speaking_to(audience):
            await app(scope, receive, send)

    return handle


@dataclass
class LanguageForm:
    language: str = ""


def page_switched_from(request: Request[Any, Any, Any]) -> str:
    """Back to the page the switch was pressed on: the Referer, when it is this site's
    (the form carries no path itself, so no page repeats its own address in a field)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.headers.get("host", ""):
        return route(request, "forum:index")
    return safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))


def language_cookie(language: str, settings: Settings) -> Cookie:
    return Cookie(
        key=LANGUAGE_COOKIE,
        value=language,
        path="/",
        max_age=LANGUAGE_COOKIE_DAYS * 86400,
        secure=settings.base_url.startswith("https://"),
        httponly=True,
        samesite="lax",
    )


@post("/language", name="language:switch")
async def switch_language(
    request: Request[Any, Any, Any],
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    data: Form[LanguageForm],
) -> Redirect:
    """The language switch every page carries: a form, so it works without JavaScript
    and no link a crawler follows changes anything. A member's choice is saved to their
    settings too; an unknown language changes nothing."""
    back = page_switched_from(request)
    language = supported(data.language)
    if language is None or language != data.language.strip().lower():
        return Redirect(path=back, status_code=303)
    viewer: Viewer = request.user
    if viewer.is_member:
        await db.execute("UPDATE users SET language = ? WHERE id = ?", (language, viewer.id))
    return Redirect(path=back, status_code=303, cookies=[language_cookie(language, settings)])
