"""Reading and writing the forum's structure, topics and posts."""

from __future__ import annotations

import sqlite3
from typing import Any

import aiosqlite

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.permissions.sql import visible_forums_clause


async def ensure_category(db: Database, name: str) -> int:
    """The id of the category with this name, created at the end of the list if missing."""
    async with db.transaction() as connection:
        return await write_category(connection, name)


async def write_category(connection: aiosqlite.Connection, name: str) -> int:
    """:func:`ensure_category` inside the caller's transaction."""
    cursor = await connection.execute("SELECT id FROM categories WHERE name = ?", (name,))
    row = await cursor.fetchone()
    if row is not None:
        return int(row[0])
    cursor = await connection.execute(
        "INSERT INTO categories (name, position)"
        " VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM categories))",
        (name,),
    )
    return cursor.lastrowid or 0


async def find_forum(
    connection: aiosqlite.Connection, category_id: int, name: str
) -> sqlite3.Row | None:
    """The first forum of this name in the category (names are not unique on the web)."""
    cursor = await connection.execute(
        "SELECT id, allows_releases FROM forums WHERE category_id = ? AND name = ?"
        " ORDER BY id LIMIT 1",
        (category_id, name),
    )
    row: sqlite3.Row | None = await cursor.fetchone()
    return row


async def create_forum(db: Database, category_id: int, name: str, **options: Any) -> int:
    """A new forum at the end of its category; ``options`` as :func:`insert_forum` takes."""
    async with db.transaction() as connection:
        return await insert_forum(connection, category_id, name, **options)


async def insert_forum(
    connection: aiosqlite.Connection,
    category_id: int,
    name: str,
    *,
    description: str = "",
    allows_releases: bool = False,
    view_role: str = "guest",
    topic_role: str = "user",
    reply_role: str = "user",
    download_role: str = "user",
) -> int:
    """:func:`create_forum` inside the caller's transaction; returns the new forum's id."""
    cursor = await connection.execute(
        "INSERT INTO forums (category_id, name, description, position, allows_releases,"
        " view_role, topic_role, reply_role, download_role, topic_count, post_count)"
        " VALUES (?, ?, ?,"
        " (SELECT COALESCE(MAX(position), 0) + 1 FROM forums WHERE category_id = ?),"
        " ?, ?, ?, ?, ?, 0, 0)",
        (
            category_id,
            name,
            description,
            category_id,
            allows_releases,
            view_role,
            topic_role,
            reply_role,
            download_role,
        ),
    )
    return cursor.lastrowid or 0


TOPICS_PER_PAGE = 50
POSTS_PER_PAGE = 25
LOG_ENTRIES_PER_PAGE = 50


async def board_has_forums(db: Database) -> bool:
    """Whether any forum exists, whoever may view it: an empty board is being set up."""
    return bool(await db.fetch_value("SELECT EXISTS (SELECT 1 FROM forums)"))


async def categories(db: Database) -> list[sqlite3.Row]:
    return await db.fetch_all("SELECT id, name, position FROM categories ORDER BY position, id")


async def index_forums(db: Database, viewer: Viewer) -> list[sqlite3.Row]:
    """Forums the viewer may view, in order, with their stored counters and last post.

    The last post is reached through ``forums.last_post_id`` (primary-key lookups only),
    so this page costs the same on a board of ten posts or a million.
    """
    visible, params = visible_forums_clause(viewer, "f")
    # The visibility clause is built from constants; its values are bound parameters.
    return await db.fetch_all(
        "SELECT f.id, f.category_id, f.name, f.description, f.topic_count, f.post_count,"  # noqa: S608
        " p.id AS last_post_id, p.created_at AS last_post_at,"
        " t.id AS last_topic_id, t.title AS last_topic_title,"
        " u.id AS last_author_id, u.name AS last_author_name"
        " FROM forums f"
        " LEFT JOIN posts p ON p.id = f.last_post_id"
        " LEFT JOIN topics t ON t.id = p.topic_id"
        " LEFT JOIN users u ON u.id = p.author_id"
        f" WHERE {visible} ORDER BY f.position, f.id",
        params,
    )


