"""Reading and writing thanks. One row per member and release: the unique pair makes a
second thanks a no-op, so a double click or a retried API call never counts twice."""

from __future__ import annotations

import sqlite3
import time

from tinypier.db.connection import Database

# The count as a column of a query over ``torrents t``: the listing and the release
# lookups select it, each count one walk of the (torrent_id, user_id) unique index.
THANKS_COUNT_COLUMN = "(SELECT COUNT(*) FROM thanks h WHERE h.torrent_id = t.id) AS thanks"


async def thank(db: Database, torrent_id: int, user_id: int, at: int | None = None) -> bool:
    """Record the member's thanks (``at``: when, for an import; now otherwise); False
    when they had already thanked this release."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "INSERT OR IGNORE INTO thanks (torrent_id, user_id, created_at) VALUES (?, ?, ?)",
            (torrent_id, user_id, int(time.time()) if at is None else at),
        )
        return cursor.rowcount == 1


async def thanks_count(db: Database, torrent_id: int) -> int:
    count: int = await db.fetch_value(
        "SELECT COUNT(*) FROM thanks WHERE torrent_id = ?", (torrent_id,)
    )
    return count


async def has_thanked(db: Database, torrent_id: int, user_id: int) -> bool:
    found = await db.fetch_value(
        "SELECT 1 FROM thanks WHERE torrent_id = ? AND user_id = ?", (torrent_id, user_id)
    )
    return found is not None


async def newest_thankers(db: Database, torrent_id: int, limit: int) -> list[sqlite3.Row]:
    """Who thanked, newest first, at most ``limit`` of them (the page says how many more)."""
    return await db.fetch_all(
        "SELECT h.user_id, u.name AS user_name, h.created_at FROM thanks h"
        " JOIN users u ON u.id = h.user_id WHERE h.torrent_id = ?"
        " ORDER BY h.created_at DESC, h.id DESC LIMIT ?",
        (torrent_id, limit),
    )


async def release_of_topic(db: Database, topic_id: int) -> sqlite3.Row | None:
    """The few columns of a topic's release that thanks needs, or None for an ordinary topic."""
    return await db.fetch_one(
        "SELECT id, uploader_id FROM torrents WHERE topic_id = ?", (topic_id,)
    )
