"""The header's unread-messages badge: one indexed count per page a member opens.

A route middleware after authentication, so it knows the member; it puts the count
in the request's scope, where ``base.html`` reads it. Only pages get it: API calls,
static files and form posts (which redirect) skip the query.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from tinypier.accounts.sessions import API_PREFIX
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.messages.store import unread_conversations

SCOPE_KEY = "unread_conversations"


def unread_badge(app: ASGIApp) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        viewer: Viewer | None = scope.get("user")
        if (
            viewer is not None
            and viewer.id is not None
            and scope.get("method") == "GET"
            and not scope["path"].startswith(API_PREFIX)
        ):
            db: Database = scope["app"].state.db
            scope[SCOPE_KEY] = await unread_conversations(db, viewer.id)  # type: ignore[literal-required]
        await app(scope, receive, send)

    return handle


def count_as_read(scope: Scope) -> None:
    """The page being answered marked a conversation read: the badge counted before the
    handler ran, so it drops that conversation here rather than show it on its own page."""
    unread = scope.get(SCOPE_KEY)
    if isinstance(unread, int) and unread > 0:
        scope[SCOPE_KEY] = unread - 1  # type: ignore[literal-required]
