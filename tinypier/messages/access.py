"""Loading a conversation or a message for a viewer: what they may not read does not exist.

A conversation someone never took part in, or left, answers 404 exactly like one that
never existed (``NotVisible``), to everyone, moderators and admins included: its subject
and members never leak. Moderators read reported messages through ``reports`` instead.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import _
from tinypier.messages import store
from tinypier.permissions.lookup import NotVisible
from tinypier.permissions.messages import (
    can_message,
    can_read_conversation,
    can_write_in_conversation,
    last_readable_message,
)


def may_message(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    """The policy's ``can_message`` as the guard of every message route: guests, and
    disabled members (whose sessions read as a guest's), are asked to log in."""
    if not can_message(connection.user):
        raise NotAuthorizedException(_("Log in to continue."))


@dataclass(frozen=True)
class Place:
    """A viewer's place in a conversation they may read."""

    conversation: sqlite3.Row
    membership: sqlite3.Row

    @property
    def up_to(self) -> int | None:
        """The newest message they may read; None for all of them."""
        return last_readable_message(self.membership)


async def readable_conversation(db: Database, viewer: Viewer, conversation_id: int) -> Place:
    membership = await store.membership(db, conversation_id, viewer.id or 0)
    conversation = await store.conversation(db, conversation_id)
    if conversation is None or membership is None:
        raise NotVisible(_("There is no such conversation."))
    if not can_read_conversation(viewer, membership):
        raise NotVisible(_("There is no such conversation."))
    return Place(conversation, membership)


async def writable_conversation(db: Database, viewer: Viewer, conversation_id: int) -> Place:
    place = await readable_conversation(db, viewer, conversation_id)
    if not can_write_in_conversation(viewer, place.membership):
        raise PermissionDeniedException(
            _("You were removed from this conversation and can no longer write in it.")
        )
    return place


async def readable_message(
    db: Database, viewer: Viewer, message_id: int, conversation_id: int | None = None
) -> tuple[sqlite3.Row, Place]:
    """A message the viewer may read (in ``conversation_id``, when given)."""
    row = await store.message(db, message_id)
    if row is None or (conversation_id is not None and row["conversation_id"] != conversation_id):
        raise NotVisible(_("There is no such message."))
    try:
        place = await readable_conversation(db, viewer, row["conversation_id"])
    except NotVisible:
        raise NotVisible(_("There is no such message.")) from None
    if place.up_to is not None and message_id > place.up_to:
        raise NotVisible(_("There is no such message."))
    return row, place