async def forum_topics(
    db: Database, viewer: Viewer, forum_id: int, offset: int
) -> list[sqlite3.Row]:
    """One page of a forum: announcements, then stickies, then the most recently active.

    The inner query walks only the covering index ``ix_topics_forum_order`` (forum_id,
    pin, last_post_at, last_post_id, deleted_at, rowid), so even a deep OFFSET skips
    index entries, not table rows, and deleted topics are left out by the index alone;
    the outer joins then run for the 50 topics shown only. Post ids grow with time, so
    ``last_post_id`` orders topics active in the same second.
    """
    return await db.fetch_all(
        "SELECT t.id, t.title, t.pin, t.locked, t.post_count, t.created_at, t.last_post_at,"
        " t.last_post_id, a.id AS author_id, a.name AS author_name,"
        " lu.id AS last_author_id, lu.name AS last_author_name, r.last_read_post_id"
        " FROM (SELECT id FROM topics WHERE forum_id = ? AND deleted_at IS NULL"
        "       ORDER BY pin DESC, last_post_at DESC, last_post_id DESC LIMIT ? OFFSET ?) AS page"
        " JOIN topics t ON t.id = page.id"
        " JOIN users a ON a.id = t.author_id"
        " LEFT JOIN posts lp ON lp.id = t.last_post_id"
        " LEFT JOIN users lu ON lu.id = lp.author_id"
        " LEFT JOIN topic_reads r ON r.user_id = ? AND r.topic_id = t.id"
        " ORDER BY t.pin DESC, t.last_post_at DESC, t.last_post_id DESC",
        (forum_id, TOPICS_PER_PAGE, offset, viewer.id),
    )


def _posts_shown(with_deleted: bool) -> str:
    """The topic's posts a page counts and shows: moderators see the deleted ones too."""
    return "" if with_deleted else " AND deleted_at IS NULL"


async def deleted_topics(db: Database, forum_id: int) -> list[sqlite3.Row]:
    """A forum's deleted topics, newest deletion first, for moderators to restore."""
    return await db.fetch_all(
        "SELECT t.id, t.title, t.deleted_at, t.post_count, a.name AS author_name"
        " FROM topics t JOIN users a ON a.id = t.author_id"
        " WHERE t.forum_id = ? AND t.deleted_at IS NOT NULL"
        " ORDER BY t.deleted_at DESC, t.id DESC LIMIT ?",
        (forum_id, TOPICS_PER_PAGE),
    )


async def topic_size(db: Database, topic: sqlite3.Row, with_deleted: bool) -> int:
    """How many posts the topic's pages hold: its stored count, and for moderators its
    deleted posts as well (counted over the topic's covering index)."""
    if not with_deleted:
        return int(topic["post_count"])
    size: int = await db.fetch_value(
        "SELECT COUNT(*) FROM posts WHERE topic_id = ?", (topic["id"],)
    )
    return size


async def topic_posts(
    db: Database, topic_id: int, offset: int, with_deleted: bool = False
) -> list[sqlite3.Row]:
    """One page of a topic's posts with each author's box; OFFSET runs over a covering
    index whose last column leaves deleted posts out (or keeps them, for moderators)."""
    shown = _posts_shown(with_deleted)
    return await db.fetch_all(
        "SELECT p.id, p.body, p.body_html, p.created_at, p.edited_at, p.author_id,"  # noqa: S608
        " p.deleted_at, u.name AS author_name, u.role AS author_role,"
        " u.created_at AS author_joined_at,"
        " u.post_count AS author_post_count, u.uploaded AS author_uploaded,"
        " u.downloaded AS author_downloaded, e.name AS edited_by_name"
        f" FROM (SELECT id FROM posts WHERE topic_id = ?{shown}"
        " ORDER BY id LIMIT ? OFFSET ?) AS page"
        " JOIN posts p ON p.id = page.id"
        " JOIN users u ON u.id = p.author_id"
        " LEFT JOIN users e ON e.id = p.edited_by"
        " ORDER BY p.id",
        (topic_id, POSTS_PER_PAGE, offset),
    )


