"""The header's unread-notifications badge: one indexed count per page a member opens.

The same way as the messages' badge (``tinypier.messages.badge``): a middleware after
authentication puts the count in the request's scope, where ``base.html`` reads it; API
calls, static files and form posts skip the query. The count leaves out notices whose
subject the member may no longer view, as the page does.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from tinypier.accounts.sessions import API_PREFIX
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.notifications.store import unread_count

SCOPE_KEY = "unread_notices"


def unread_notices(app: ASGIApp) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        viewer: Viewer | None = scope.get("user")
        if (
            viewer is not None
            and viewer.id is not None
            and scope.get("method") == "GET"
            and not scope["path"].startswith(API_PREFIX)
        ):
            db: Database = scope["app"].state.db
            scope[SCOPE_KEY] = await unread_count(db, viewer)  # type: ignore[literal-required]
        await app(scope, receive, send)

    return handle


def count_notices_read(scope: Scope, read: int) -> None:
    """The page being answered marked notices read (a conversation it shows): the badge
    counted before the handler ran, so it drops them here."""
    unread = scope.get(SCOPE_KEY)
    if isinstance(unread, int) and read > 0:
        scope[SCOPE_KEY] = max(0, unread - read)  # type: ignore[literal-required]
