"""Watches, bookmarks and notices in SQLite.

Every read is one member's and walks that member's index: a watch or bookmark is a
primary-key pair, a member's notices are read newest first from ``(user_id, id)``, and
the unread ones from their partial index. What a member may no longer view (a forum
closed to them, a deleted topic or post, a conversation they left) is filtered here, at
display time, through ``tinypier.permissions`` (the notice was allowed when written,
but the forum may have changed since).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.permissions.sql import live_clause, readable_forums_clause


@dataclass(frozen=True)
class Notice:
    """One notice to write: to ``user_id``, about what ``actor_id`` did."""

    user_id: int
    kind: str
    actor_id: int | None
    topic_id: int | None = None
    post_id: int | None = None
    conversation_id: int | None = None
    detail: str | None = None


# The kinds whose unread notice grows a count rather than adding rows (the partial unique
# indexes of migration 0020), with the column they are kept one per.
GROWING_KINDS = {"reply": "topic_id", "message": "conversation_id"}


async def record(
    connection: aiosqlite.Connection, notices: Sequence[Notice], now: int, kept: int
) -> None:
    """Write notices inside the caller's transaction; then each recipient keeps only their
    ``kept`` newest (``notifications_kept``), so a member's list stays bounded."""
    for notice in notices:
        values = (
            notice.user_id, notice.kind, notice.actor_id, notice.topic_id, notice.post_id,
            notice.conversation_id, notice.detail, now,
        )  # fmt: skip
        column = GROWING_KINDS.get(notice.kind)
        conflict = (
            f" ON CONFLICT (user_id, {column}) WHERE read_at IS NULL AND kind = '{notice.kind}'"
            " DO UPDATE SET count = count + 1, created_at = excluded.created_at,"
            " actor_id = excluded.actor_id"
            if column
            else ""
        )
        await connection.execute(
            "INSERT INTO notifications (user_id, kind, actor_id, topic_id, post_id,"  # noqa: S608
            " conversation_id, detail, count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)"
            + conflict,
            values,
        )
    for user_id in sorted({notice.user_id for notice in notices}):
        await connection.execute(
            "DELETE FROM notifications WHERE user_id = ?1 AND id <= (SELECT id FROM"
            " notifications WHERE user_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
            (user_id, kept),
        )


def _visible_to(viewer: Viewer) -> tuple[str, list[object]]:
    """SQL keeping the notices (``n``, joined to ``t``, ``f``, ``p``) whose subject the
    viewer may still view."""
    forums_sql, forum_params = readable_forums_clause(viewer, "f")
    return (
        f"(n.topic_id IS NULL OR ({forums_sql} AND {live_clause('t')}))"  # noqa: S608 - ours
        f" AND (n.post_id IS NULL OR {live_clause('p')})"
        " AND (n.conversation_id IS NULL OR EXISTS (SELECT 1 FROM conversation_members m"
        "  WHERE m.conversation_id = n.conversation_id AND m.user_id = n.user_id))",
        list(forum_params),
    )


_JOINS = (
    " LEFT JOIN topics t ON t.id = n.topic_id LEFT JOIN forums f ON f.id = t.forum_id"
    " LEFT JOIN posts p ON p.id = n.post_id"
)


async def _count(db: Database, viewer: Viewer, condition: str) -> int:
    """The member's notices they may still view that meet ``condition`` (our SQL)."""
    visible, params = _visible_to(viewer)
    count: int = await db.fetch_value(
        f"SELECT COUNT(*) FROM notifications n {_JOINS}"  # noqa: S608 - our clauses
        f" WHERE n.user_id = ? AND {condition} AND {visible}",
        (viewer.id, *params),
    )
    return count


async def unread_count(db: Database, viewer: Viewer) -> int:
    """The header's badge: the member's unread notices they may still view."""
    return await _count(db, viewer, "n.read_at IS NULL")


async def notice_count(db: Database, viewer: Viewer) -> int:
    """How many notices the member's list holds (at most ``notifications_kept``)."""
    return await _count(db, viewer, "TRUE")


_SHOWN = (
    "SELECT n.*, a.name AS actor_name, t.title AS topic_title,"  # noqa: S608 - constant joins
    " c.subject AS conversation_subject FROM notifications n"
    f" {_JOINS} LEFT JOIN users a ON a.id = n.actor_id"
    " LEFT JOIN conversations c ON c.id = n.conversation_id"
)


