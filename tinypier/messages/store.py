"""Private messages in SQLite: conversations, their members, messages, blocks, reports.

Every counter the inbox shows (a conversation's last message, each member's unread
count) is written in the transaction that adds a message, so the inbox and the header's
badge read one index each and never count or sort messages.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from tinypier.db.connection import Database
from tinypier.forum.bbcode import render_bbcode_off_loop
from tinypier.notifications.notify import Delivery, on_message
from tinypier.notifications.store import read_conversation_notices

REPORT_CONTEXT_MESSAGES = 10
"""Messages before a reported one that its moderators read with it: enough to judge it."""
OPEN_REPORTS_SHOWN = 100
"""Open reports listed at once, newest first; closing them brings older ones up."""


@dataclass(frozen=True)
class NewConversation:
    conversation_id: int
    message_id: int


def _placeholders(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


async def members_named(db: Database, names: Sequence[str]) -> list[sqlite3.Row]:
    """The members with these names (case-insensitive, as names are), with ``disabled``."""
    if not names:
        return []
    return await db.fetch_all(
        f"SELECT id, name, disabled FROM users WHERE name IN ({_placeholders(names)})",  # noqa: S608
        tuple(names),
    )


async def blocking_names(db: Database, sender_id: int, member_ids: Sequence[int]) -> list[str]:
    """The names of those among ``member_ids`` who block ``sender_id``."""
    if not member_ids:
        return []
    rows = await db.fetch_all(
        "SELECT u.name FROM message_blocks b JOIN users u ON u.id = b.user_id"  # noqa: S608
        f" WHERE b.blocked_id = ? AND b.user_id IN ({_placeholders(member_ids)}) ORDER BY u.name",
        (sender_id, *member_ids),
    )
    return [row["name"] for row in rows]


async def conversation(db: Database, conversation_id: int) -> sqlite3.Row | None:
    return await db.fetch_one("SELECT * FROM conversations WHERE id = ?", (conversation_id,))


async def membership(db: Database, conversation_id: int, user_id: int) -> sqlite3.Row | None:
    return await db.fetch_one(
        "SELECT * FROM conversation_members WHERE conversation_id = ? AND user_id = ?",
        (conversation_id, user_id),
    )


async def participants(db: Database, conversation_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each conversation's members still taking part, by name (sorted here: SQLite would
    sort the rows of a whole page of conversations in a temporary tree)."""
    if not conversation_ids:
        return {}
    rows = await db.fetch_all(
        "SELECT m.conversation_id, u.name FROM conversation_members m"  # noqa: S608
        " JOIN users u ON u.id = m.user_id"
        f" WHERE m.conversation_id IN ({_placeholders(conversation_ids)})"
        " AND m.removed_after_message_id IS NULL",
        tuple(conversation_ids),
    )
    names: dict[int, list[str]] = {conversation_id: [] for conversation_id in conversation_ids}
    for row in rows:
        names[row["conversation_id"]].append(row["name"])
    for members in names.values():
        members.sort(key=str.casefold)
    return names


async def member_list(db: Database, conversation_id: int) -> list[sqlite3.Row]:
    """Everyone with a place in the conversation, removed members included, by name."""
    rows = await db.fetch_all(
        "SELECT u.id, u.name, m.removed_after_message_id FROM conversation_members m"
        " JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ?",
        (conversation_id,),
    )
    return sorted(rows, key=lambda row: str(row["name"]).casefold())


async def _insert_message(
    connection: aiosqlite.Connection,
    conversation_id: int,
    author_id: int,
    body: str,
    now: int,
    delivery: Delivery | None,
) -> int:
    """A message and every counter it changes: the conversation's last message, and the
    inbox entry and unread count of each member still taking part, who are notified
    (``tinypier.notifications``) when a ``delivery`` is given."""
    cursor = await connection.execute(
        "INSERT INTO messages (conversation_id, author_id, body, body_html, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (conversation_id, author_id, body, await render_bbcode_off_loop(body), now),
    )
    message_id = cursor.lastrowid or 0
    await connection.execute(
        "UPDATE conversations SET last_message_id = ?, last_message_at = ?,"
        " message_count = message_count + 1 WHERE id = ?",
        (message_id, now, conversation_id),
    )
    await connection.execute(
        "UPDATE conversation_members SET last_message_at = ?,"
        " unread = unread + (user_id != ?)"
        " WHERE conversation_id = ? AND removed_after_message_id IS NULL",
        (now, author_id, conversation_id),
    )
    if delivery is not None:
        await on_message(connection, delivery, conversation_id, message_id, author_id)
    return message_id


