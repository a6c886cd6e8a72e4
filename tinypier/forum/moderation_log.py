"""The moderation log: who did what to which topic, post or forum, and when.

Written in the same transaction as the action it records, so the log never claims an
action that was rolled back, nor misses one that happened. An entry about a forum's
content carries that forum, and the log page shows it only to those who may view it:
titles in a private forum must not leak through the log.
"""

from __future__ import annotations

import time
from typing import Final

import aiosqlite

from tinypier.forum.log_sentences import sentence_for

SHELL: Final = None
"""The actor of a change made with the ``tinypier`` command, where nobody is logged in:
the log shows "(shell)" for it."""


async def log_action(
    connection: aiosqlite.Connection,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: int,
    details: str = "",
    *,
    forum_id: int | None = None,
    moved: tuple[int, int] | None = None,
) -> None:
    """Record an action by ``actor_id`` (:data:`SHELL` from the command line);
    ``forum_id`` (where it happened) limits who reads it in the log.
    Every action has a sentence in ``forum.log_sentences``: one without is a bug, refused.
    A move gives ``moved`` (the forum it left, the forum it entered), so the log can name
    each forum only to readers who may view it."""
    if sentence_for(action, target_type) is None:
        raise ValueError(f"the log has no sentence for {action!r} on a {target_type}")
    from_forum_id, to_forum_id = moved if moved is not None else (None, None)
    await connection.execute(
        "INSERT INTO moderation_log (actor_id, action, target_type, target_id, details,"
        " created_at, forum_id, from_forum_id, to_forum_id, from_shell)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            actor_id,
            action,
            target_type,
            target_id,
            details,
            int(time.time()),
            forum_id,
            from_forum_id,
            to_forum_id,
            actor_id is SHELL,
        ),
    )
