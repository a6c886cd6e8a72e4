"""What admins do to members, each change committed together with its moderation log row,
so the log can never miss a change nor record one that did not happen."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiosqlite

from tinypier.accounts import queries
from tinypier.accounts.roles import Role
from tinypier.db.connection import Database

USERS_PER_PAGE = 50

Write = Callable[[aiosqlite.Connection], Awaitable[None]]


class SelfLockout(ValueError):
    """An admin tried to demote or disable themselves; the board could lose its last admin."""


@dataclass(frozen=True)
class MemberPage:
    members: list[sqlite3.Row]
    page: int
    pages: int


async def log_action(
    connection: aiosqlite.Connection,
    actor_id: int,
    action: str,
    target_type: str,
    target_id: int,
    details: str = "",
) -> None:
    await connection.execute(
        "INSERT INTO moderation_log (actor_id, action, target_type, target_id, details,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (actor_id, action, target_type, target_id, details, int(time.time())),
    )


async def _change_user(
    db: Database, actor_id: int, target_id: int, action: str, details: str, write: Write
) -> None:
    async with db.transaction() as connection:
        await write(connection)
        await log_action(connection, actor_id, action, "user", target_id, details)


async def change_role(db: Database, actor_id: int, target: sqlite3.Row, role: Role) -> None:
    if target["id"] == actor_id and role < Role.ADMIN:
        raise SelfLockout("You cannot take the admin role from yourself.")

    async def write(connection: aiosqlite.Connection) -> None:
        await queries.write_role(connection, target["id"], role)

    details = f"{target['role']} -> {role.label}"
    await _change_user(db, actor_id, target["id"], "set role", details, write)


async def change_disabled(db: Database, actor_id: int, target: sqlite3.Row, disabled: bool) -> None:
    if target["id"] == actor_id and disabled:
        raise SelfLockout("You cannot disable your own account.")

    async def write(connection: aiosqlite.Connection) -> None:
        await queries.write_disabled(connection, target["id"], disabled)

    action = "disable user" if disabled else "enable user"
    await _change_user(db, actor_id, target["id"], action, target["name"], write)


async def change_invite_quota(db: Database, actor_id: int, target: sqlite3.Row, quota: int) -> None:
    async def write(connection: aiosqlite.Connection) -> None:
        await queries.write_invite_quota(connection, target["id"], quota)

    details = f"{target['invite_quota']} -> {quota}"
    await _change_user(db, actor_id, target["id"], "set invite quota", details, write)


async def members_page(db: Database, page: int) -> MemberPage:
    total = int(await db.fetch_value("SELECT COUNT(*) FROM users"))
    pages = max((total + USERS_PER_PAGE - 1) // USERS_PER_PAGE, 1)
    page = min(max(page, 1), pages)
    members = await db.fetch_all(
        "SELECT id, name, role, disabled, created_at, uploaded, downloaded, invite_quota"
        " FROM users ORDER BY id LIMIT ? OFFSET ?",
        (USERS_PER_PAGE, (page - 1) * USERS_PER_PAGE),
    )
    return MemberPage(members, page, pages)


async def recent_actions(db: Database, limit: int = 20) -> list[sqlite3.Row]:
    return await db.fetch_all(
        "SELECT l.action, l.target_type, l.target_id, l.details, l.created_at,"
        " a.name AS actor_name FROM moderation_log l LEFT JOIN users a ON a.id = l.actor_id"
        " ORDER BY l.id DESC LIMIT ?",
        (limit,),
    )


async def board_counts(db: Database) -> sqlite3.Row | None:
    return await db.fetch_one(
        "SELECT (SELECT COUNT(*) FROM users) AS members,"
        " (SELECT COUNT(*) FROM users WHERE disabled = 1) AS disabled,"
        " (SELECT COUNT(*) FROM topics) AS topics,"
        " (SELECT COUNT(*) FROM torrents) AS torrents"
    )
