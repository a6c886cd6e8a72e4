"""Register a .torrent on a board by SQL, as the releases area would leave it.

One call gives a release every part the site and the tracker look at: a category and a
release forum (made on first use), a topic with its first post, the .torrent stored as an
attachment file (``attachments_dir / sha256[:2] / sha256``) and its ``torrents`` row with
the hashes computed from the file itself, so real clients announce exactly what is stored.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass

from tinypier.attachments import attachment_path
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings
from tinypier.torrents.metainfo import ParsedTorrent, parse_torrent

RELEASE_FORUM = "Releases"


@dataclass(frozen=True)
class Release:
    torrent_id: int
    topic_id: int
    info_hash: bytes | None
    info_hash_v2: bytes | None


def register_torrent(
    settings: Settings,
    uploader_id: int,
    torrent: bytes,
    *,
    title: str = "A release",
    status: str = "checked",
    freeleech: str = "none",
) -> Release:
    """Store ``torrent`` (raw .torrent bytes) and register it; the board must be prepared."""
    parsed = parse_torrent(torrent)
    sha256 = hashlib.sha256(torrent).hexdigest()
    path = attachment_path(settings, sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(torrent)
    connection = connect_sync(settings.database_path)
    try:
        connection.execute("BEGIN IMMEDIATE")
        forum_id = _release_forum(connection)
        topic_id = _topic(connection, forum_id, uploader_id, title)
        attachment_id = connection.execute(
            "INSERT INTO attachments (sha256, size, created_at) VALUES (?, ?, ?)",
            (sha256, len(torrent), int(time.time())),
        ).lastrowid
        torrent_id = connection.execute(
            *_insert(
                "torrents",
                topic_id=topic_id,
                attachment_id=attachment_id,
                uploader_id=uploader_id,
                info_hash=parsed.info_hash_v1,
                info_hash_v2=parsed.info_hash_v2,
                name=parsed.name,
                total_size=parsed.total_size,
                file_count=len(parsed.files),
                files_json=_files_json(parsed),
                piece_length=parsed.piece_length,
                status=status,
                freeleech=freeleech,
                created_at=int(time.time()),
                seeders=0,
                leechers=0,
                completed=0,
            )
        ).lastrowid
        connection.execute("COMMIT")
    finally:
        connection.close()
    return Release(torrent_id or 0, topic_id, parsed.info_hash_v1, parsed.info_hash_v2)


def _release_forum(connection: sqlite3.Connection) -> int:
    """The board's release forum, made (with its category) the first time it is needed."""
    connection.execute(
        "INSERT OR IGNORE INTO categories (name, position) VALUES (?, 0)", (RELEASE_FORUM,)
    )
    category_id = connection.execute(
        "SELECT id FROM categories WHERE name = ?", (RELEASE_FORUM,)
    ).fetchone()[0]
    row = connection.execute(
        "SELECT id FROM forums WHERE category_id = ? AND name = ?", (category_id, RELEASE_FORUM)
    ).fetchone()
    if row is not None:
        return int(row[0])
    cursor = connection.execute(
        "INSERT INTO forums (category_id, name, description, position, allows_releases,"
        " view_role, topic_role, reply_role, download_role, topic_count, post_count)"
        " VALUES (?, ?, '', 0, 1, 'guest', 'user', 'user', 'user', 0, 0)",
        (category_id, RELEASE_FORUM),
    )
    return cursor.lastrowid or 0


def _topic(connection: sqlite3.Connection, forum_id: int, author_id: int, title: str) -> int:
    """A topic with one post (the release description), the forum's and author's counters kept."""
    now = int(time.time())
    topic_id = connection.execute(
        "INSERT INTO topics (forum_id, author_id, title, created_at, last_post_at, post_count,"
        " pin, locked) VALUES (?, ?, ?, ?, ?, 1, 0, 0)",
        (forum_id, author_id, title, now, now),
    ).lastrowid
    post_id = connection.execute(
        "INSERT INTO posts (topic_id, author_id, body, body_html, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (topic_id, author_id, title, title, now),
    ).lastrowid
    connection.execute("UPDATE topics SET last_post_id = ? WHERE id = ?", (post_id, topic_id))
    connection.execute(
        "UPDATE forums SET topic_count = topic_count + 1, post_count = post_count + 1,"
        " last_post_id = ? WHERE id = ?",
        (post_id, forum_id),
    )
    connection.execute("UPDATE users SET post_count = post_count + 1 WHERE id = ?", (author_id,))
    return topic_id or 0


def _files_json(parsed: ParsedTorrent) -> str:
    return json.dumps([[file.path, file.size] for file in parsed.files], ensure_ascii=False)


def _insert(table: str, **values: object) -> tuple[str, tuple[object, ...]]:
    """An INSERT statement for fixed column names, the values as parameters."""
    marks = ", ".join("?" * len(values))
    return f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})", tuple(values.values())
