"""Reading and writing profiles, ranks and their images.

Images follow the attachment store's order (``tinypier.torrents.storage``): the file is
written before the row that points at it commits, and a refused or failed change
removes the file it created. A replaced or removed image's attachment row is deleted in
the same transaction when nothing else refers to it (:func:`forget_unused_images`), and
its file only once that has committed. Equal images are one file and one row: the digest
of the re-encoded PNG is the name.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import aiosqlite

from tinypier.db.connection import Database
from tinypier.forum.moderation_log import log_action
from tinypier.settings import Settings
from tinypier.torrents.storage import (
    StoredFile,
    attachment_row_id,
    discard,
    remove_forgotten,
    store_bytes,
)


@dataclass(frozen=True)
class AuthorCard:
    """What is shown with a member's name: avatar and rank (digests name the images)."""

    user_id: int
    avatar: str | None
    rank_title: str | None
    rank_image: str | None
    signature_html: str


async def author_cards(db: Database, user_ids: Sequence[int]) -> dict[int, AuthorCard]:
    """Avatar, rank and signature of each of these members, by id: one query a page, each
    member found by primary key (one placeholder per id: a page has at most 25 authors)."""
    ids = list(user_ids)
    placeholders = ", ".join("?" * len(ids))
    rows = await db.fetch_all(
        "SELECT x.user_id, x.avatar, x.signature_html, r.title AS rank_title,"  # noqa: S608 - placeholders only
        " ri.sha256 AS rank_image FROM ("
        "   SELECT u.id AS user_id, a.sha256 AS avatar,"
        "   COALESCE(p.signature_html, '') AS signature_html,"
        # The assigned rank, else the highest earned by post count (the min_posts index).
        "   COALESCE(p.rank_id, (SELECT r.id FROM ranks r WHERE r.min_posts <= u.post_count"
        "     ORDER BY r.min_posts DESC LIMIT 1)) AS rank_id"
        "   FROM users u LEFT JOIN profiles p ON p.user_id = u.id"
        "   LEFT JOIN attachments a ON a.id = p.avatar_id"
        f"   WHERE u.id IN ({placeholders})) AS x"
        " LEFT JOIN ranks r ON r.id = x.rank_id"
        " LEFT JOIN attachments ri ON ri.id = r.image_id",
        ids,
    )
    return {
        row["user_id"]: AuthorCard(
            row["user_id"], row["avatar"], row["rank_title"], row["rank_image"],
            row["signature_html"],
        )
        for row in rows
    }  # fmt: skip


async def own_profile(db: Database, user_id: int) -> sqlite3.Row | None:
    """The member's own profile row with the avatar's digest, for their edit page."""
    return await db.fetch_one(
        "SELECT p.signature, p.signature_html, a.sha256 AS avatar FROM profiles p"
        " LEFT JOIN attachments a ON a.id = p.avatar_id WHERE p.user_id = ?",
        (user_id,),
    )


async def hides_signatures(db: Database, user_id: int | None) -> bool:
    if user_id is None:
        return False
    hidden = await db.fetch_value("SELECT hide_signatures FROM users WHERE id = ?", (user_id,))
    return bool(hidden)


async def _ensure_profile(connection: aiosqlite.Connection, user_id: int) -> None:
    await connection.execute(
        "INSERT INTO profiles (user_id, signature, signature_html) VALUES (?, '', '')"
        " ON CONFLICT (user_id) DO NOTHING",
        (user_id,),
    )


async def forget_unused_images(
    connection: aiosqlite.Connection, attachment_ids: Collection[int | None]
) -> list[str]:
    """Inside the transaction that let go of images: delete the attachment rows among
    ``attachment_ids`` that no avatar, rank or release refers to any more; returns their
    digests, whose files ``remove_forgotten`` removes after the commit."""
    ids = [attachment_id for attachment_id in attachment_ids if attachment_id is not None]
    if not ids:
        return []
    cursor = await connection.execute(
        "DELETE FROM attachments WHERE id IN (SELECT value FROM json_each(?))"
        " AND NOT EXISTS (SELECT 1 FROM profiles WHERE avatar_id = attachments.id)"
        " AND NOT EXISTS (SELECT 1 FROM ranks WHERE image_id = attachments.id)"
        " AND NOT EXISTS (SELECT 1 FROM torrents WHERE attachment_id = attachments.id)"
        " RETURNING sha256",
        (json.dumps(ids),),
    )
    return [str(row[0]) for row in await cursor.fetchall()]


async def store_image(
    connection: aiosqlite.Connection, settings: Settings, png: bytes
) -> tuple[StoredFile, int]:
    """Inside a write transaction: the image's file and attachment row (both reused when
    the same image is stored already)."""
    stored = await asyncio.to_thread(store_bytes, settings.attachments_dir, png)
    return stored, await attachment_row_id(connection, stored, len(png))


async def set_avatar(db: Database, settings: Settings, user_id: int, png: bytes | None) -> None:
    """Make ``png`` the member's avatar (None removes it); the one replaced is forgotten
    when nothing else uses it."""
    stored: StoredFile | None = None
    try:
        async with db.transaction() as connection:
            await _ensure_profile(connection, user_id)
            cursor = await connection.execute(
                "SELECT avatar_id FROM profiles WHERE user_id = ?", (user_id,)
            )
            previous = (await cursor.fetchone() or (None,))[0]
            new_id = None
            if png is not None:
                stored, new_id = await store_image(connection, settings, png)
            await connection.execute(
                "UPDATE profiles SET avatar_id = ? WHERE user_id = ?", (new_id, user_id)
            )
            forgotten = await forget_unused_images(connection, [previous])
    except BaseException:
        discard(stored)
        raise
    await remove_forgotten(db, settings.attachments_dir, forgotten)


