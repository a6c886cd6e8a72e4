"""Loading a forum, topic or post for a viewer: what they may not view does not exist.

Every forum route starts here, so a private forum answers 404 to those outside it, the
same answer as a forum that never existed: its name and topics never leak. The web side
turns :class:`NotVisible` into that 404 (``tinypier.web.errors``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import N_, _
from tinypier.permissions.rules import can_view, can_view_topic

# The columns a permission check needs, selected wherever a forum row is loaded.
FORUM_COLUMNS = (
    "f.id AS forum_id, f.name AS forum_name, f.category_id, f.allows_releases,"
    " f.view_role, f.topic_role, f.reply_role, f.download_role"
)


class NotVisible(LookupError):
    """The thing asked for does not exist, or the viewer may not view it: one answer."""


async def forum_by_id(db: Database, forum_id: int) -> sqlite3.Row | None:
    return await db.fetch_one(
        f"SELECT f.*, {FORUM_COLUMNS} FROM forums f WHERE f.id = ?",  # noqa: S608 (constant)
        (forum_id,),
    )


async def topic_with_forum(db: Database, topic_id: int) -> sqlite3.Row | None:
    """A topic and the permission columns of its forum, in one lookup."""
    return await db.fetch_one(
        f"SELECT t.*, NULL AS topic_deleted_at, {FORUM_COLUMNS}"  # noqa: S608
        " FROM topics t JOIN forums f ON f.id = t.forum_id WHERE t.id = ?",
        (topic_id,),
    )


async def post_with_topic(db: Database, post_id: int) -> sqlite3.Row | None:
    """A post, its author's name, its topic and its forum's permission columns."""
    return await db.fetch_one(
        "SELECT p.id, p.topic_id, p.author_id, p.body, p.created_at, p.deleted_at,"  # noqa: S608
        " u.name AS author_name, t.title AS topic_title, t.locked,"
        f" t.deleted_at AS topic_deleted_at, {FORUM_COLUMNS}"
        " FROM posts p JOIN users u ON u.id = p.author_id"
        " JOIN topics t ON t.id = p.topic_id JOIN forums f ON f.id = t.forum_id"
        " WHERE p.id = ?",
        (post_id,),
    )


# One whole sentence per kind of thing: languages inflect "such" with the noun.
NOT_VISIBLE = {
    "forum": N_("There is no such forum."),
    "topic": N_("There is no such topic."),
    "post": N_("There is no such post."),
}


def _visible(
    row: sqlite3.Row | None, viewer: Viewer, what: str, check: Callable[[Viewer, Any], bool]
) -> sqlite3.Row:
    if row is None or not check(viewer, row):
        raise NotVisible(_(NOT_VISIBLE[what]))
    return row


async def viewable_forum(db: Database, viewer: Viewer, forum_id: int) -> sqlite3.Row:
    return _visible(await forum_by_id(db, forum_id), viewer, "forum", can_view)


async def viewable_topic(db: Database, viewer: Viewer, topic_id: int) -> sqlite3.Row:
    """A topic, deleted or not for moderators; a deleted one does not exist for others."""
    return _visible(await topic_with_forum(db, topic_id), viewer, "topic", can_view_topic)


async def viewable_post(db: Database, viewer: Viewer, post_id: int) -> sqlite3.Row:
    """A post: a deleted post, or one in a deleted topic, exists for moderators only."""
    return _visible(await post_with_topic(db, post_id), viewer, "post", can_view_topic)
