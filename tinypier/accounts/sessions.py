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
from litestar.datastructures import Cookie
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from tinypier.accounts.roles import Role
from tinypier.accounts.secrets import digest, new_token
from tinypier.accounts.viewer import GUEST, Viewer
from tinypier.db.connection import Database
from tinypier.permissions.grants import load_grants
from tinypier.settings import Settings

SESSION_COOKIE = "tinypier_session"
API_PREFIX = "/api/"
# How stale an API token's "last used" may get: recording every request would turn each
# API read into a write.
TOKEN_USE_RESOLUTION_SECONDS = 60


async def start_session(db: Database, user_id: int, lifetime_seconds: int) -> str:
    """A new session for a member who just logged in; returns the cookie value."""
    token = new_token()
    now = int(time.time())
    await db.execute(
        "INSERT INTO sessions (id, user_id, created_at, expires_at, data)"
        " VALUES (?, ?, ?, ?, '{}')",
        (digest(token), user_id, now, now + lifetime_seconds),
    )
    return token


async def end_session(db: Database, token: str) -> None:
    await db.execute("DELETE FROM sessions WHERE id = ?", (digest(token),))


async def log_in(db: Database, user_id: int, settings: Settings, old_token: str | None) -> str:
    """A fresh session id at every login, so a session id planted before the login
    (session fixation) is worth nothing; the old session and expired ones are removed."""
    if old_token:
        await end_session(db, old_token)
    await db.execute("DELETE FROM sessions WHERE expires_at <= ?", (int(time.time()),))
    return await start_session(db, user_id, settings.session_days * 86400)


def session_cookie(settings: Settings, token: str) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        path="/",
        max_age=settings.session_days * 86400,
        httponly=True,
        secure=settings.base_url.startswith("https://"),
        samesite="lax",
    )


async def viewer_for_session(db: Database, token: str) -> Viewer | None:
    row = await db.fetch_one(
        "SELECT u.id, u.name, u.role, u.language, u.time_zone"
        " FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.id = ? AND s.expires_at > ? AND u.disabled = 0",
        (digest(token), int(time.time())),
    )
    if row is None:
        return None
    return Viewer(
        row["id"],
        row["name"],
        Role.parse(row["role"]),
        row["language"],
        row["time_zone"],
        await load_grants(db, row["id"]),
    )


async def viewer_for_api_token(db: Database, token: str) -> Viewer | None:
    row = await db.fetch_one(
        "SELECT u.id, u.name, u.role, t.id AS token_id, t.last_used_at"
        " FROM api_tokens t JOIN users u ON u.id = t.user_id"
        " WHERE t.token_hash = ? AND u.disabled = 0",
        (digest(token),),
    )
    if row is None:
        return None
    now = int(time.time())
    if (row["last_used_at"] or 0) <= now - TOKEN_USE_RESOLUTION_SECONDS:
        await db.execute(
            "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (now, row["token_id"])
        )
    return Viewer(
        row["id"], row["name"], Role.parse(row["role"]), grants=await load_grants(db, row["id"])
    )


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