async def set_signature(db: Database, user_id: int, signature: str, html: str) -> None:
    async with db.transaction() as connection:
        await _ensure_profile(connection, user_id)
        await connection.execute(
            "UPDATE profiles SET signature = ?, signature_html = ? WHERE user_id = ?",
            (signature, html, user_id),
        )


# --- Ranks ---------------------------------------------------------------------------


async def all_ranks(db: Database) -> list[sqlite3.Row]:
    """Every rank, those earned by posts first in the order members reach them."""
    return await db.fetch_all(
        "SELECT r.id, r.title, r.min_posts, a.sha256 AS image FROM ranks r"
        " LEFT JOIN attachments a ON a.id = r.image_id"
        " ORDER BY r.min_posts IS NULL, r.min_posts, r.title, r.id"
    )


async def rank_by_id(db: Database, rank_id: int) -> sqlite3.Row | None:
    return await db.fetch_one(
        "SELECT r.id, r.title, r.min_posts, r.image_id, a.sha256 AS image FROM ranks r"
        " LEFT JOIN attachments a ON a.id = r.image_id WHERE r.id = ?",
        (rank_id,),
    )


async def assigned_rank(db: Database, user_id: int) -> int | None:
    rank_id: int | None = await db.fetch_value(
        "SELECT rank_id FROM profiles WHERE user_id = ?", (user_id,)
    )
    return rank_id


@dataclass(frozen=True)
class RankChange:
    """A rank as the admin's form gives it; ``image`` is a normalized PNG, None to keep
    the current one, and ``drop_image`` removes it."""

    title: str
    min_posts: int | None
    image: bytes | None = None
    drop_image: bool = False


async def save_rank(
    db: Database,
    settings: Settings,
    rank_id: int | None,
    change: RankChange,
    actor_id: int,
) -> int:
    """Create (``rank_id`` None) or update a rank, logged in the same transaction.
    Returns the rank's id."""
    stored: StoredFile | None = None
    try:
        async with db.transaction() as connection:
            image_id = previous = None
            if rank_id is not None:
                cursor = await connection.execute(
                    "SELECT image_id FROM ranks WHERE id = ?", (rank_id,)
                )
                image_id = previous = (await cursor.fetchone() or (None,))[0]
            if change.drop_image:
                image_id = None
            if change.image is not None:
                stored, image_id = await store_image(connection, settings, change.image)
            if rank_id is None:
                cursor = await connection.execute(
                    "INSERT INTO ranks (title, min_posts, image_id, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (change.title, change.min_posts, image_id, int(time.time())),
                )
                rank_id = cursor.lastrowid or 0
                await log_action(connection, actor_id, "create rank", "rank", rank_id, change.title)
            else:
                await connection.execute(
                    "UPDATE ranks SET title = ?, min_posts = ?, image_id = ? WHERE id = ?",
                    (change.title, change.min_posts, image_id, rank_id),
                )
                await log_action(connection, actor_id, "edit rank", "rank", rank_id, change.title)
            forgotten = await forget_unused_images(
                connection, [previous] if previous != image_id else []
            )
    except BaseException:
        discard(stored)
        raise
    await remove_forgotten(db, settings.attachments_dir, forgotten)
    return rank_id


async def delete_rank(db: Database, settings: Settings, rank: sqlite3.Row, actor_id: int) -> None:
    """Delete a rank; members it was assigned to go back to the ranks earned by posts."""
    async with db.transaction() as connection:
        await connection.execute("DELETE FROM ranks WHERE id = ?", (rank["id"],))
        await log_action(connection, actor_id, "delete rank", "rank", rank["id"], rank["title"])
        forgotten = await forget_unused_images(connection, [rank["image_id"]])
    await remove_forgotten(db, settings.attachments_dir, forgotten)


async def assign_rank(
    db: Database, actor_id: int, member: sqlite3.Row, rank: sqlite3.Row | None
) -> None:
    """Give the member a rank (None: back to the ranks earned by posts)."""
    user_id = member["id"]
    async with db.transaction() as connection:
        await _ensure_profile(connection, user_id)
        await connection.execute(
            "UPDATE profiles SET rank_id = ? WHERE user_id = ?",
            (None if rank is None else rank["id"], user_id),
        )
        action, details = ("unassign rank", "") if rank is None else ("assign rank", rank["title"])
        await log_action(connection, actor_id, action, "user", user_id, details)


async def image_is_shown(db: Database, sha256: str) -> bool:
    """Is this digest an avatar's or a rank's image? Only those are served: the same
    store holds .torrent files, which are not for everyone."""
    found = await db.fetch_value(
        "SELECT 1 FROM attachments a WHERE a.sha256 = ? AND (EXISTS"
        " (SELECT 1 FROM profiles WHERE avatar_id = a.id) OR EXISTS"
        " (SELECT 1 FROM ranks WHERE image_id = a.id))",
        (sha256,),
    )
    return found is not None
