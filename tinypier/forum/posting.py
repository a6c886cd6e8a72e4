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
from tinypier.forum.bbcode import render_bbcode_off_loop
from tinypier.i18n import _
from tinypier.torrents.storage import forget_unreferenced

MAX_TITLE_LENGTH = 200


@dataclass(frozen=True)
class NewTopic:
    topic_id: int
    post_id: int


@dataclass(frozen=True)
class DeletedPost:
    topic_gone: bool
    freed_files: list[str]


def title_problem(title: str) -> str | None:
    if not title.strip():
        return _("The title is empty.")
    if len(title) > MAX_TITLE_LENGTH:
        return _("Titles may not be longer than %(num)s characters.", num=MAX_TITLE_LENGTH)
    return None


def body_problem(body: str, max_chars: int) -> str | None:
    """Why a post body or release description cannot be saved (``post_max_chars`` is the
    bound that keeps rendering and storage per post small), or None."""
    if not body.strip():
        return _("The message is empty.")
    if len(body) > max_chars:
        return _(
            "Messages may not be longer than %(num)s characters; this one has %(length)s.",
            num=max_chars,
            length=len(body),
        )
    return None


async def insert_post(
    connection: aiosqlite.Connection,
    topic_id: int,
    forum_id: int,
    author_id: int,
    body: str,
    now: int,
) -> int:
    """Add a post inside an open transaction and update every counter it affects."""
    cursor = await connection.execute(
        "INSERT INTO posts (topic_id, author_id, body, body_html, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (topic_id, author_id, body, await render_bbcode_off_loop(body), now),
    )
    post_id = cursor.lastrowid or 0
    await connection.execute(
        "UPDATE topics SET post_count = post_count + 1, last_post_id = ?, last_post_at = ?"
        " WHERE id = ?",
        (post_id, now, topic_id),
    )
    await connection.execute(
        "UPDATE forums SET post_count = post_count + 1, last_post_id = ? WHERE id = ?",
        (post_id, forum_id),
    )
    await connection.execute(
        "UPDATE users SET post_count = post_count + 1 WHERE id = ?", (author_id,)
    )
    return post_id


async def insert_topic(
    connection: aiosqlite.Connection, forum_id: int, author_id: int, title: str, body: str
) -> NewTopic:
    """A topic and its first post, inside an open transaction (releases add their torrent)."""
    now = int(time.time())
    cursor = await connection.execute(
        "INSERT INTO topics"
        " (forum_id, author_id, title, created_at, last_post_at, post_count, pin, locked)"
        " VALUES (?, ?, ?, ?, ?, 0, 0, 0)",
        (forum_id, author_id, title.strip(), now, now),
    )
    topic_id = cursor.lastrowid or 0
    await connection.execute(
        "UPDATE forums SET topic_count = topic_count + 1 WHERE id = ?", (forum_id,)
    )
    post_id = await insert_post(connection, topic_id, forum_id, author_id, body, now)
    return NewTopic(topic_id, post_id)


async def create_topic(
    db: Database, forum_id: int, author_id: int, title: str, body: str
) -> NewTopic:
    async with db.transaction() as connection:
        return await insert_topic(connection, forum_id, author_id, title, body)


async def create_post(db: Database, topic_id: int, forum_id: int, author_id: int, body: str) -> int:
    async with db.transaction() as connection:
        return await insert_post(connection, topic_id, forum_id, author_id, body, int(time.time()))


async def edit_post(
    connection: aiosqlite.Connection, post_id: int, editor_id: int, body: str
) -> None:
    """New text for a post; the edit mark (when, by whom) is shown under it."""
    await connection.execute(
        "UPDATE posts SET body = ?, body_html = ?, edited_at = ?, edited_by = ? WHERE id = ?",
        (body, await render_bbcode_off_loop(body), int(time.time()), editor_id, post_id),
    )


async def rename_topic(connection: aiosqlite.Connection, topic_id: int, title: str) -> None:
    await connection.execute("UPDATE topics SET title = ? WHERE id = ?", (title.strip(), topic_id))


async def _uncount_authors(
    connection: aiosqlite.Connection, per_author_sql: str, params: tuple[int, ...]
) -> None:
    """Take posts about to disappear off their authors' post counts.

    ``per_author_sql`` selects (author_id, number of posts) for the posts being removed.
    """
    cursor = await connection.execute(per_author_sql, params)
    counts = [(int(count), int(author_id)) for author_id, count in await cursor.fetchall()]
    await connection.executemany(
        "UPDATE users SET post_count = MAX(post_count - ?, 0) WHERE id = ?", counts
    )


async def _refresh_forum_last_post(connection: aiosqlite.Connection, forum_id: int) -> None:
    """The forum's last post after topics left it: one seek on ix_topics_forum_last_post."""
    await connection.execute(
        "UPDATE forums SET last_post_id = (SELECT MAX(last_post_id) FROM topics WHERE forum_id = ?)"
        " WHERE id = ?",
        (forum_id, forum_id),
    )


