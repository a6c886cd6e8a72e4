"""Invite codes: how a board in ``invite`` mode lets new people in.

A member may have as many live invites as their quota: an invite counts while it is
unused and unexpired, and for good once somebody used it. An invite that expired unused
gives its place back. Admins invite without limit.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

import aiosqlite

from tinypier.accounts.secrets import new_token
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database

INVITE_LIFETIME_SECONDS = 7 * 86400


@dataclass(frozen=True)
class InviteAllowance:
    counted: int
    quota: int | None

    @property
    def left(self) -> int | None:
        """Invites the member may still create; None means no limit (admins)."""
        return None if self.quota is None else max(self.quota - self.counted, 0)

    @property
    def may_invite(self) -> bool:
        return self.left is None or self.left > 0


_COUNTED = (
    "SELECT COUNT(*) FROM invites WHERE created_by = ? AND (used_by IS NOT NULL OR expires_at > ?)"
)


async def invite_allowance(db: Database, member: Viewer, quota: int) -> InviteAllowance:
    counted = await db.fetch_value(_COUNTED, (member.id, int(time.time())))
    return InviteAllowance(int(counted), None if member.is_admin else quota)


async def create_invite(db: Database, member: Viewer, quota: int) -> str | None:
    """A new code, or None when the member's quota is used up. Counting and inserting
    share one transaction, so two quick clicks cannot both take the last place."""
    code = new_token(12)
    now = int(time.time())
    async with db.transaction() as connection:
        cursor = await connection.execute(_COUNTED, (member.id, now))
        row = await cursor.fetchone()
        allowance = InviteAllowance(row[0] if row else 0, None if member.is_admin else quota)
        if not allowance.may_invite:
            return None
        await connection.execute(
            "INSERT INTO invites (code, created_by, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (code, member.id, now, now + INVITE_LIFETIME_SECONDS),
        )
    return code


async def list_invites(db: Database, created_by: int) -> list[sqlite3.Row]:
    return await db.fetch_all(
        "SELECT i.code, i.created_at, i.expires_at, i.used_at, u.id AS used_by_id,"
        " u.name AS used_by_name FROM invites i LEFT JOIN users u ON u.id = i.used_by"
        " WHERE i.created_by = ? ORDER BY i.id DESC",
        (created_by,),
    )


async def find_usable_invite(connection: aiosqlite.Connection, code: str) -> sqlite3.Row | None:
    """The invite behind ``code`` if nobody used it yet and it has not expired."""
    cursor = await connection.execute(
        "SELECT id, created_by FROM invites WHERE code = ? AND used_by IS NULL AND expires_at > ?",
        (code, int(time.time())),
    )
    row: sqlite3.Row | None = await cursor.fetchone()
    return row


async def mark_invite_used(connection: aiosqlite.Connection, invite_id: int, user_id: int) -> None:
    await connection.execute(
        "UPDATE invites SET used_by = ?, used_at = ? WHERE id = ?",
        (user_id, int(time.time()), invite_id),
    )
