"""``GET /api/notifications``: the caller's notices for bots and scripts, as the page
lists them (newest first, 30 a page, what they may no longer view left out). Reading
them here marks nothing read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from tinypier.accounts.guards import require_member
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.pagination import paginate
from tinypier.notifications import store
from tinypier.notifications.words import notice_text
from tinypier.web.api_schema import MEMBER_TOKEN, error_responses

ViewerRequest = Request[Viewer, Any, Any]
NOTICES_PER_PAGE = 30


@dataclass
class ApiNotification:
    id: int
    kind: str
    text: str
    unread: bool
    count: int
    created_at: int
    topic_id: int | None
    post_id: int | None
    conversation_id: int | None


@dataclass
class ApiNotifications:
    notifications: list[ApiNotification]
    unread: int
    page: int
    has_next: bool


@get(
    "/notifications",
    summary="List the caller's notifications",
    guards=[require_member],
    security=MEMBER_TOKEN,
    responses=error_responses(401),
)
async def api_notifications(
    request: ViewerRequest, db: NamedDependency[Database], page: FromQuery[str | None] = None
) -> ApiNotifications:
    """The caller's notifications, newest first, 30 a page (``?page=N``); ``text`` is in
    the caller's language."""
    viewer = request.user
    pagination = paginate(page, await store.notice_count(db, viewer), NOTICES_PER_PAGE)
    rows = await store.notices(db, viewer, pagination.offset, NOTICES_PER_PAGE)
    return ApiNotifications(
        notifications=[
            ApiNotification(
                id=row["id"],
                kind=row["kind"],
                text=notice_text(row),
                unread=row["read_at"] is None,
                count=row["count"],
                created_at=row["created_at"],
                topic_id=row["topic_id"],
                post_id=row["post_id"],
                conversation_id=row["conversation_id"],
            )
            for row in rows
        ],
        unread=await store.unread_count(db, viewer),
        page=pagination.number,
        has_next=pagination.next is not None,
    )


API_ROUTER = Router(
    path="/api",
    route_handlers=[api_notifications],
    include_in_schema=True,
    tags=["Notifications"],
)
"""Documented in the API's OpenAPI schema, as the releases' API is (``torrents.api``)."""
