"""Reading and writing the forum's structure, topics and posts."""

from __future__ import annotations

from tinypier.db.connection import Database


async def ensure_category(db: Database, name: str) -> int:
    """The id of the category with this name, created at the end of the list if missing."""
    async with db.transaction() as connection:
        cursor = await connection.execute("SELECT id FROM categories WHERE name = ?", (name,))
        row = await cursor.fetchone()
        if row is not None:
            return int(row[0])
        cursor = await connection.execute(
            "INSERT INTO categories (name, position)"
            " VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM categories))",
            (name,),
        )
        return cursor.lastrowid or 0


async def create_forum(
    db: Database,
    category_id: int,
    name: str,
    *,
    description: str = "",
    allows_releases: bool = False,
    view_role: str = "guest",
    topic_role: str = "user",
    reply_role: str = "user",
    download_role: str = "user",
) -> int:
    return await db.execute(
        "INSERT INTO forums (category_id, name, description, position, allows_releases,"
        " view_role, topic_role, reply_role, download_role, topic_count, post_count)"
        " VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM forums WHERE category_id = ?),"
        " ?, ?, ?, ?, ?, 0, 0)",
        (category_id, name, description, category_id, allows_releases, view_role, topic_role,
         reply_role, download_role),
    )
