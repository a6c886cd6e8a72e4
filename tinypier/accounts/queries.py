"""Reading and writing members, passkeys and API tokens.

Changes that other writes must join (registering with an invite, an admin's change plus
its log row) come in two forms: ``write_*(connection, ...)`` runs inside a transaction the
caller opened, ``set_*(db, ...)`` opens its own.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

import aiosqlite

from tinypier.accounts.names import name_key, normalized_name
from tinypier.accounts.passwords import hash_password, needs_rehash
from tinypier.accounts.roles import Role
from tinypier.accounts.secrets import digest, new_passkey, new_token
from tinypier.db.connection import Database


class NameTaken(ValueError):
    """Another member already has this name (names compare by ``names.name_key``)."""


@dataclass(frozen=True)
class NewMember:
    id: int
    name: str
    role: Role
    passkey: str


async def insert_user(
    connection: aiosqlite.Connection,
    name: str,
    password_hash: str,
    role: Role = Role.USER,
    *,
    invite_quota: int = 0,
    invited_by: int | None = None,
) -> NewMember:
    """Insert a member inside the caller's transaction; the password is already hashed
    because hashing takes long enough that it must not hold the write lock. The name is
    stored normalised, and its key makes it unique (see :mod:`tinypier.accounts.names`)."""
    passkey = new_passkey()
    name = normalized_name(name)
    try:
        cursor = await connection.execute(
            "INSERT INTO users (name, name_key, password_hash, role, disabled, passkey,"
            " feed_token, created_at, uploaded, downloaded, post_count, invite_quota, invited_by)"
            " VALUES (?, ?, ?, ?, 0, ?, ?, ?, 0, 0, 0, ?, ?)",
            (
                name,
                name_key(name),
                password_hash,
                role.label,
                passkey,
                new_feed_token(),
                int(time.time()),
                invite_quota,
                invited_by,
            ),
        )
    except sqlite3.IntegrityError:
        raise NameTaken(name) from None
    return NewMember(cursor.lastrowid or 0, name, role, passkey)


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
    async with db.transaction() as connection:
        return await insert_user(
            connection,
            name,
            password_hash,
            role,
            invite_quota=invite_quota,
            invited_by=invited_by,
        )


async def create_api_token(db: Database, user_id: int, label: str) -> str:
    """A new API token; only its digest is stored, so it is shown to the member once."""
    token = new_token()
    await db.execute(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
        (user_id, label, digest(token), int(time.time())),
    )
    return token


async def list_api_tokens(db: Database, user_id: int) -> list[sqlite3.Row]:
    return await db.fetch_all(
        "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id",
        (user_id,),
    )


async def revoke_api_token(db: Database, user_id: int, token_id: int) -> bool:
    """Delete one of the member's own tokens; False when it is not theirs (or gone)."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "DELETE FROM api_tokens WHERE id = ? AND user_id = ?", (token_id, user_id)
        )
        return cursor.rowcount > 0


async def find_user_by_name(db: Database, name: str) -> sqlite3.Row | None:
    """The member whose name is ``name`` in any case or Unicode form."""
    return await db.fetch_one("SELECT * FROM users WHERE name_key = ?", (name_key(name),))


async def find_user_by_id(db: Database, user_id: int) -> sqlite3.Row | None:
    return await db.fetch_one("SELECT * FROM users WHERE id = ?", (user_id,))


async def upgrade_password_hash(db: Database, user: sqlite3.Row, password: str) -> None:
    """After a login that verified ``password``, replace an imported legacy hash (or argon2
    with other parameters) by the board's own; sessions stay, the password is unchanged.
    The update only lands while the stored hash is still the one that was verified."""
    if not needs_rehash(user["password_hash"]):
        return
    password_hash = await hash_password(password)
    await db.execute(
        "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
        (password_hash, user["id"], user["password_hash"]),
    )


async def set_password(
    db: Database, user_id: int, password: str, *, keep_session: str | None
) -> None:
    """Change a password and end every other session: whoever learnt the old password
    is logged out everywhere except on the device that made the change."""
    password_hash = await hash_password(password)
    kept = digest(keep_session) if keep_session else ""
    async with db.transaction() as connection:
        await connection.execute(
            "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
        )
        await connection.execute(
            "DELETE FROM sessions WHERE user_id = ? AND id != ?", (user_id, kept)
        )


async def write_role(connection: aiosqlite.Connection, user_id: int, role: Role) -> None:
    await connection.execute("UPDATE users SET role = ? WHERE id = ?", (role.label, user_id))


async def write_disabled(connection: aiosqlite.Connection, user_id: int, disabled: bool) -> None:
    """Disabling also ends every session and API token, so the member is out at once."""
    await connection.execute("UPDATE users SET disabled = ? WHERE id = ?", (disabled, user_id))
    if disabled:
        await connection.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
        await connection.execute("DELETE FROM api_tokens WHERE user_id = ?", (user_id,))


async def write_invite_quota(connection: aiosqlite.Connection, user_id: int, quota: int) -> None:
    await connection.execute("UPDATE users SET invite_quota = ? WHERE id = ?", (quota, user_id))


def new_feed_token() -> str:
    return new_token(16)


async def regenerate_passkey(db: Database, user_id: int) -> str:
    """A new passkey and, with it, a new feed token: a member who resets the passkey
    believes a secret leaked, and feed links travel with the same readers and files."""
    passkey = new_passkey()
    await db.execute(
        "UPDATE users SET passkey = ?, feed_token = ? WHERE id = ?",
        (passkey, new_feed_token(), user_id),
    )
    return passkey


async def regenerate_feed_token(db: Database, user_id: int) -> str:
    """A new feed token: every feed URL with the old one stops working at once."""
    token = new_feed_token()
    await db.execute("UPDATE users SET feed_token = ? WHERE id = ?", (token, user_id))
    return token
