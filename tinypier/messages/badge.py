"""The header's unread-messages badge: one indexed count per page a member opens.

A middleware after authentication, so it knows the member; it puts the count in the
request's scope, where ``base.html`` reads it, on page views only
(``tinypier.web.member_pages``).
"""

from __future__ import annotations

from litestar.types import Scope

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.messages.store import unread_conversations
from tinypier.web.member_pages import figure_in_scope

SCOPE_KEY = "unread_conversations"


async def _unread(db: Database, viewer: Viewer) -> int:
    return 0 if viewer.id is None else await unread_conversations(db, viewer.id)


unread_badge = figure_in_scope(SCOPE_KEY, _unread)


def count_as_read(scope: Scope) -> None:
    """The page being answered marked a conversation read: the badge counted before the
    handler ran, so it drops that conversation here rather than show it on its own page."""
    unread = scope.get(SCOPE_KEY)
    if isinstance(unread, int) and unread > 0:
        scope[SCOPE_KEY] = unread - 1  # type: ignore[literal-required]
