"""Loading a forum, topic or post for a viewer: what they may not view does not exist.

Every forum route starts here, so a private forum answers 404 to those outside it,
the same answer as a forum that never existed: its name and topics never leak.
"""

from __future__ import annotations

import sqlite3

from litestar.exceptions import NotFoundException

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum import queries
from tinypier.forum.permissions import can_view


def _visible(row: sqlite3.Row | None, viewer: Viewer, what: str) -> sqlite3.Row:
    if row is None or not can_view(viewer, row):
        raise NotFoundException(f"There is no such {what}.")
    return row


async def viewable_forum(db: Database, viewer: Viewer, forum_id: int) -> sqlite3.Row:
    return _visible(await queries.forum_by_id(db, forum_id), viewer, "forum")


async def viewable_topic(db: Database, viewer: Viewer, topic_id: int) -> sqlite3.Row:
    return _visible(await queries.topic_with_forum(db, topic_id), viewer, "topic")


async def viewable_post(db: Database, viewer: Viewer, post_id: int) -> sqlite3.Row:
    return _visible(await queries.post_with_topic(db, post_id), viewer, "post")
