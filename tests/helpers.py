"""Small, obvious ways for tests to set up a board without going through every page."""

from __future__ import annotations

import dataclasses
import functools
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx
from litestar.testing import TestClient

from tinypier.accounts.passwords import hash_password_sync
from tinypier.accounts.secrets import new_passkey, new_token
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings

DEFAULT_PASSWORD = "correct horse battery"


@functools.cache
def password_hash(password: str) -> str:
    """argon2 is slow on purpose (tens of milliseconds on a quiet machine, seconds on a
    loaded one): members a test inserts with the same password share one hash, made once
    per process. Logging in still verifies it for real; registration hashes its own."""
    return hash_password_sync(password)


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    role: str
    passkey: str
    password: str = DEFAULT_PASSWORD


def add_member(
    settings: Settings, name: str, role: str = "user", password: str = DEFAULT_PASSWORD
) -> Member:
    """Insert a member straight into the database (the app must have prepared it)."""
    passkey = new_passkey()
    connection = connect_sync(settings.database_path)
    try:
        cursor = connection.execute(
            "INSERT INTO users (name, password_hash, role, disabled, passkey, feed_token,"
            " created_at, uploaded, downloaded, post_count, invite_quota)"
            " VALUES (?, ?, ?, 0, ?, ?, ?, 0, 0, 0, 2)",
            (name, password_hash(password), role, passkey, new_token(16), int(time.time())),
        )
        return Member(cursor.lastrowid or 0, name, role, passkey, password)
    finally:
        connection.close()


def with_passkey(settings: Settings, member: Member, passkey: str) -> Member:
    """The member with ``passkey`` instead: one an importer kept (TorrentPier's
    ``auth_key``, 10 or 20 letters and digits), set before the tracker has seen them."""
    connection = connect_sync(settings.database_path)
    try:
        connection.execute("UPDATE users SET passkey = ? WHERE id = ?", (passkey, member.id))
        connection.commit()
    finally:
        connection.close()
    return dataclasses.replace(member, passkey=passkey)


_CSRF_INPUT = re.compile(r'<input[^>]*name="_csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token a page's forms carry, as a browser would post it back."""
    match = _CSRF_INPUT.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def login(client: TestClient[Any], name: str, password: str = DEFAULT_PASSWORD) -> httpx.Response:
    """Log in through the real form: fetch the page, post it back with its token.

    Returns the login answer itself: a 303 with the session cookie, or 400 when refused.
    """
    page = client.get("/login")
    return client.post(
        "/login",
        data={"_csrf_token": csrf_token(page.text), "name": name, "password": password},
        follow_redirects=False,
    )


class FakeClock:
    """A monotonic clock a test moves by hand (``clock.now += 5``)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
