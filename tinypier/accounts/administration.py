"""What admins do to members, each change committed together with its moderation log row,
so the log can never miss a change nor record one that did not happen."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable

import aiosqlite

from tinypier.accounts import queries
from tinypier.accounts.roles import Role
from tinypier.db.connection import Database
from tinypier.forum.moderation_log import log_action
from tinypier.forum.pagination import Pagination
from tinypier.i18n import _

USERS_PER_PAGE = 50

Write = Callable[[aiosqlite.Connection], Awaitable[None]]


class SelfLockout(ValueError):
    """An admin tried to demote or disable themselves; the board could lose its last admin."""


async def _change_user(
    db: Database, actor_id: int | None, target_id: int, action: str, details: str, write: Write
) -> None:
    async with db.transaction() as connection:
        await write(connection)
        await log_action(connection, actor_id, action, "user", target_id, details)


async def change_role(db: Database, actor_id: int | None, target: sqlite3.Row, role: Role) -> None:
    if target["id"] == actor_id and role < Role.ADMIN:
        raise SelfLockout(_("You cannot take the admin role from yourself."))

    async def write(connection: aiosqlite.Connection) -> None:
        await queries.write_role(connection, target["id"], role)

    details = f"{target['role']} -> {role.label}"
    await _change_user(db, actor_id, target["id"], "set role", details, write)


async def change_disabled(
    db: Database, actor_id: int | None, target: sqlite3.Row, disabled: bool
) -> None:
    if target["id"] == actor_id and disabled:
        raise SelfLockout(_("You cannot disable your own account."))

    async def write(connection: aiosqlite.Connection) -> None:
        await queries.write_disabled(connection, target["id"], disabled)

    action = "disable user" if disabled else "enable user"
    await _change_user(db, actor_id, target["id"], action, target["name"], write)


async def change_invite_quota(
    db: Database, actor_id: int | None, target: sqlite3.Row, quota: int
) -> None:
    async def write(connection: aiosqlite.Connection) -> None:
        await queries.write_invite_quota(connection, target["id"], quota)

    details = f"{target['invite_quota']} -> {quota}"
    await _change_user(db, actor_id, target["id"], "set invite quota", details, write)


async def count_members(db: Database) -> int:
    total: int = await db.fetch_value("SELECT COUNT(*) FROM users")
    return total


async def members_page(db: Database, pagination: Pagination) -> list[sqlite3.Row]:
    return await db.fetch_all(
        "SELECT id, name, role, disabled, created_at, uploaded, downloaded, invite_quota"
        " FROM users ORDER BY id LIMIT ? OFFSET ?",
        (pagination.per_page, pagination.offset),
    )


async def board_counts(db: Database) -> sqlite3.Row | None:
    return await db.fetch_one(
        "SELECT (SELECT COUNT(*) FROM users) AS members,"
        " (SELECT COUNT(*) FROM users WHERE disabled = 1) AS disabled,"
        " (SELECT COUNT(*) FROM topics) AS topics,"
        " (SELECT COUNT(*) FROM torrents) AS torrents"
    )
