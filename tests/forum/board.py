"""A small board for the search, members and feeds tests, built through the real code.

Topics and posts go through ``tinypier.forum.posting`` (so counters and the search
triggers run as they do in production); members come from ``tests.helpers``.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from tests.helpers import Member, add_member
from tinypier.accounts.secrets import new_token
from tinypier.db.connection import Database, connect_sync
from tinypier.db.migrations import migrate
from tinypier.forum.posting import create_post, create_topic
from tinypier.forum.queries import create_forum, ensure_category
from tinypier.release_statuses import CHECKED
from tinypier.settings import Settings
from tinypier.torrents.registration import RegisteredRelease, ReleaseUpload, register_release

T = TypeVar("T")


def on_board(settings: Settings, action: Callable[[Database], Awaitable[T]]) -> T:
    """Run ``action`` against the board's database with the app's own Database class."""

    async def run() -> T:
        db = Database(settings.database_path)
        await db.open()
        try:
            return await action(db)
        finally:
            await db.close()

    return asyncio.run(run())


def register_upload(settings: Settings, upload: ReleaseUpload) -> RegisteredRelease:
    """Register a release through the production code, under the board's own limits."""
    return on_board(
        settings,
        lambda db: register_release(
            db,
            settings.attachments_dir,
            upload,
            settings.upload_size_limit,
            max_body_chars=settings.post_max_chars,
        ),
    )


def sql(settings: Settings, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
    connection = connect_sync(settings.database_path)
    try:
        return list(connection.execute(statement, params).fetchall())
    finally:
        connection.close()


def add_forum(
    settings: Settings, name: str, view_role: str = "guest", releases: bool = False
) -> int:
    async def make(db: Database) -> int:
        category_id = await ensure_category(db, "General")
        return await create_forum(
            db, category_id, name, view_role=view_role, allows_releases=releases
        )

    return on_board(settings, make)


def add_topic(settings: Settings, forum_id: int, author: Member, title: str, body: str) -> Post:
    new = on_board(settings, lambda db: create_topic(db, forum_id, author.id, title, body))
    return Post(new.post_id, new.topic_id, forum_id)


def add_reply(settings: Settings, topic: Post, author: Member, body: str) -> Post:
    post_id = on_board(
        settings, lambda db: create_post(db, topic.topic_id, topic.forum_id, author.id, body)
    )
    return Post(post_id, topic.topic_id, topic.forum_id)


def add_release(
    settings: Settings, topic: Post, uploader: Member, size: int, status: str = CHECKED
) -> int:
    """A torrents row for a topic: what the releases area stores for an upload."""
    now = int(time.time())
    connection = connect_sync(settings.database_path)
    try:
        attachment = connection.execute(
            "INSERT INTO attachments (sha256, size, created_at) VALUES (?, 1, ?)",
            (new_token(), now),
        ).lastrowid
        cursor = connection.execute(
            "INSERT INTO torrents (topic_id, attachment_id, uploader_id, name, total_size,"
            " file_count, files_json, piece_length, status, freeleech, created_at, seeders,"
            " leechers, completed) VALUES (?, ?, ?, 'release', ?, 1, '[]', 16384,"
            " ?, 'none', ?, 0, 0, 0)",
            (topic.topic_id, attachment, uploader.id, size, status, now),
        )
        return cursor.lastrowid or 0
    finally:
        connection.close()


@dataclass(frozen=True)
class Post:
    post_id: int
    topic_id: int
    forum_id: int


@dataclass(frozen=True)
class Board:
    """Three forums (everyone / members / staff) and three people to read them."""

    lobby: int
    members_only: int
    staff_only: int
    alice: Member
    bob: Member
    moderator: Member


def build_board(settings: Settings) -> Board:
    return Board(
        lobby=add_forum(settings, "Lobby"),
        members_only=add_forum(settings, "Members lounge", view_role="user"),
        staff_only=add_forum(settings, "Staff room", view_role="moderator"),
        alice=add_member(settings, "alice"),
        bob=add_member(settings, "bob"),
        moderator=add_member(settings, "mira", role="moderator"),
    )


class PlanRecorder:
    """Stands in for ``Database``: records the query plan of every read it is asked for."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.plans: list[list[str]] = []

    async def fetch_all(self, statement: str, params: Any = ()) -> list[Any]:
        rows = self.connection.execute(f"EXPLAIN QUERY PLAN {statement}", params)
        self.plans.append([row[3] for row in rows])
        return []

    def as_database(self) -> Database:
        return cast(Database, self)


def empty_board_connection(directory: Path) -> sqlite3.Connection:
    """A connection to a freshly migrated board: enough for SQLite to plan any query."""
    migrate(directory / "board.sqlite3", directory / "backups")
    return sqlite3.connect(directory / "board.sqlite3")
