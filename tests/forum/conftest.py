"""A small board for the forum tests: forums inserted directly, members logged in for real.

Topics and replies for setting the scene are written with the forum's own posting code
(``create_topic``/``create_post``), so their counters are exactly what the pages keep.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.helpers import Member, add_member, csrf_token, login
from tinypier.db.connection import Database, connect_sync
from tinypier.forum.posting import NewTopic, create_post, create_topic
from tinypier.settings import Settings

Client = TestClient[Litestar]


def log_in(client: Client, member: Member) -> None:
    response = login(client, member.name, member.password)
    assert response.status_code == 303, response.text


def submit(client: Client, page: str, action: str, data: dict[str, Any]) -> httpx.Response:
    """Post a form the way a browser does: open the page, take its CSRF token, post."""
    token = csrf_token(client.get(page).text)
    return client.post(action, data={**data, "_csrf_token": token}, follow_redirects=False)


def add_category(settings: Settings, name: str) -> int:
    connection = connect_sync(settings.database_path)
    try:
        cursor = connection.execute(
            "INSERT INTO categories (name, position) VALUES (?, (SELECT COUNT(*) FROM categories))",
            (name,),
        )
        return cursor.lastrowid or 0
    finally:
        connection.close()


def add_forum(settings: Settings, category_id: int, name: str, view_role: str = "guest") -> int:
    connection = connect_sync(settings.database_path)
    try:
        cursor = connection.execute(
            "INSERT INTO forums (category_id, name, description, position, allows_releases,"
            " view_role, topic_role, reply_role, download_role, topic_count, post_count)"
            " VALUES (?, ?, '', (SELECT COUNT(*) FROM forums), 0, ?, 'user', 'user', 'user', 0, 0)",
            (category_id, name, view_role),
        )
        return cursor.lastrowid or 0
    finally:
        connection.close()


def seed_topic(
    settings: Settings, forum_id: int, author: Member, title: str, replies: int = 0
) -> NewTopic:
    """A topic with ``replies`` replies by the same author, written by the forum's own code."""

    async def write() -> NewTopic:
        db = Database(settings.database_path)
        await db.open()
        try:
            new = await create_topic(db, forum_id, author.id, title, f"Opening {title}")
            for number in range(1, replies + 1):
                await create_post(db, new.topic_id, forum_id, author.id, f"Reply {number}")
            return new
        finally:
            await db.close()

    return asyncio.run(write())


@dataclass(frozen=True)
class Board:
    settings: Settings
    category: int
    public_forum: int
    other_forum: int
    private_forum: int
    user: Member
    other_user: Member
    moderator: Member
    admin: Member

    def rows(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        connection = connect_sync(self.settings.database_path)
        try:
            return [tuple(row) for row in connection.execute(statement, params).fetchall()]
        finally:
            connection.close()

    def value(self, statement: str, params: tuple[Any, ...] = ()) -> Any:
        return self.rows(statement, params)[0][0]

    def counters(self, forum_id: int) -> tuple[int, int, int | None]:
        """(topic_count, post_count, last_post_id) as the index page shows them."""
        row = self.rows(
            "SELECT topic_count, post_count, last_post_id FROM forums WHERE id = ?", (forum_id,)
        )[0]
        return row[0], row[1], row[2]

    def post_count(self, member: Member) -> int:
        count: int = self.value("SELECT post_count FROM users WHERE id = ?", (member.id,))
        return count


@pytest.fixture
def board(client: Client, settings: Settings) -> Board:
    """Four members (who share one password hash: ``tests.helpers.password_hash``)."""
    category = add_category(settings, "General")
    return Board(
        settings=settings,
        category=category,
        public_forum=add_forum(settings, category, "Chat"),
        other_forum=add_forum(settings, category, "Elsewhere"),
        private_forum=add_forum(settings, category, "Staff room", view_role="moderator"),
        user=add_member(settings, "alice"),
        other_user=add_member(settings, "bob"),
        moderator=add_member(settings, "mona", "moderator"),
        admin=add_member(settings, "adam", "admin"),
    )
