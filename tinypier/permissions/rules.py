"""The policy as Python checks on a forum row (or a release row carrying its forum's roles).

A forum row carries the least role for each action (``view_role``, ``topic_role``,
``reply_role``, ``download_role``); a release also has a ``status``, and a frozen one
(closed, duplicate, consumed) is downloadable by nobody. Guests never post or download.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer
from tinypier.torrents.statuses import is_frozen

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


def can_edit_post(viewer: Viewer, author_id: int, topic_locked: bool) -> bool:
    """Authors edit their own posts while the topic is open; moderators edit any post."""
    if viewer.is_moderator:
        return True
    return viewer.is_member and viewer.id == author_id and not topic_locked


def can_see_deleted(viewer: Viewer) -> bool:
    """Deleted topics and posts stay for moderators, marked, so they can restore them;
    for everyone else they no longer exist."""
    return viewer.is_moderator


def can_view_topic(viewer: Viewer, topic: ForumRow) -> bool:
    """A topic row carrying its forum's roles (and a post row, its own and its topic's
    ``deleted_at``): viewable in a viewable forum unless deleted, which only moderators see."""
    deleted = topic["deleted_at"] is not None or topic["topic_deleted_at"] is not None
    return can_view(viewer, topic) and (not deleted or can_see_deleted(viewer))


def can_moderate(viewer: Viewer, forum: ForumRow) -> bool:
    """Moderators are global: they act in every forum they may view."""
    return viewer.is_moderator and can_view(viewer, forum)


def least_role_to_download(view_role: str, download_role: str) -> Role:
    """The lowest role that may take a release's .torrent and join its swarm: a member
    who may view the forum and holds its download role. The tracker caches this rank
    with each release, so its check costs one comparison per announce."""
    return max(Role.USER, Role.parse(view_role), Role.parse(download_role))


def can_download(viewer: Viewer, forum: ForumRow) -> bool:
    """Whether the viewer's role may download from this forum (status aside)."""
    return viewer.is_member and viewer.role >= least_role_to_download(
        forum["view_role"], forum["download_role"]
    )


def may_download_release(viewer: Viewer, release: ForumRow) -> bool:
    """A release row with its forum's roles: downloadable by members with the forum's
    download role, unless a moderator froze it. The info hash and the magnet link are
    shown only where this holds, since either is enough to join the swarm."""
    return can_download(viewer, release) and not is_frozen(release["status"])


def can_thank(viewer: Viewer, release: ForumRow) -> bool:
    """A member who may view a release thanks it; its uploader does not thank themself."""
    return viewer.is_member and can_view(viewer, release) and viewer.id != release["uploader_id"]


def can_add_poll(viewer: Viewer, topic: ForumRow) -> bool:
    """A topic row with its forum's roles: its starter adds a poll while the topic is open;
    moderators add one to any topic they may view."""
    if can_moderate(viewer, topic):
        return True
    starter = viewer.is_member and viewer.id == topic["author_id"]
    return starter and can_view(viewer, topic) and not topic["locked"]


def can_vote(viewer: Viewer, topic: ForumRow) -> bool:
    """Members who may view a topic vote in its poll, unless the topic is locked."""
    return viewer.is_member and can_view(viewer, topic) and not topic["locked"]


def can_read_ledger(viewer: Viewer, member_id: int) -> bool:
    """A member's points ledger (points, upload credit, exchanges) is theirs to read, and
    every admin's, who grant and take points; other members see only the balance."""
    return viewer.is_member and (viewer.id == member_id or viewer.is_admin)
