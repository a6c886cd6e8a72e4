"""Filling in the account forms as a browser does: fetch the page, post its token back."""

from __future__ import annotations

import sqlite3
from typing import Any

import httpx
from litestar.testing import TestClient

from tests.helpers import csrf_token
from tinypier.accounts.sessions import SESSION_COOKIE
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings


def submit(
    client: TestClient[Any], page: str, action: str, fields: dict[str, str] | None = None
) -> httpx.Response:
    """Post ``fields`` to ``action`` with the CSRF token found on ``page``."""
    token = csrf_token(client.get(page).text)
    return client.post(
        action, data={"_csrf_token": token, **(fields or {})}, follow_redirects=False
    )


def session_of(client: TestClient[Any]) -> str | None:
    value: str | None = client.cookies.get(SESSION_COOKIE)
    return value


def use_session(client: TestClient[Any], token: str) -> None:
    """Present ``token`` as the session cookie, as a browser that kept it would."""
    client.cookies.delete(SESSION_COOKIE)
    client.cookies.set(SESSION_COOKIE, token, domain=client.base_url.host)


def is_guest(client: TestClient[Any]) -> bool:
    """A guest asking for the settings page is sent to log in."""
    response = client.get("/settings", follow_redirects=False)
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def query(settings: Settings, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    connection = connect_sync(settings.database_path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()
