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
from tinypier.web.extensions import NO_POST_HOOKS, PostHooks, PublishedPost

MAX_TITLE_LENGTH = 200


@dataclass(frozen=True)
class NewTopic:
    topic_id: int
    post_id: int


@dataclass(frozen=True)
class DeletedPost:
    topic_gone: bool


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
    hooks: PostHooks = NO_POST_HOOKS,
    *,
    starts_topic: bool = False,
) -> int:
    """Add a post inside an open transaction and update every counter it affects; the
    features' ``post_published`` hooks run last, in the same transaction."""
    body_html = await render_bbcode_off_loop(body)
    cursor = await connection.execute(
        "INSERT INTO posts (topic_id, author_id, body, body_html, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (topic_id, author_id, body, body_html, now),
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
    published = PublishedPost(
        post_id, topic_id, forum_id, author_id, body, body_html, starts_topic=starts_topic
    )
    await hooks.published(connection, published)
    return post_id


async def insert_topic(
    connection: aiosqlite.Connection,
    forum_id: int,
    author_id: int,
    title: str,
    body: str,
    hooks: PostHooks = NO_POST_HOOKS,
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
    post_id = await insert_post(
        connection, topic_id, forum_id, author_id, body, now, hooks, starts_topic=True
    )
    return NewTopic(topic_id, post_id)


async def create_topic(
    db: Database,
    forum_id: int,
    author_id: int,
    title: str,
    body: str,
    hooks: PostHooks = NO_POST_HOOKS,
) -> NewTopic:
    async with db.transaction() as connection:
        return await insert_topic(connection, forum_id, author_id, title, body, hooks)


async def create_post(
    db: Database,
    topic_id: int,
    forum_id: int,
    author_id: int,
    body: str,
    hooks: PostHooks = NO_POST_HOOKS,
) -> int:
    async with db.transaction() as connection:
        now = int(time.time())
        return await insert_post(connection, topic_id, forum_id, author_id, body, now, hooks)


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


async def _refresh_forum_last_post(connection: aiosqlite.Connection, forum_id: int) -> None:
    """The forum's last post after topics left it or were deleted: a walk back along
    ix_topics_forum_last_post that stops at the newest live topic."""
    await connection.execute(
        "UPDATE forums SET last_post_id = (SELECT last_post_id FROM topics"
        "  WHERE forum_id = ?1 AND deleted_at IS NULL ORDER BY last_post_id DESC LIMIT 1)"
        " WHERE id = ?1",
        (forum_id,),
    )


async def _refresh_topic_last_post(connection: aiosqlite.Connection, topic_id: int) -> None:
    """The topic's post count and last post over its live posts, after one was deleted,
    restored or moved; its forum's last post follows."""
    await connection.execute(
        "UPDATE topics SET"
        " post_count = (SELECT COUNT(*) FROM posts WHERE topic_id = ?1 AND deleted_at IS NULL),"
        " last_post_id = (SELECT MAX(id) FROM posts WHERE topic_id = ?1 AND deleted_at IS NULL),"
        " last_post_at = COALESCE((SELECT created_at FROM posts WHERE id ="
        "   (SELECT MAX(id) FROM posts WHERE topic_id = ?1 AND deleted_at IS NULL)), last_post_at)"
        " WHERE id = ?1",
        (topic_id,),
    )


async def _topic_counters(connection: aiosqlite.Connection, topic_id: int) -> tuple[int, int]:
    cursor = await connection.execute(
        "SELECT forum_id, post_count FROM topics WHERE id = ?", (topic_id,)
    )
    row = await cursor.fetchone()
    if row is None:
        raise LookupError(f"no topic {topic_id}")
    return int(row[0]), int(row[1])


async def _count_topic(connection: aiosqlite.Connection, topic_id: int, sign: int) -> None:
    """Add (``sign`` 1) or take off (-1) a topic's live posts from its forum's and its
    authors' counters: what deleting and restoring a topic do, the same way round."""
    forum_id, post_count = await _topic_counters(connection, topic_id)
    cursor = await connection.execute(
        "SELECT author_id, COUNT(*) FROM posts WHERE topic_id = ? AND deleted_at IS NULL"
        " GROUP BY author_id",
        (topic_id,),
    )
    per_author = [(sign * int(count), int(author)) for author, count in await cursor.fetchall()]
    await connection.executemany(
        "UPDATE users SET post_count = MAX(post_count + ?, 0) WHERE id = ?", per_author
    )
    await connection.execute(
        "UPDATE forums SET topic_count = topic_count + ?, post_count = post_count + ? WHERE id = ?",
        (sign, sign * post_count, forum_id),
    )
    await _refresh_forum_last_post(connection, forum_id)


async def delete_topic(connection: aiosqlite.Connection, topic_id: int) -> None:
    """Delete a topic softly: it keeps its rows (and its release its stored file) for a
    restore, and leaves every counter, listing, search and the tracker."""
    await connection.execute(
        "UPDATE topics SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
        (int(time.time()), topic_id),
    )
    await _count_topic(connection, topic_id, -1)


async def restore_topic(connection: aiosqlite.Connection, topic_id: int) -> None:
    """Undo :func:`delete_topic`: the topic's live posts count again everywhere."""
    await connection.execute("UPDATE topics SET deleted_at = NULL WHERE id = ?", (topic_id,))
    await _count_topic(connection, topic_id, 1)


async def _first_post_id(connection: aiosqlite.Connection, topic_id: int) -> int:
    cursor = await connection.execute("SELECT MIN(id) FROM posts WHERE topic_id = ?", (topic_id,))
    row = await cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


async def _post_place(connection: aiosqlite.Connection, post_id: int) -> tuple[int, int, int]:
    """A post's topic, author and forum."""
    cursor = await connection.execute(
        "SELECT p.topic_id, p.author_id, t.forum_id FROM posts p"
        " JOIN topics t ON t.id = p.topic_id WHERE p.id = ?",
        (post_id,),
    )
    row = await cursor.fetchone()
    if row is None:
        raise LookupError(f"no post {post_id}")
    return int(row[0]), int(row[1]), int(row[2])


async def _set_post_deleted(
    connection: aiosqlite.Connection, post_id: int, deleted_at: int | None
) -> None:
    """Mark a reply deleted or live; its topic, forum and author counters follow."""
    topic_id, author_id, forum_id = await _post_place(connection, post_id)
    sign = 1 if deleted_at is None else -1
    await connection.execute("UPDATE posts SET deleted_at = ? WHERE id = ?", (deleted_at, post_id))
    await connection.execute(
        "UPDATE users SET post_count = MAX(post_count + ?, 0) WHERE id = ?", (sign, author_id)
    )
    await connection.execute(
        "UPDATE forums SET post_count = post_count + ? WHERE id = ?", (sign, forum_id)
    )
    await _refresh_topic_last_post(connection, topic_id)
    await _refresh_forum_last_post(connection, forum_id)


async def delete_post(connection: aiosqlite.Connection, post_id: int) -> DeletedPost:
    """Delete one post softly; the first post takes its whole topic along."""
    topic_id, _author, _forum = await _post_place(connection, post_id)
    if post_id == await _first_post_id(connection, topic_id):
        await delete_topic(connection, topic_id)
        return DeletedPost(topic_gone=True)
    await _set_post_deleted(connection, post_id, int(time.time()))
    return DeletedPost(topic_gone=False)


async def restore_post(connection: aiosqlite.Connection, post_id: int) -> None:
    """Undo :func:`delete_post` for a reply (a deleted first post is its topic's deletion,
    undone by :func:`restore_topic`)."""
    await _set_post_deleted(connection, post_id, None)


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


async def _move_live_posts_between_forums(
    connection: aiosqlite.Connection, from_forum_id: int, to_forum_id: int, live_posts: int
) -> None:
    """Carry posts' weight in the forums' counters from one forum to another."""
    await connection.executemany(
        "UPDATE forums SET post_count = post_count + ? WHERE id = ?",
        [(-live_posts, from_forum_id), (live_posts, to_forum_id)],
    )
    await _refresh_forum_last_post(connection, from_forum_id)
    await _refresh_forum_last_post(connection, to_forum_id)


async def _take_first_post_as_opening(connection: aiosqlite.Connection, topic_id: int) -> None:
    """A topic's author and start are its first post's, after posts moved in or out."""
    await connection.execute(
        "UPDATE topics SET (author_id, created_at) = (SELECT author_id, created_at FROM posts"
        "  WHERE topic_id = ?1 ORDER BY id LIMIT 1) WHERE id = ?1",
        (topic_id,),
    )


async def split_topic(
    connection: aiosqlite.Connection, from_post_id: int, to_forum_id: int, title: str
) -> int:
    """Move a post and every later post of its topic into a new topic; returns its id.

    The first post stays, so the topic keeps its release. Both topics' counters and
    both forums' counters follow; the search index follows through its triggers (a
    post whose topic changes is re-indexed under the new title).
    """
    old_topic_id, _author, old_forum_id = await _post_place(connection, from_post_id)
    cursor = await connection.execute(
        "INSERT INTO topics (forum_id, author_id, title, created_at, last_post_at,"
        " post_count, pin, locked)"
        " SELECT ?, author_id, ?, created_at, created_at, 0, 0, 0 FROM posts WHERE id = ?",
        (to_forum_id, title.strip(), from_post_id),
    )
    new_topic_id = cursor.lastrowid or 0
    await connection.execute(
        "UPDATE posts SET topic_id = ? WHERE topic_id = ? AND id >= ?",
        (new_topic_id, old_topic_id, from_post_id),
    )
    for topic_id in (old_topic_id, new_topic_id):
        await _refresh_topic_last_post(connection, topic_id)
    _forum, moved = await _topic_counters(connection, new_topic_id)
    await connection.execute(
        "UPDATE forums SET topic_count = topic_count + 1 WHERE id = ?", (to_forum_id,)
    )
    await _move_live_posts_between_forums(connection, old_forum_id, to_forum_id, moved)
    return new_topic_id


async def merge_topics(connection: aiosqlite.Connection, source_id: int, target_id: int) -> None:
    """Move every post of ``source_id`` into ``target_id`` (posts read in the order they
    were written) and remove the emptied source topic, with what still refers to it.
    Features move what should follow the posts (a release) before this, in the same
    transaction (``TopicLifecycle.topics_merging``)."""
    source_forum_id, moved = await _topic_counters(connection, source_id)
    target_forum_id, _posts = await _topic_counters(connection, target_id)
    await connection.execute(
        "UPDATE posts SET topic_id = ? WHERE topic_id = ?", (target_id, source_id)
    )
    await connection.execute("DELETE FROM topics WHERE id = ?", (source_id,))
    await connection.execute(
        "UPDATE forums SET topic_count = topic_count - 1 WHERE id = ?", (source_forum_id,)
    )
    await _take_first_post_as_opening(connection, target_id)
    await _refresh_topic_last_post(connection, target_id)
    await _move_live_posts_between_forums(connection, source_forum_id, target_forum_id, moved)


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


async def delete_forum(connection: aiosqlite.Connection, forum_id: int) -> None:
    """Remove a forum with all its topics and posts, taking them off members' post counts.

    The one hard delete: what features keep in the forum (releases and their files) they
    delete themselves first, in the same transaction (``TopicLifecycle.forum_deleting``).
    """
    await _uncount_authors(
        connection,
        "SELECT p.author_id, COUNT(*) FROM topics t JOIN posts p ON p.topic_id = t.id"
        " WHERE t.forum_id = ? AND t.deleted_at IS NULL AND p.deleted_at IS NULL"
        " GROUP BY p.author_id",
        (forum_id,),
    )
    await connection.execute("DELETE FROM forums WHERE id = ?", (forum_id,))
