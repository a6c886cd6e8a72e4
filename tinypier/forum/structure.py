"""Changing the board's structure: categories and forums, their order and permissions."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import aiosqlite

from tinypier.db.connection import Database


@dataclass(frozen=True)
class ForumSettings:
    """Everything an admin sets on a forum's edit page."""

    category_id: int
    name: str
    description: str
    view_role: str
    topic_role: str
    reply_role: str
    download_role: str
    allows_releases: bool


def swapped(ids: list[int], moved_id: int, direction: str) -> list[int]:
    """``ids`` with ``moved_id`` exchanged with its neighbour ``up`` or ``down``."""
    order = list(ids)
    index = order.index(moved_id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return order


@dataclass(frozen=True)
class Ordering:
    """How one kind of sibling is listed in order, and how a new position is written."""

    siblings_sql: str
    update_sql: str


CATEGORY_ORDER = Ordering(
    # Every category is a sibling of every other, once the moved one exists.
    "SELECT id FROM categories WHERE EXISTS (SELECT 1 FROM categories WHERE id = ?)"
    " ORDER BY position, id",
    "UPDATE categories SET position = ? WHERE id = ?",
)
FORUM_ORDER = Ordering(
    "SELECT id FROM forums WHERE category_id = (SELECT category_id FROM forums WHERE id = ?)"
    " ORDER BY position, id",
    "UPDATE forums SET position = ? WHERE id = ?",
)


async def move(db: Database, ordering: Ordering, moved_id: int, direction: str) -> None:
    """Swap an item with its neighbour, then write positions 1..n (old ties disappear too)."""
    async with db.transaction() as connection:
        cursor = await connection.execute(ordering.siblings_sql, (moved_id,))
        ids = [int(row[0]) for row in await cursor.fetchall()]
        if moved_id in ids:
            new_order = swapped(ids, moved_id, direction)
            await connection.executemany(
                ordering.update_sql, [(position, id_) for position, id_ in enumerate(new_order, 1)]
            )


async def rename_category(db: Database, category_id: int, name: str) -> None:
    await db.execute("UPDATE categories SET name = ? WHERE id = ?", (name.strip(), category_id))


async def delete_empty_category(db: Database, category_id: int) -> bool:
    """Delete a category that holds no forum; False (and nothing done) otherwise."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "DELETE FROM categories WHERE id = ?"
            " AND NOT EXISTS (SELECT 1 FROM forums WHERE category_id = ?)",
            (category_id, category_id),
        )
        return cursor.rowcount > 0


async def update_forum(connection: aiosqlite.Connection, forum_id: int, new: ForumSettings) -> None:
    """Save a forum's settings; a forum changing category goes to the end of the new one.
    Inside the caller's transaction, where features hear of a change of roles."""
    await connection.execute(
        "UPDATE forums SET name = :name, description = :description, view_role = :view_role,"
        " topic_role = :topic_role, reply_role = :reply_role, download_role = :download_role,"
        " allows_releases = :allows_releases,"
        " position = CASE WHEN category_id = :category_id THEN position ELSE"
        "   (SELECT COALESCE(MAX(position), 0) + 1 FROM forums WHERE category_id = :category_id)"
        " END, category_id = :category_id"
        " WHERE id = :forum_id",
        {
            **asdict(new),
            "name": new.name.strip(),
            "description": new.description.strip(),
            "forum_id": forum_id,
        },
    )
