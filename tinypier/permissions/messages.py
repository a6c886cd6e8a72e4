"""The policy for private messages: who may write, read, reply, remove and moderate.

A conversation is private to its members. Nobody else reads it, moderators and admins
included, except one way: a participant reports a message, and while that report is
open moderators read the reported message and the conversation up to it (never what
follows). A member's place in a conversation is their ``conversation_members`` row:
absent when they never took part or left; with ``removed_after_message_id`` set when the
starter or an admin removed them, who then read only up to that message.
"""

from __future__ import annotations

from tinypier.accounts.viewer import Viewer
from tinypier.permissions.rules import ForumRow

MembershipRow = ForumRow
"""A ``conversation_members`` row (any mapping with its columns)."""


def can_message(viewer: Viewer) -> bool:
    """Members write and read private messages; guests never. A disabled member's
    session reads as a guest (``accounts.sessions``), so they cannot either."""
    return viewer.is_member


def can_receive_messages(recipient_disabled: bool) -> bool:
    """A disabled member receives nothing: no one would read it."""
    return not recipient_disabled


def can_read_conversation(viewer: Viewer, membership: MembershipRow | None) -> bool:
    """Only the conversation's members (current, or removed: up to their removal)."""
    return can_message(viewer) and membership is not None


def last_readable_message(membership: MembershipRow) -> int | None:
    """The newest message id this member may read; None when they read it all."""
    removed_after: int | None = membership["removed_after_message_id"]
    return removed_after


def can_write_in_conversation(viewer: Viewer, membership: MembershipRow | None) -> bool:
    """Members still taking part reply; a removed member no longer does."""
    return (
        can_read_conversation(viewer, membership)
        and membership is not None
        and last_readable_message(membership) is None
    )


def can_remove_participant(
    viewer: Viewer, starter_id: int, membership: MembershipRow | None
) -> bool:
    """The starter, while taking part, removes others; admins remove anyone, as they act
    on a report, without reading the conversation themselves."""
    if viewer.is_admin:
        return True
    return viewer.id == starter_id and can_write_in_conversation(viewer, membership)


def can_report_message(viewer: Viewer, author_id: int) -> bool:
    """A reader reports what others wrote to them (they may read it: the caller checks)."""
    return can_message(viewer) and viewer.id != author_id


def can_read_reported_messages(viewer: Viewer) -> bool:
    """Moderators and admins read a message under an open report, and nothing else."""
    return viewer.is_moderator
