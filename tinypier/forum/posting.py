"""Creating topics and posts, keeping the denormalised counters right in the same transaction.

Forum and topic counters (topics, posts, last post) and a member's post count are
stored, not counted per page view: that is what keeps the index and forum pages fast at
a million posts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiosqlite

from tinypier.db.connection import Database
from tinypier.forum.bbcode import render_bbcode

MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 60_000


@dataclass(frozen=True)
class NewTopic:
    topic_id: int
    post_id: int


def title_problem(title: str) -> str | None:
    if not title.strip():
        return "The title is empty."
    if len(title) > MAX_TITLE_LENGTH:
        return f"Titles may not be longer than {MAX_TITLE_LENGTH} characters."
    return None


def body_problem(body: str) -> str | None:
    if not body.strip():
        return "The message is empty."
    if len(body) > MAX_BODY_LENGTH:
        return f"Messages may not be longer than {MAX_BODY_LENGTH} characters."
    return None


async def insert_post(
    connection: aiosqlite.Connection, topic_id: int, forum_id: int, author_id: int, body: str, now: int
) -> int:
    """Add a post inside an open transaction and update every counter it affects."""
    cursor = await connection.execute(
        "INSERT INTO posts (topic_id, author_id, body, body_html, created_at) VALUES (?, ?, ?, ?, ?)",
        (topic_id, author_id, body, render_bbcode(body), now),
    )
    post_id = cursor.lastrowid or 0
    await connection.execute(
        "UPDATE topics SET post_count = post_count + 1, last_post_id = ?, last_post_at = ? WHERE id = ?",
        (post_id, now, topic_id),
    )
    await connection.execute(
        "UPDATE forums SET post_count = post_count + 1, last_post_id = ? WHERE id = ?",
        (post_id, forum_id),
    )
    await connection.execute("UPDATE users SET post_count = post_count + 1 WHERE id = ?", (author_id,))
    return post_id


async def insert_topic(
    connection: aiosqlite.Connection, forum_id: int, author_id: int, title: str, body: str
) -> NewTopic:
    """A topic and its first post, inside an open transaction (releases add their torrent)."""
    now = int(time.time())
    cursor = await connection.execute(
        "INSERT INTO topics (forum_id, author_id, title, created_at, last_post_at, post_count, pin, locked)"
        " VALUES (?, ?, ?, ?, ?, 0, 0, 0)",
        (forum_id, author_id, title.strip(), now, now),
    )
    topic_id = cursor.lastrowid or 0
    await connection.execute("UPDATE forums SET topic_count = topic_count + 1 WHERE id = ?", (forum_id,))
    post_id = await insert_post(connection, topic_id, forum_id, author_id, body, now)
    return NewTopic(topic_id, post_id)


async def create_topic(db: Database, forum_id: int, author_id: int, title: str, body: str) -> NewTopic:
    async with db.transaction() as connection:
        return await insert_topic(connection, forum_id, author_id, title, body)


async def create_post(db: Database, topic_id: int, forum_id: int, author_id: int, body: str) -> int:
    async with db.transaction() as connection:
        return await insert_post(connection, topic_id, forum_id, author_id, body, int(time.time()))
