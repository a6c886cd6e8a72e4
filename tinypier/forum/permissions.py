"""Who may see and do what in a forum. Every listing, search, feed and API call asks here.

A forum row carries the least role for each action (``view_role``, ``topic_role``,
``reply_role``, ``download_role``). The SQL helper lets queries filter by visibility in
the database, so private forums never leak into counts, pages or snippets.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer

# sqlite3.Row reads like a mapping but typeshed does not declare it one.
ForumRow = Mapping[str, Any] | sqlite3.Row


def can_view(viewer: Viewer, forum: ForumRow) -> bool:
    return viewer.may(forum["view_role"])


def can_start_topic(viewer: Viewer, forum: ForumRow) -> bool:
    return viewer.is_member and can_view(viewer, forum) and viewer.may(forum["topic_role"])


def can_reply(viewer: Viewer, forum: ForumRow, topic_locked: bool) -> bool:
    if not (viewer.is_member and can_view(viewer, forum) and viewer.may(forum["reply_role"])):
        return False
    return not topic_locked or viewer.is_moderator


def can_download(viewer: Viewer, forum: ForumRow) -> bool:
    return viewer.is_member and can_view(viewer, forum) and viewer.may(forum["download_role"])


def roles_up_to(viewer: Viewer) -> list[str]:
    return [role.label for role in Role if role <= viewer.role]


def visible_forums_clause(viewer: Viewer, forum_alias: str = "f") -> tuple[str, list[str]]:
    """``(sql, params)`` restricting ``forum_alias`` to forums the viewer may view."""
    roles = roles_up_to(viewer)
    placeholders = ", ".join("?" for _ in roles)
    return f"{forum_alias}.view_role IN ({placeholders})", roles
