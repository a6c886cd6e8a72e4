"""A page of the inbox, or of a conversation, as the pages and the API both show them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.pagination import Pagination, paginate
from tinypier.messages import store
from tinypier.messages.access import Place, readable_conversation


@dataclass(frozen=True)
class InboxPage:
    conversations: list[sqlite3.Row]
    participants: dict[int, list[str]]
    pagination: Pagination


async def inbox_page(db: Database, member_id: int, page: str | None, per_page: int) -> InboxPage:
    """One page of the member's conversations, latest activity first, with who takes part."""
    pagination = paginate(page, await store.inbox_size(db, member_id), per_page)
    rows = await store.inbox(db, member_id, pagination.offset, per_page)
    return InboxPage(rows, await store.participants(db, [row["id"] for row in rows]), pagination)


@dataclass(frozen=True)
class ConversationPage:
    place: Place
    messages: list[sqlite3.Row]
    pagination: Pagination
    marked_read: bool
    # The reader's notices of this conversation that reading it marked read.
    notices_read: int = 0


async def read_conversation(
    db: Database, viewer: Viewer, conversation_id: int, page: str | None, per_page: int
) -> ConversationPage:
    """A page of the messages the viewer may read, oldest first; reading marks the
    conversation read, the one change this makes, to the reader's own unread count."""
    place = await readable_conversation(db, viewer, conversation_id)
    total = await store.readable_count(db, conversation_id, place.up_to)
    pagination = paginate(page, total, per_page)
    rows = await store.messages(db, conversation_id, place.up_to, pagination.offset, per_page)
    marked_read = bool(place.membership["unread"])
    notices_read = 0
    if marked_read:
        notices_read = await store.mark_read(db, conversation_id, viewer.id or 0)
    return ConversationPage(place, rows, pagination, marked_read, notices_read)