async def _topic_counters(connection: aiosqlite.Connection, topic_id: int) -> tuple[int, int]:
    cursor = await connection.execute(
        "SELECT forum_id, post_count FROM topics WHERE id = ?", (topic_id,)
    )
    row = await cursor.fetchone()
    if row is None:
        raise LookupError(f"no topic {topic_id}")
    return int(row[0]), int(row[1])


async def _release_attachments(
    connection: aiosqlite.Connection, per_release_sql: str, params: tuple[int, ...]
) -> list[int]:
    """The attachments of releases about to disappear with their topics."""
    cursor = await connection.execute(per_release_sql, params)
    return [int(row[0]) for row in await cursor.fetchall()]


async def delete_topic(connection: aiosqlite.Connection, topic_id: int) -> list[str]:
    """Remove a topic and its posts; forum and member counters follow.

    Returns the digests of the stored files that nothing refers to any more (its
    release's), to remove with :func:`tinypier.torrents.storage.remove_forgotten` once
    the transaction has committed.
    """
    forum_id, post_count = await _topic_counters(connection, topic_id)
    attachment_ids = await _release_attachments(
        connection, "SELECT attachment_id FROM torrents WHERE topic_id = ?", (topic_id,)
    )
    await _uncount_authors(
        connection,
        "SELECT author_id, COUNT(*) FROM posts WHERE topic_id = ? GROUP BY author_id",
        (topic_id,),
    )
    await connection.execute("DELETE FROM topics WHERE id = ?", (topic_id,))
    await connection.execute(
        "UPDATE forums SET topic_count = topic_count - 1, post_count = post_count - ? WHERE id = ?",
        (post_count, forum_id),
    )
    await _refresh_forum_last_post(connection, forum_id)
    return await forget_unreferenced(connection, attachment_ids)


async def delete_post(connection: aiosqlite.Connection, post_id: int) -> DeletedPost:
    """Remove one post; the first post takes its whole topic along (and its files, as
    :func:`delete_topic` says)."""
    cursor = await connection.execute(
        "SELECT topic_id, author_id, id = (SELECT MIN(id) FROM posts WHERE topic_id = p.topic_id)"
        " FROM posts p WHERE id = ?",
        (post_id,),
    )
    row = await cursor.fetchone()
    if row is None:
        raise LookupError(f"no post {post_id}")
    topic_id, author_id, is_first = int(row[0]), int(row[1]), bool(row[2])
    if is_first:
        return DeletedPost(topic_gone=True, freed_files=await delete_topic(connection, topic_id))
    forum_id, _post_count = await _topic_counters(connection, topic_id)
    await connection.execute("DELETE FROM posts WHERE id = ?", (post_id,))
    await connection.execute(
        "UPDATE users SET post_count = MAX(post_count - 1, 0) WHERE id = ?", (author_id,)
    )
    await connection.execute(
        "UPDATE topics SET post_count = post_count - 1,"
        " last_post_id = (SELECT MAX(id) FROM posts WHERE topic_id = ?1),"
        " last_post_at = (SELECT created_at FROM posts WHERE id ="
        "   (SELECT MAX(id) FROM posts WHERE topic_id = ?1))"
        " WHERE id = ?1",
        (topic_id,),
    )
    await connection.execute(
        "UPDATE forums SET post_count = post_count - 1 WHERE id = ?", (forum_id,)
    )
    await _refresh_forum_last_post(connection, forum_id)
    return DeletedPost(topic_gone=False, freed_files=[])


async def move_topic(connection: aiosqlite.Connection, topic_id: int, to_forum_id: int) -> int:
    """Move a topic with its posts to another forum; returns the forum it left."""
    from_forum_id, post_count = await _topic_counters(connection, topic_id)
    await connection.execute("UPDATE topics SET forum_id = ? WHERE id = ?", (to_forum_id, topic_id))
    await connection.executemany(
        "UPDATE forums SET topic_count = topic_count + ?, post_count = post_count + ? WHERE id = ?",
        [(-1, -post_count, from_forum_id), (1, post_count, to_forum_id)],
    )
    await _refresh_forum_last_post(connection, from_forum_id)
    await _refresh_forum_last_post(connection, to_forum_id)
    return from_forum_id


async def delete_forum(connection: aiosqlite.Connection, forum_id: int) -> list[str]:
    """Remove a forum with all its topics and posts, taking them off members' post counts.

    Returns the digests of freed files, as :func:`delete_topic` does.
    """
    attachment_ids = await _release_attachments(
        connection, "SELECT attachment_id FROM torrents WHERE forum_id = ?", (forum_id,)
    )
    await _uncount_authors(
        connection,
        "SELECT p.author_id, COUNT(*) FROM topics t JOIN posts p ON p.topic_id = t.id"
        " WHERE t.forum_id = ? GROUP BY p.author_id",
        (forum_id,),
    )
    await connection.execute("DELETE FROM forums WHERE id = ?", (forum_id,))
    return await forget_unreferenced(connection, attachment_ids)