async def posts_before(
    db: Database, topic_id: int, post_id: int, with_deleted: bool = False
) -> int:
    """How many posts of the topic precede this one: what a permalink needs for its page."""
    count: int = await db.fetch_value(
        f"SELECT COUNT(*) FROM posts WHERE topic_id = ? AND id < ?{_posts_shown(with_deleted)}",  # noqa: S608
        (topic_id, post_id),
    )
    return count


async def posts_from(db: Database, topic_id: int, post_id: int) -> int:
    """How many posts of the topic a split from this one takes: it and every later one."""
    count: int = await db.fetch_value(
        "SELECT COUNT(*) FROM posts WHERE topic_id = ? AND id >= ?", (topic_id, post_id)
    )
    return count


async def first_post_id(db: Database, topic_id: int) -> int | None:
    first: int | None = await db.fetch_value(
        "SELECT MIN(id) FROM posts WHERE topic_id = ?", (topic_id,)
    )
    return first


async def read_position(db: Database, viewer: Viewer, topic_id: int) -> int:
    if viewer.id is None:
        return 0
    position: int | None = await db.fetch_value(
        "SELECT last_read_post_id FROM topic_reads WHERE user_id = ? AND topic_id = ?",
        (viewer.id, topic_id),
    )
    return position or 0


async def mark_read(db: Database, user_id: int, topic_id: int, post_id: int) -> None:
    """Move a member's read marker forward (never back: an old page must not un-read)."""
    await db.execute(
        "INSERT INTO topic_reads (user_id, topic_id, last_read_post_id) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id, topic_id) DO UPDATE"
        " SET last_read_post_id = MAX(last_read_post_id, excluded.last_read_post_id)",
        (user_id, topic_id, post_id),
    )


async def movable_forums(db: Database, viewer: Viewer) -> list[sqlite3.Row]:
    """The forums a moderator may move a topic into: those they can view, with categories."""
    visible, params = visible_forums_clause(viewer, "f")
    return await db.fetch_all(
        "SELECT f.id, f.name, c.name AS category_name FROM forums f"  # noqa: S608 (constants)
        f" JOIN categories c ON c.id = f.category_id WHERE {visible}"
        " ORDER BY c.position, c.id, f.position, f.id",
        params,
    )


def _readable_log_clause(viewer: Viewer) -> tuple[str, list[str | int]]:
    """Log entries this viewer may read: those about no forum or a forum they may view.

    Admins read everything, including the entries of forums deleted since.
    """
    if viewer.is_admin:
        return "1", []
    visible, params = visible_forums_clause(viewer, "f")
    return (
        "(l.forum_id IS NULL OR EXISTS"  # noqa: S608 (constants; values are bound)
        f" (SELECT 1 FROM forums f WHERE f.id = l.forum_id AND {visible}))",
        params,
    )


def _seen(viewer: Viewer, forum_alias: str) -> tuple[str, list[str | int]]:
    """Whether the reader may view the forum ``forum_alias`` now (admins: always)."""
    return ("1", []) if viewer.is_admin else visible_forums_clause(viewer, forum_alias)


def _log_columns(viewer: Viewer) -> tuple[str, list[str | int]]:
    """What an entry's sentence may name for this reader, from the board as it is now.

    An entry is filed under the forum it happened in, but its target may be elsewhere
    now: each name (the target's title or name, the forums a move left and entered) is
    given only when the reader may view where it is now, else NULL (the sentence puts a
    placeholder). ``target_gone`` tells a target removed since, which the sentence names
    from the stored text. An older move stored only its text; once its topic is gone,
    where it took the topic can no longer be checked, so that text is withheld too.
    """
    pieces = [
        ("CASE l.target_type WHEN 'topic' THEN CASE WHEN {} THEN topic.title END", "now_in"),
        (" WHEN 'post' THEN CASE WHEN {} THEN post_topic.title END", "post_in"),
        (" WHEN 'torrent' THEN CASE WHEN {} THEN rel.title END", "rel_in"),
        (" WHEN 'forum' THEN CASE WHEN {} THEN tf.name END", "tf"),
        (" WHEN 'user' THEN tu.name WHEN 'group' THEN tg.name END AS target_name,", ""),
        (" CASE WHEN {} THEN came_from.name END AS from_name,", "came_from"),
        (" CASE WHEN {} THEN went_to.name END AS to_name,", "went_to"),
        (
            " (l.to_forum_id IS NULL AND l.target_type = 'topic' AND CASE WHEN topic.id IS NULL"
            " THEN l.action = 'move' ELSE NOT ({}) END) AS details_withheld",
            "now_in",
        ),
    ]
    sql, params = "", []
    for fragment, alias in pieces:
        if not alias:
            sql += fragment
            continue
        seen, seen_params = _seen(viewer, alias)
        sql += fragment.format(seen)
        params += seen_params
    return sql, params


