"""The moderation log: who did what to which topic, post or forum, and when.

Written in the same transaction as the action it records, so the log never claims an
action that was rolled back, nor misses one that happened.
"""

from __future__ import annotations

import time

import aiosqlite


async def log_action(
    connection: aiosqlite.Connection,
    actor_id: int,
    action: str,
    target_type: str,
    target_id: int,
    details: str = "",
) -> None:
    await connection.execute(
        "INSERT INTO moderation_log (actor_id, action, target_type, target_id, details, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (actor_id, action, target_type, target_id, details, int(time.time())),
    )
