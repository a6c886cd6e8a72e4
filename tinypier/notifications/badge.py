"""The header's unread-notifications badge: one indexed count per page a member opens.

Like the messages' badge (``tinypier.web.member_pages``): a middleware after
authentication puts the count in the request's scope, where ``base.html`` reads it; API
calls, static files and form posts skip the query. The count leaves out notices whose
subject the member may no longer view, as the page does.
"""

from __future__ import annotations

from litestar.types import Scope

from tinypier.notifications.store import unread_count
from tinypier.web.member_pages import figure_in_scope

SCOPE_KEY = "unread_notices"

unread_notices = figure_in_scope(SCOPE_KEY, unread_count)


def count_notices_read(scope: Scope, read: int) -> None:
    """The page being answered marked notices read (a conversation it shows): the badge
    counted before the handler ran, so it drops them here."""
    unread = scope.get(SCOPE_KEY)
    if isinstance(unread, int) and read > 0:
        scope[SCOPE_KEY] = max(0, unread - read)  # type: ignore[literal-required]
