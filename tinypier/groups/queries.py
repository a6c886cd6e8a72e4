"""Groups, memberships and grants in the database.

A membership row is ``member``, ``leader`` or ``pending`` (a request to join); only the
first two hold the group's grants (``permissions.grants.HOLDING_STATUSES``).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import aiosqlite

from tinypier.db.connection import Database
from tinypier.permissions.grants import Right

JoinMode = Literal["open", "request", "closed"]
JOIN_MODES: tuple[JoinMode, ...] = ("open", "request", "closed")
MEMBERS_PER_PAGE = 50
MAX_NAME_LENGTH = 60
MAX_DESCRIPTION_LENGTH = 500


@dataclass(frozen=True)
class GroupSpec:
    """What an admin sets on a group."""

    name: str
    description: str
    join_mode: JoinMode


def now() -> int:
    return int(time.time())


async def all_groups(db: Database) -> list[sqlite3.Row]:
    """Every group with its member count (leaders included, requests not), by name."""
    return await db.fetch_all(
        "SELECT g.id, g.name, g.description, g.join_mode,"
        " (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id"
        "  AND m.status IN ('member', 'leader')) AS member_count"
        " FROM groups g ORDER BY g.name"
    )


async def group_by_id(db: Database, group_id: int) -> sqlite3.Row | None:
    return await db.fetch_one(
        "SELECT id, name, description, join_mode FROM groups WHERE id = ?", (group_id,)
    )


async def membership(db: Database, group_id: int, user_id: int | None) -> str | None:
    """The viewer's status in the group: member, leader, pending, or None."""
    if user_id is None:
        return None
    status: str | None = await db.fetch_value(
        "SELECT status FROM group_members WHERE user_id = ? AND group_id = ?",
        (user_id, group_id),
    )
    return status


async def member_count(db: Database, group_id: int, statuses: tuple[str, ...]) -> int:
    placeholders = ", ".join("?" for _ in statuses)
    count: int = await db.fetch_value(
        f"SELECT COUNT(*) FROM group_members WHERE group_id = ? AND status IN ({placeholders})",  # noqa: S608
        (group_id, *statuses),
    )
    return count


async def members_page(
    db: Database, group_id: int, statuses: tuple[str, ...], offset: int
) -> list[sqlite3.Row]:
    """Members in these statuses, leaders first, then by name."""
    placeholders = ", ".join("?" for _ in statuses)
    return await db.fetch_all(
        "SELECT u.id, u.name, m.status, m.created_at FROM group_members m"  # noqa: S608
        " JOIN users u ON u.id = m.user_id"
        f" WHERE m.group_id = ? AND m.status IN ({placeholders})"
        " ORDER BY m.status = 'leader' DESC, u.name LIMIT ? OFFSET ?",
        (group_id, *statuses, MEMBERS_PER_PAGE, offset),
    )


async def member_ids(db: Database, group_id: int) -> list[int]:
    """Everyone with a row in the group (pending ones too): whom the tracker re-reads."""
    rows = await db.fetch_all("SELECT user_id FROM group_members WHERE group_id = ?", (group_id,))
    return [row[0] for row in rows]


async def create_group(connection: aiosqlite.Connection, spec: GroupSpec) -> int:
    cursor = await connection.execute(
        "INSERT INTO groups (name, description, join_mode, created_at) VALUES (?, ?, ?, ?)",
        (spec.name, spec.description, spec.join_mode, now()),
    )
    group_id = cursor.lastrowid
    assert group_id is not None
    return group_id


async def update_group(connection: aiosqlite.Connection, group_id: int, spec: GroupSpec) -> None:
    await connection.execute(
        "UPDATE groups SET name = ?, description = ?, join_mode = ? WHERE id = ?",
        (spec.name, spec.description, spec.join_mode, group_id),
    )


async def delete_group(connection: aiosqlite.Connection, group_id: int) -> None:
    """Memberships and grants go with it (ON DELETE CASCADE)."""
    await connection.execute("DELETE FROM groups WHERE id = ?", (group_id,))


async def set_status(
    connection: aiosqlite.Connection, group_id: int, user_id: int, status: str
) -> None:
    """Put a member in the group with this status, or change the status they have."""
    await connection.execute(
        "INSERT INTO group_members (user_id, group_id, status, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (user_id, group_id) DO UPDATE SET status = excluded.status",
        (user_id, group_id, status, now()),
    )


async def remove_member(connection: aiosqlite.Connection, group_id: int, user_id: int) -> bool:
    cursor = await connection.execute(
        "DELETE FROM group_members WHERE user_id = ? AND group_id = ?", (user_id, group_id)
    )
    return cursor.rowcount > 0


async def grants_of(db: Database, group_id: int) -> set[tuple[int, Right]]:
    rows = await db.fetch_all(
        "SELECT forum_id, permission FROM group_grants WHERE group_id = ?", (group_id,)
    )
    return {(row[0], Right(row[1])) for row in rows}


async def replace_forum_grants(
    connection: aiosqlite.Connection, group_id: int, forum_id: int, rights: Iterable[Right]
) -> None:
    """The group's rights in one forum become exactly ``rights``."""
    await connection.execute(
        "DELETE FROM group_grants WHERE group_id = ? AND forum_id = ?", (group_id, forum_id)
    )
    await connection.executemany(
        "INSERT INTO group_grants (group_id, forum_id, permission) VALUES (?, ?, ?)",
        [(group_id, forum_id, right.value) for right in rights],
    )


async def member_by_name(db: Database, name: str) -> sqlite3.Row | None:
    return await db.fetch_one(
        "SELECT id, name FROM users WHERE name = ? AND disabled = 0", (name.strip(),)
    )
