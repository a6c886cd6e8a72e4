"""The policy for groups themselves: who joins, asks, leaves and manages members.

What a group grants in forums is resolved with every other right (``rules``, ``sql``,
``grants``); this module only says who may change who is in a group. A membership
status is ``member``, ``leader``, ``pending`` or None (not in the group).
"""

from __future__ import annotations

from tinypier.accounts.viewer import Viewer


def can_administer_groups(viewer: Viewer) -> bool:
    """Admins create, edit and delete groups, name leaders and grant forum rights."""
    return viewer.is_admin


def can_manage_members(viewer: Viewer, status: str | None) -> bool:
    """A group's leaders and admins add and remove members and answer requests."""
    return can_administer_groups(viewer) or (viewer.is_member and status == "leader")


def can_join(viewer: Viewer, join_mode: str, status: str | None) -> bool:
    """A member not yet in an open group joins it by themselves."""
    return viewer.is_member and status is None and join_mode == "open"


def can_request(viewer: Viewer, join_mode: str, status: str | None) -> bool:
    """A member not yet in a request group asks to join it."""
    return viewer.is_member and status is None and join_mode == "request"


def can_leave(viewer: Viewer, status: str | None) -> bool:
    """Anyone in a group leaves it (or withdraws their request), whatever its mode."""
    return viewer.is_member and status is not None
