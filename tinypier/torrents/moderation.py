"""Moderators' verdicts on releases: status and freeleech, each change logged.

The row and its log entry are written in one transaction; the caller then tells the
tracker (``changes.torrent_changed``) so a frozen release stops announcing at once.
"""

from __future__ import annotations

import time

from litestar.exceptions import ValidationException

from tinypier.db.connection import Database
from tinypier.forum.moderation_log import log_action
from tinypier.torrents.statuses import FREELEECH_LABELS, STATUS_LABELS


async def set_status(db: Database, actor_id: int, torrent_id: int, status: str) -> None:
    """Record who set the status and when, since the topic shows both."""
    if status not in STATUS_LABELS:
        raise ValidationException(f"Unknown release status {status!r}.")
    async with db.transaction() as connection:
        cursor = await connection.execute("SELECT status FROM torrents WHERE id = ?", (torrent_id,))
        previous = await cursor.fetchone()
        await connection.execute(
            "UPDATE torrents SET status = ?, status_by = ?, status_at = ? WHERE id = ?",
            (status, actor_id, int(time.time()), torrent_id),
        )
        was = previous[0] if previous else "none"
        await log_action(
            connection, actor_id, "release_status", "torrent", torrent_id, f"{was} -> {status}"
        )


async def set_freeleech(db: Database, actor_id: int, torrent_id: int, level: str) -> None:
    if level not in FREELEECH_LABELS:
        raise ValidationException(f"Unknown freeleech level {level!r}.")
    async with db.transaction() as connection:
        await connection.execute(
            "UPDATE torrents SET freeleech = ? WHERE id = ?", (level, torrent_id)
        )
        await log_action(connection, actor_id, "release_freeleech", "torrent", torrent_id, level)
