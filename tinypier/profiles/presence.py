"""Who is online: members seen in the last ``online_minutes``, for the board index.

A member's page views (GETs of pages, not the API or static files) write when they were
seen, at most once a minute per member: the write takes the database's one write lock,
and a member reading a topic page by page should not take it on every click. Only page
views count, never posts, so a refused form changes nothing, and the redirect that
follows a successful one is a page view anyway.

The throttle's memory is one entry per member seen within the last minute (older
entries are pruned as it grows), so it is bounded by the members actually active.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from litestar.datastructures import State
from litestar.types import ASGIApp, Receive, Scope, Send

from tinypier.db.connection import Database
from tinypier.settings import Settings
from tinypier.web.member_pages import page_viewer

WRITE_INTERVAL_SECONDS = 60
# The throttle prunes when it holds this many entries, then at twice what remains.
PRUNE_FLOOR = 1024
THROTTLE_STATE_KEY = "presence_throttle"


class PresenceThrottle:
    """When each member's visit was last written, by this process."""

    def __init__(self) -> None:
        self._written: dict[int, float] = {}
        self._prune_at = PRUNE_FLOOR

    def due(self, member_id: int, now: float) -> bool:
        """Whether this visit should be written; if so, it counts as written now."""
        last = self._written.get(member_id)
        if last is not None and now - last < WRITE_INTERVAL_SECONDS:
            return False
        self._written[member_id] = now
        if len(self._written) >= self._prune_at:
            self._prune(now)
        return True

    def _prune(self, now: float) -> None:
        self._written = {
            member: seen
            for member, seen in self._written.items()
            if now - seen < WRITE_INTERVAL_SECONDS
        }
        self._prune_at = max(PRUNE_FLOOR, 2 * len(self._written))

    def __len__(self) -> int:
        return len(self._written)


async def record_visit(db: Database, member_id: int, now: int) -> None:
    await db.execute(
        "INSERT INTO presence (user_id, seen_at) VALUES (?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at",
        (member_id, now),
    )


def _throttle(state: State) -> PresenceThrottle:
    """The app's one throttle. Litestar builds a route's middleware stack per route, so
    the throttle lives in the app's state, not in the middleware."""
    throttle = state.get(THROTTLE_STATE_KEY)
    if not isinstance(throttle, PresenceThrottle):
        throttle = state[THROTTLE_STATE_KEY] = PresenceThrottle()
    return throttle


def track_presence(app: ASGIApp) -> ASGIApp:
    """The middleware (after authentication, which puts the viewer in the scope)."""

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        viewer = page_viewer(scope)
        if viewer is not None and viewer.id is not None:
            now = time.time()
            if _throttle(scope["app"].state).due(viewer.id, now):
                await record_visit(scope["app"].state.db, viewer.id, int(now))
        await app(scope, receive, send)

    return handle


@dataclass(frozen=True)
class OnlineNow:
    """The index's list: names shown (at most ``online_shown_max``, by name), how many
    are online in all, how many of them hide it, and over how many minutes."""

    members: list[sqlite3.Row]
    total: int
    hidden: int
    minutes: int

    @property
    def not_shown(self) -> int:
        return self.total - self.hidden - len(self.members)


async def online_members(db: Database, settings: Settings, now: int) -> OnlineNow:
    """Both reads walk the newest stretch of the seen_at index, joining users by id."""
    since = now - 60 * settings.online_minutes
    shown = await db.fetch_all(
        "SELECT u.id, u.name FROM presence s JOIN users u ON u.id = s.user_id"
        " WHERE s.seen_at >= ? AND NOT u.hide_online AND NOT u.disabled"
        " ORDER BY s.seen_at DESC LIMIT ?",
        (since, settings.online_shown_max),
    )
    counts = await db.fetch_one(
        "SELECT COUNT(*) AS total, COALESCE(SUM(u.hide_online), 0) AS hidden"
        " FROM presence s JOIN users u ON u.id = s.user_id"
        " WHERE s.seen_at >= ? AND NOT u.disabled",
        (since,),
    )
    total, hidden = (counts["total"], counts["hidden"]) if counts is not None else (0, 0)
    members = sorted(shown, key=lambda row: str(row["name"]).casefold())
    return OnlineNow(members, int(total), int(hidden), settings.online_minutes)
