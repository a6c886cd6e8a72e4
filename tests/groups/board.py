"""Groups set up straight in the database, and the forms members and admins post."""

from __future__ import annotations

import time
from typing import Any

import httpx
from litestar.testing import TestClient

from tests.forum.board import sql
from tests.helpers import Member, csrf_token, login
from tinypier.accounts.sessions import SESSION_COOKIE
from tinypier.settings import Settings

Client = TestClient[Any]


def add_group(settings: Settings, name: str, join_mode: str = "open", description: str = "") -> int:
    rows = sql(
        settings,
        "INSERT INTO groups (name, description, join_mode, created_at) VALUES (?, ?, ?, ?)"
        " RETURNING id",
        (name, description, join_mode, int(time.time())),
    )
    return int(rows[0][0])


def put_in_group(settings: Settings, group_id: int, member: Member, status: str = "member") -> None:
    sql(
        settings,
        "INSERT INTO group_members (user_id, group_id, status, created_at) VALUES (?, ?, ?, ?)",
        (member.id, group_id, status, int(time.time())),
    )


def grant(settings: Settings, group_id: int, forum_id: int, *rights: str) -> None:
    for right in rights:
        sql(
            settings,
            "INSERT INTO group_grants (group_id, forum_id, permission) VALUES (?, ?, ?)",
            (group_id, forum_id, right),
        )


def status_in(settings: Settings, group_id: int, member: Member) -> str | None:
    rows = sql(
        settings,
        "SELECT status FROM group_members WHERE group_id = ? AND user_id = ?",
        (group_id, member.id),
    )
    return str(rows[0][0]) if rows else None


def act_as(client: Client, member: Member) -> None:
    """Sign ``member`` in through the real login form (replacing whoever was)."""
    client.cookies.delete(SESSION_COOKIE)
    assert login(client, member.name, member.password).status_code == 303


def post_form(client: Client, action: str, data: dict[str, Any] | None = None) -> httpx.Response:
    """Post as a browser does: a token from a page the site served, then the form."""
    token = csrf_token(client.get("/groups").text)
    return client.post(action, data={"_csrf_token": token, **(data or {})}, follow_redirects=False)