async def start_conversation(
    db: Database,
    starter_id: int,
    recipient_ids: Sequence[int],
    subject: str,
    body: str,
    delivery: Delivery | None = None,
) -> NewConversation:
    async with db.transaction() as connection:
        return await insert_conversation(
            connection, starter_id, recipient_ids, subject, body, int(time.time()), delivery
        )


async def insert_conversation(
    connection: aiosqlite.Connection,
    starter_id: int,
    recipient_ids: Sequence[int],
    subject: str,
    body: str,
    now: int,
    delivery: Delivery | None = None,
) -> NewConversation:
    """:func:`start_conversation` inside the caller's transaction, dated ``now`` (an
    importer keeps the original date and records its progress in the same transaction,
    and notifies nobody: it gives no ``delivery``)."""
    cursor = await connection.execute(
        "INSERT INTO conversations (subject, starter_id, created_at, last_message_at,"
        " message_count) VALUES (?, ?, ?, ?, 0)",
        (subject.strip(), starter_id, now, now),
    )
    conversation_id = cursor.lastrowid or 0
    await connection.executemany(
        "INSERT INTO conversation_members (conversation_id, user_id, last_message_at, unread)"
        " VALUES (?, ?, ?, 0)",
        [(conversation_id, member_id, now) for member_id in (starter_id, *recipient_ids)],
    )
    message_id = await _insert_message(connection, conversation_id, starter_id, body, now, delivery)
    return NewConversation(conversation_id, message_id)


async def add_message(
    db: Database,
    conversation_id: int,
    author_id: int,
    body: str,
    delivery: Delivery | None = None,
) -> int:
    async with db.transaction() as connection:
        now = int(time.time())
        return await _insert_message(connection, conversation_id, author_id, body, now, delivery)


async def mark_read(db: Database, conversation_id: int, user_id: int) -> int:
    """The conversation read, and the member's notices of its messages with it; returns
    how many notices that marked read (the header's badge drops them)."""
    async with db.transaction() as connection:
        await connection.execute(
            "UPDATE conversation_members SET unread = 0"
            " WHERE conversation_id = ? AND user_id = ? AND unread > 0",
            (conversation_id, user_id),
        )
        return await read_conversation_notices(
            connection, user_id, conversation_id, int(time.time())
        )


async def unread_conversations(db: Database, user_id: int) -> int:
    """How many of the member's conversations hold unread messages (the header badge)."""
    count: int = await db.fetch_value(
        "SELECT COUNT(*) FROM conversation_members WHERE user_id = ? AND unread > 0", (user_id,)
    )
    return count


async def inbox_size(db: Database, user_id: int) -> int:
    count: int = await db.fetch_value(
        "SELECT COUNT(*) FROM conversation_members WHERE user_id = ?", (user_id,)
    )
    return count


async def inbox(db: Database, user_id: int, offset: int, limit: int) -> list[sqlite3.Row]:
    """One page of the member's conversations, the latest activity first."""
    return await db.fetch_all(
        "SELECT c.id, c.subject, c.starter_id, m.unread, m.last_message_at,"
        " m.removed_after_message_id FROM conversation_members m"
        " JOIN conversations c ON c.id = m.conversation_id"
        " WHERE m.user_id = ? ORDER BY m.last_message_at DESC, m.conversation_id DESC"
        " LIMIT ? OFFSET ?",
        (user_id, limit, offset),
    )


async def readable_count(db: Database, conversation_id: int, up_to: int | None) -> int:
    count: int = await db.fetch_value(
        "SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND id <= ?",
        (conversation_id, _no_later_than(up_to)),
    )
    return count


async def messages_before(db: Database, conversation_id: int, message_id: int) -> int:
    """How many messages of the conversation precede this one: its 0-based position."""
    count: int = await db.fetch_value(
        "SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND id < ?",
        (conversation_id, message_id),
    )
    return count


def _no_later_than(up_to: int | None) -> int:
    return 2**63 - 1 if up_to is None else up_to


async def messages(
    db: Database, conversation_id: int, up_to: int | None, offset: int, limit: int
) -> list[sqlite3.Row]:
    """A page of the conversation's messages, oldest first, none after ``up_to``."""
    return await db.fetch_all(
        "SELECT m.id, m.author_id, u.name AS author_name, m.body, m.body_html, m.created_at"
        " FROM messages m JOIN users u ON u.id = m.author_id"
        " WHERE m.conversation_id = ? AND m.id <= ? ORDER BY m.id LIMIT ? OFFSET ?",
        (conversation_id, _no_later_than(up_to), limit, offset),
    )


async def message(db: Database, message_id: int) -> sqlite3.Row | None:
    return await db.fetch_one(
        "SELECT m.id, m.conversation_id, m.author_id, u.name AS author_name, m.body"
        " FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id = ?",
        (message_id,),
    )


