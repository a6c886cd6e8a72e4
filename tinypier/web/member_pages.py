"""The page views of a signed-in member, for the middlewares that act on each one.

Header badges (unread messages, unread notifications) and presence all want the same
requests: a GET by a known member for a page, not the API, static files or images, and
not form posts (which redirect to a page that is counted anyway). They run after
authentication, which puts the viewer in the scope.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.types import ASGIApp, Receive, Scope, Send

from tinypier.accounts.sessions import API_PREFIX
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database

NOT_PAGES = (API_PREFIX, "/static/", "/images/")

MemberFigure = Callable[[Database, Viewer], Awaitable[int]]


def page_viewer(scope: Scope) -> Viewer | None:
    """The member whose page view this request is, or None for anything else."""
    viewer: Viewer | None = scope.get("user")
    if (
        viewer is None
        or viewer.id is None
        or scope.get("method") != "GET"
        or scope["path"].startswith(NOT_PAGES)
    ):
        return None
    return viewer


def figure_in_scope(key: str, figure: MemberFigure) -> Callable[[ASGIApp], ASGIApp]:
    """A middleware putting ``figure`` of the member under ``key`` in the scope of each
    of their page views, where ``base.html`` reads it: one query per page, none for
    other requests."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def handle(scope: Scope, receive: Receive, send: Send) -> None:
            viewer = page_viewer(scope)
            if viewer is not None:
                db: Database = scope["app"].state.db
                scope[key] = await figure(db, viewer)  # type: ignore[literal-required]
            await app(scope, receive, send)

        return handle

    return middleware
