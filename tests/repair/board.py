"""A board whose posts were stored by the old renderer, with English words in their HTML."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tinypier.db.connection import connect_sync
from tinypier.db.migrations import migrate

LEGACY_POSTS = {
    "[quote=alice]Ripe plums[/quote]": (
        '<blockquote class="bb-quote"><cite>alice wrote:</cite>Ripe plums</blockquote>'
    ),
    "Plain words": "Plain words",
    "[spoiler]The butler[/spoiler]": "<details><summary>Spoiler</summary>The butler</details>",
}
"""BBCode source and the HTML the renderer stored for it before schema version 9."""

ENGLISH_WORDS = ("wrote:", "Spoiler")


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect_sync(path)
    try:
        yield connection
    finally:
        connection.close()


def legacy_board(path: Path, version: int | None = None) -> list[int]:
    """A database migrated to ``version`` (default: the newest) holding one topic whose
    posts carry their old HTML, counters right; returns the post ids in order."""
    migrate(path, path.parent / "backups", target=version)
    with opened(path) as connection:
        connection.execute(
            "INSERT INTO users (id, name, password_hash, role, disabled, passkey, feed_token,"
            " created_at, uploaded, downloaded, post_count, invite_quota)"
            " VALUES (1, 'alice', 'hash', 'user', 0, 'pk', 'feed', 1000, 0, 0, 0, 0)"
        )
        connection.execute("INSERT INTO categories (id, name, position) VALUES (1, 'General', 0)")
        connection.execute(
            "INSERT INTO forums (id, category_id, name, description, position, allows_releases,"
            " view_role, topic_role, reply_role, download_role, topic_count, post_count)"
            " VALUES (1, 1, 'Lobby', '', 0, 0, 'guest', 'user', 'user', 'user', 0, 0)"
        )
        connection.execute(
            "INSERT INTO topics (id, forum_id, author_id, title, created_at, last_post_at,"
            " post_count, pin, locked) VALUES (1, 1, 1, 'Plums', 1000, 1000, 0, 0, 0)"
        )
        post_ids = [
            connection.execute(
                "INSERT INTO posts (topic_id, author_id, body, body_html, created_at)"
                " VALUES (1, 1, ?, ?, ?)",
                (body, html, 1000 + number),
            ).lastrowid
            or 0
            for number, (body, html) in enumerate(LEGACY_POSTS.items())
        ]
        last = post_ids[-1]
        count = len(post_ids)
        connection.execute(
            "UPDATE topics SET post_count = ?, last_post_id = ?, last_post_at = ?",
            (count, last, 1000 + count - 1),
        )
        connection.execute(
            "UPDATE forums SET topic_count = 1, post_count = ?, last_post_id = ?", (count, last)
        )
        connection.execute("UPDATE users SET post_count = ?", (count,))
    return post_ids


def stored_html(path: Path) -> list[str]:
    with opened(path) as connection:
        return [row[0] for row in connection.execute("SELECT body_html FROM posts ORDER BY id")]


def holds_english(html: str) -> bool:
    return any(word in html for word in ENGLISH_WORDS)
