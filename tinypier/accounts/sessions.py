"""Server-side sessions in SQLite, and the middleware that says who is asking.

The cookie holds a random token; the table holds only its digest, the member and an
expiry. Sessions therefore survive a restart, end at once when a member is disabled
(the middleware re-reads the member on every request), and a copy of the database does
not contain a usable cookie.

Under ``/api/`` only ``Authorization: Bearer`` tokens count, never the cookie: the API is
exempt from CSRF tokens, so it must not accept a browser's ambient credentials.
"""

from __future__ import annotations

import time

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from tinypier.accounts.roles import Role
from tinypier.accounts.secrets import digest, new_token
from tinypier.accounts.viewer import GUEST, Viewer
from tinypier.db.connection import Database

SESSION_COOKIE = "tinypier_session"
API_PREFIX = "/api/"


async def start_session(db: Database, user_id: int, lifetime_seconds: int) -> str:
    """A new session for a member who just logged in; returns the cookie value."""
    token = new_token()
    now = int(time.time())
    await db.execute(
        "INSERT INTO sessions (id, user_id, created_at, expires_at, data) VALUES (?, ?, ?, ?, '{}')",
        (digest(token), user_id, now, now + lifetime_seconds),
    )
    return token


async def end_session(db: Database, token: str) -> None:
    await db.execute("DELETE FROM sessions WHERE id = ?", (digest(token),))


async def viewer_for_session(db: Database, token: str) -> Viewer | None:
    row = await db.fetch_one(
        "SELECT u.id, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.id = ? AND s.expires_at > ? AND u.disabled = 0",
        (digest(token), int(time.time())),
    )
    return None if row is None else Viewer(row["id"], row["name"], Role.parse(row["role"]))


async def viewer_for_api_token(db: Database, token: str) -> Viewer | None:
    row = await db.fetch_one(
        "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id"
        " WHERE t.token_hash = ? AND u.disabled = 0",
        (digest(token),),
    )
    return None if row is None else Viewer(row["id"], row["name"], Role.parse(row["role"]))


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    """Sets ``request.user`` to a Viewer (``GUEST`` when nobody is logged in)."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:  # type: ignore[type-arg]
        db: Database = connection.app.state.db
        viewer: Viewer | None = None
        if connection.scope["path"].startswith(API_PREFIX):
            scheme, _, token = connection.headers.get("authorization", "").partition(" ")
            if scheme.lower() == "bearer" and token:
                viewer = await viewer_for_api_token(db, token.strip())
        else:
            token = connection.cookies.get(SESSION_COOKIE, "")
            if token:
                viewer = await viewer_for_session(db, token)
        return AuthenticationResult(user=viewer or GUEST, auth=None)
