"""The private-message rules of the one policy, role by role and place by place."""

from __future__ import annotations

import pytest

from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import GUEST, Viewer
from tinypier.permissions.messages import (
    can_message,
    can_read_conversation,
    can_read_reported_messages,
    can_remove_participant,
    can_report_message,
    can_write_in_conversation,
)

MEMBER = Viewer(1, "member", Role.USER)
MODERATOR = Viewer(2, "moderator", Role.MODERATOR)
ADMIN = Viewer(3, "admin", Role.ADMIN)
TAKING_PART = {"removed_after_message_id": None}
REMOVED = {"removed_after_message_id": 10}


def test_guests_neither_write_nor_read() -> None:
    assert not can_message(GUEST)
    assert not can_read_conversation(GUEST, TAKING_PART)


@pytest.mark.parametrize("viewer", [MEMBER, MODERATOR, ADMIN], ids=lambda v: v.name)
def test_only_a_place_in_the_conversation_opens_it_whatever_the_role(viewer: Viewer) -> None:
    assert not can_read_conversation(viewer, None)
    assert can_read_conversation(viewer, TAKING_PART)
    assert can_read_conversation(viewer, REMOVED), "up to the removal"


def test_a_removed_member_reads_but_no_longer_writes() -> None:
    assert can_write_in_conversation(MEMBER, TAKING_PART)
    assert not can_write_in_conversation(MEMBER, REMOVED)


def test_the_starter_taking_part_and_admins_remove_members() -> None:
    assert can_remove_participant(MEMBER, starter_id=1, membership=TAKING_PART)
    assert not can_remove_participant(MEMBER, starter_id=1, membership=REMOVED)
    assert not can_remove_participant(MEMBER, starter_id=9, membership=TAKING_PART)
    assert not can_remove_participant(MODERATOR, starter_id=9, membership=None)
    assert can_remove_participant(ADMIN, starter_id=9, membership=None)


def test_members_report_others_messages_and_staff_read_reports() -> None:
    assert can_report_message(MEMBER, author_id=2)
    assert not can_report_message(MEMBER, author_id=1)
    assert not can_read_reported_messages(MEMBER)
    assert can_read_reported_messages(MODERATOR) and can_read_reported_messages(ADMIN)