# Each kind of target, the row that holds it (NULL once removed), joined for the log.
_LOG_JOINS = (
    " LEFT JOIN topics topic ON l.target_type = 'topic' AND topic.id = l.target_id"
    " LEFT JOIN forums now_in ON now_in.id = topic.forum_id"
    " LEFT JOIN posts lp ON l.target_type = 'post' AND lp.id = l.target_id"
    " LEFT JOIN topics post_topic ON post_topic.id = lp.topic_id"
    " LEFT JOIN forums post_in ON post_in.id = post_topic.forum_id"
    " LEFT JOIN torrents rel ON l.target_type = 'torrent' AND rel.id = l.target_id"
    " LEFT JOIN forums rel_in ON rel_in.id = rel.forum_id"
    " LEFT JOIN forums tf ON l.target_type = 'forum' AND tf.id = l.target_id"
    " LEFT JOIN users tu ON l.target_type = 'user' AND tu.id = l.target_id"
    " LEFT JOIN groups tg ON l.target_type = 'group' AND tg.id = l.target_id"
    " LEFT JOIN forums came_from ON came_from.id = l.from_forum_id"
    " LEFT JOIN forums went_to ON went_to.id = l.to_forum_id"
)
_TARGET_GONE = (
    "CASE l.target_type WHEN 'topic' THEN topic.id WHEN 'post' THEN lp.id"
    " WHEN 'torrent' THEN rel.id WHEN 'forum' THEN tf.id WHEN 'user' THEN tu.id"
    " WHEN 'group' THEN tg.id END IS NULL"
)


async def moderation_log_page(db: Database, viewer: Viewer, offset: int) -> list[sqlite3.Row]:
    readable, params = _readable_log_clause(viewer)
    columns, column_params = _log_columns(viewer)
    return await db.fetch_all(
        "SELECT l.id, l.action, l.target_type, l.target_id, l.created_at, l.details,"  # noqa: S608
        " l.from_forum_id, l.to_forum_id, l.actor_id, u.name AS actor_name, l.from_shell,"
        f" rel.topic_id AS release_topic_id, {_TARGET_GONE} AS target_gone, {columns}"
        f" FROM moderation_log l LEFT JOIN users u ON u.id = l.actor_id{_LOG_JOINS}"
        f" WHERE {readable} ORDER BY l.id DESC LIMIT ? OFFSET ?",
        [*column_params, *params, LOG_ENTRIES_PER_PAGE, offset],
    )


async def moderation_log_size(db: Database, viewer: Viewer) -> int:
    readable, params = _readable_log_clause(viewer)
    size: int = await db.fetch_value(
        f"SELECT COUNT(*) FROM moderation_log l WHERE {readable}",  # noqa: S608
        params,
    )
    return size


async def all_forums(db: Database) -> list[sqlite3.Row]:
    """Every forum in board order, for the admins' structure page."""
    return await db.fetch_all(
        "SELECT id, category_id, name, description, view_role, topic_role, reply_role,"
        " download_role, allows_releases, topic_count, post_count"
        " FROM forums ORDER BY position, id"
    )


async def category_by_id(db: Database, category_id: int) -> sqlite3.Row | None:
    return await db.fetch_one("SELECT id, name FROM categories WHERE id = ?", (category_id,))