async def leave(db: Database, conversation_id: int, user_id: int) -> None:
    """The member's place goes; the conversation goes with its last member."""
    async with db.transaction() as connection:
        await connection.execute(
            "DELETE FROM conversation_members WHERE conversation_id = ? AND user_id = ?",
            (conversation_id, user_id),
        )
        await connection.execute(
            "DELETE FROM conversations WHERE id = ? AND NOT EXISTS"
            " (SELECT 1 FROM conversation_members WHERE conversation_id = ?)",
            (conversation_id, conversation_id),
        )


async def remove_participant(db: Database, conversation_id: int, user_id: int) -> bool:
    """Stop a member at the conversation's current last message; False if they were
    not taking part."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "UPDATE conversation_members SET unread = 0, removed_after_message_id ="
            " (SELECT last_message_id FROM conversations WHERE id = ?)"
            " WHERE conversation_id = ? AND user_id = ? AND removed_after_message_id IS NULL",
            (conversation_id, conversation_id, user_id),
        )
        return cursor.rowcount > 0


async def block(db: Database, user_id: int, blocked_id: int) -> None:
    await db.execute(
        "INSERT OR IGNORE INTO message_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)",
        (user_id, blocked_id, int(time.time())),
    )


async def unblock(db: Database, user_id: int, blocked_id: int) -> bool:
    """Lift a block; False when there was none."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "DELETE FROM message_blocks WHERE user_id = ? AND blocked_id = ?",
            (user_id, blocked_id),
        )
        return cursor.rowcount > 0


async def blocked_members(db: Database, user_id: int) -> list[sqlite3.Row]:
    return await db.fetch_all(
        "SELECT u.id, u.name, b.created_at FROM message_blocks b"
        " JOIN users u ON u.id = b.blocked_id WHERE b.user_id = ? ORDER BY u.name",
        (user_id,),
    )


async def report(db: Database, message_id: int, reporter_id: int, reason: str) -> bool:
    """File a report; False when this member already reported this message."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "INSERT OR IGNORE INTO message_reports (message_id, reporter_id, reason, created_at)"
            " VALUES (?, ?, ?, ?)",
            (message_id, reporter_id, reason.strip(), int(time.time())),
        )
        return cursor.rowcount > 0


async def open_reports(db: Database, limit: int = OPEN_REPORTS_SHOWN) -> list[sqlite3.Row]:
    """The newest open reports, at most ``limit``."""
    return await db.fetch_all(
        "SELECT r.id, r.reason, r.created_at, reporter.name AS reporter_name,"
        " author.name AS author_name, c.subject"
        " FROM message_reports r JOIN messages m ON m.id = r.message_id"
        " JOIN conversations c ON c.id = m.conversation_id"
        " JOIN users reporter ON reporter.id = r.reporter_id"
        " JOIN users author ON author.id = m.author_id"
        " WHERE r.closed_at IS NULL ORDER BY r.id DESC LIMIT ?",
        (limit,),
    )


async def open_report(db: Database, report_id: int) -> sqlite3.Row | None:
    """An open report with its message's conversation; None once closed."""
    return await db.fetch_one(
        "SELECT r.id, r.message_id, r.reason, r.created_at, reporter.name AS reporter_name,"
        " m.conversation_id, c.subject, c.starter_id"
        " FROM message_reports r JOIN messages m ON m.id = r.message_id"
        " JOIN conversations c ON c.id = m.conversation_id"
        " JOIN users reporter ON reporter.id = r.reporter_id"
        " WHERE r.id = ? AND r.closed_at IS NULL",
        (report_id,),
    )


async def report_context(db: Database, conversation_id: int, message_id: int) -> list[sqlite3.Row]:
    """The reported message and at most ``REPORT_CONTEXT_MESSAGES`` before it, oldest
    first: what its moderators read, and nothing after it."""
    rows = await db.fetch_all(
        "SELECT m.id, m.author_id, u.name AS author_name, m.body_html, m.created_at"
        " FROM messages m JOIN users u ON u.id = m.author_id"
        " WHERE m.conversation_id = ? AND m.id <= ? ORDER BY m.id DESC LIMIT ?",
        (conversation_id, message_id, REPORT_CONTEXT_MESSAGES + 1),
    )
    return rows[::-1]


async def close_report(db: Database, report_id: int, moderator_id: int) -> bool:
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "UPDATE message_reports SET closed_by = ?, closed_at = ?"
            " WHERE id = ? AND closed_at IS NULL",
            (moderator_id, int(time.time()), report_id),
        )
        return cursor.rowcount > 0
