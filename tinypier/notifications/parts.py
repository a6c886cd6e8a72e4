"""The watch and bookmark buttons a topic page and a forum page show a member."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.notifications import store
from tinypier.settings import Settings
from tinypier.web.extensions import ForumExtension, Slot, TopicExtension


@dataclass(frozen=True)
class TopicTools:
    topic_id: int
    watching: bool
    bookmarked: bool


@dataclass(frozen=True)
class ForumWatch:
    forum_id: int
    watching: bool


async def topic_tools(
    db: Database, viewer: Viewer, topic: sqlite3.Row, _settings: Settings
) -> TopicTools | None:
    """For members only: the topic page already checked they may view the topic."""
    if viewer.id is None:
        return None
    return TopicTools(
        topic["id"],
        watching=await store.has(db, "topic_watch", viewer.id, topic["id"]),
        bookmarked=await store.has(db, "bookmark", viewer.id, topic["id"]),
    )


async def forum_watch(
    db: Database, viewer: Viewer, forum: sqlite3.Row, _settings: Settings
) -> ForumWatch | None:
    if viewer.id is None:
        return None
    return ForumWatch(forum["id"], await store.has(db, "forum_watch", viewer.id, forum["id"]))


TOPIC_TOOLS = TopicExtension(
    "watch", Slot.ABOVE_POSTS, "notifications/topic_tools.html", topic_tools
)
FORUM_WATCH = ForumExtension("watch", "notifications/forum_watch.html", forum_watch)
