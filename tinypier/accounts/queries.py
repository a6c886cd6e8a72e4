"""Reading and writing members, passkeys and API tokens."""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass

from tinypier.accounts.passwords import hash_password
from tinypier.accounts.roles import Role
from tinypier.accounts.secrets import digest, new_passkey, new_token
from tinypier.db.connection import Database

_NAME = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")


class NameTaken(ValueError):
    """Another member already has this name (names compare without case)."""


@dataclass(frozen=True)
class NewMember:
    id: int
    name: str
    role: Role
    passkey: str


def name_problem(name: str) -> str | None:
    if not _NAME.match(name):
        return "Names are 2 to 32 letters, digits, dots, dashes or underscores."
    return None


async def create_user(
    db: Database,
    name: str,
    password: str,
    role: Role = Role.USER,
    *,
    invite_quota: int = 0,
    invited_by: int | None = None,
) -> NewMember:
    password_hash = await hash_password(password)
    passkey = new_passkey()
    try:
        user_id = await db.execute(
            "INSERT INTO users (name, password_hash, role, disabled, passkey, feed_token,"
            " created_at, uploaded, downloaded, post_count, invite_quota, invited_by)"
            " VALUES (?, ?, ?, 0, ?, ?, ?, 0, 0, 0, ?, ?)",
            (name, password_hash, role.label, passkey, new_token(16), int(time.time()),
             invite_quota, invited_by),
        )
    except sqlite3.IntegrityError:
        raise NameTaken(name) from None
    return NewMember(user_id, name, role, passkey)


async def create_api_token(db: Database, user_id: int, label: str) -> str:
    """A new API token; only its digest is stored, so it is shown to the member once."""
    token = new_token()
    await db.execute(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
        (user_id, label, digest(token), int(time.time())),
    )
    return token


async def find_user_by_name(db: Database, name: str) -> sqlite3.Row | None:
    return await db.fetch_one("SELECT * FROM users WHERE name = ?", (name,))


async def set_role(db: Database, user_id: int, role: Role) -> None:
    await db.execute("UPDATE users SET role = ? WHERE id = ?", (role.label, user_id))


async def set_disabled(db: Database, user_id: int, disabled: bool) -> None:
    """Disabling also ends every session, so the member is out at once."""
    async with db.transaction() as connection:
        await connection.execute("UPDATE users SET disabled = ? WHERE id = ?", (disabled, user_id))
        if disabled:
            await connection.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
            await connection.execute("DELETE FROM api_tokens WHERE user_id = ?", (user_id,))


async def regenerate_passkey(db: Database, user_id: int) -> str:
    passkey = new_passkey()
    await db.execute("UPDATE users SET passkey = ? WHERE id = ?", (passkey, user_id))
    return passkey