async def notices(db: Database, viewer: Viewer, offset: int, limit: int) -> list[sqlite3.Row]:
    """A page of the member's notices, newest first."""
    visible, params = _visible_to(viewer)
    return await db.fetch_all(
        f"{_SHOWN} WHERE n.user_id = ? AND {visible} ORDER BY n.id DESC LIMIT ? OFFSET ?",
        (viewer.id, *params, limit, offset),
    )


async def notice(db: Database, viewer: Viewer, notice_id: int) -> sqlite3.Row | None:
    """One of the member's notices, when they may still view its subject."""
    visible, params = _visible_to(viewer)
    return await db.fetch_one(
        f"{_SHOWN} WHERE n.id = ? AND n.user_id = ? AND {visible}",
        (notice_id, viewer.id, *params),
    )


async def mark_read(db: Database, user_id: int, notice_id: int, now: int) -> None:
    await db.execute(
        "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
        (now, notice_id, user_id),
    )


async def mark_all_read(db: Database, user_id: int, now: int) -> int:
    return await db.execute(
        "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
        (now, user_id),
    )


async def read_conversation_notices(
    connection: aiosqlite.Connection, user_id: int, conversation_id: int, now: int
) -> int:
    """Reading a conversation reads its notices too (inside the caller's transaction)."""
    cursor = await connection.execute(
        "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL"
        " AND conversation_id = ?",
        (now, user_id, conversation_id),
    )
    return cursor.rowcount


# Watches and bookmarks: a (member, topic) or (member, forum) row, on or off.
_PAIRS = {
    "topic_watch": ("topic_watches", "topic_id"),
    "forum_watch": ("forum_watches", "forum_id"),
    "bookmark": ("bookmarks", "topic_id"),
}


async def has(db: Database, what: str, user_id: int, target_id: int) -> bool:
    table, column = _PAIRS[what]
    found = await db.fetch_value(
        f"SELECT 1 FROM {table} WHERE user_id = ? AND {column} = ?",  # noqa: S608 - ours
        (user_id, target_id),
    )
    return bool(found)


async def switch(db: Database, what: str, user_id: int, target_id: int, on: bool, now: int) -> None:
    """Turn a watch or bookmark on or off; doing what is already done changes nothing."""
    table, column = _PAIRS[what]
    if on:
        await db.execute(
            f"INSERT OR IGNORE INTO {table} (user_id, {column}, created_at)"  # noqa: S608
            " VALUES (?, ?, ?)",
            (user_id, target_id, now),
        )
    else:
        await db.execute(
            f"DELETE FROM {table} WHERE user_id = ? AND {column} = ?",  # noqa: S608 - ours
            (user_id, target_id),
        )


async def watch_own_topic(
    connection: aiosqlite.Connection, user_id: int, topic_id: int, now: int
) -> None:
    """A starter watches their topic from the start (and may unwatch it)."""
    await connection.execute(
        "INSERT OR IGNORE INTO topic_watches (user_id, topic_id, created_at) VALUES (?, ?, ?)",
        (user_id, topic_id, now),
    )


async def bookmark_count(db: Database, viewer: Viewer) -> int:
    forums_sql, params = readable_forums_clause(viewer, "f")
    count: int = await db.fetch_value(
        "SELECT COUNT(*) FROM bookmarks b JOIN topics t ON t.id = b.topic_id"  # noqa: S608
        f" JOIN forums f ON f.id = t.forum_id WHERE b.user_id = ? AND {forums_sql}"
        f" AND {live_clause('t')}",
        (viewer.id, *params),
    )
    return count


async def bookmarks(db: Database, viewer: Viewer, offset: int, limit: int) -> list[sqlite3.Row]:
    """A page of the member's bookmarked topics they may still view, newest bookmark first."""
    forums_sql, params = readable_forums_clause(viewer, "f")
    return await db.fetch_all(
        "SELECT t.id, t.title, t.post_count, t.last_post_id, t.last_post_at,"  # noqa: S608
        " f.id AS forum_id, f.name AS forum_name, b.created_at AS bookmarked_at"
        " FROM bookmarks b JOIN topics t ON t.id = b.topic_id"
        f" JOIN forums f ON f.id = t.forum_id WHERE b.user_id = ? AND {forums_sql}"
        f" AND {live_clause('t')} ORDER BY b.created_at DESC, b.topic_id DESC LIMIT ? OFFSET ?",
        (viewer.id, *params, limit, offset),
    )
