"""The admin page's reading of the cheat log: announces whose claimed transfer the
tracker did not credit in full (see :mod:`tinypier.tracker.accounting`). The tracker's
writer appends the rows in its group commit and keeps the newest ``cheat_log_max_rows``;
admins read them here, so this lives with the admin pages, not in ``tracker/``."""

from __future__ import annotations

import sqlite3

from tinypier.db.connection import Database
from tinypier.forum.pagination import Pagination

LINES_PER_PAGE = 50


async def count_lines(db: Database) -> int:
    total: int = await db.fetch_value("SELECT COUNT(*) FROM cheat_log")
    return total


async def lines_page(db: Database, pagination: Pagination) -> list[sqlite3.Row]:
    """Newest first, with the member's name and the release's topic."""
    return await db.fetch_all(
        "SELECT c.created_at, c.user_id, u.name AS member, t.topic_id, t.title AS release,"
        " c.claimed_uploaded, c.credited_uploaded, c.claimed_downloaded,"
        " c.credited_downloaded, c.reason"
        " FROM cheat_log AS c JOIN users AS u ON u.id = c.user_id"
        " JOIN torrents AS t ON t.id = c.torrent_id"
        " ORDER BY c.id DESC LIMIT ? OFFSET ?",
        (pagination.per_page, pagination.offset),
    )
