"""The policy as Python checks on a forum row (or a release row carrying its forum's roles).

A forum row carries the least role for each action (``view_role``, ``topic_role``,
``reply_role``, ``download_role``); a release also has a ``status``, and a frozen one
(closed, duplicate, consumed) is downloadable by nobody. Guests never post or download.

Each check allows what the viewer's role allows OR what their groups grant in that forum
(``permissions.grants``): grants only add. The role's ``view_role`` both lists a forum
and opens its topics; a group may grant ``view`` (listed) without ``read`` (opened).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer
from tinypier.permissions.grants import Right
from tinypier.release_statuses import is_frozen

# sqlite3.Row reads like a mapping but typeshed does not declare it one.
ForumRow = Mapping[str, Any] | sqlite3.Row


def forum_id_of(row: ForumRow) -> int:
    """The forum a row is about: its ``forum_id`` (a topic, a release, a forum loaded
    with ``lookup.FORUM_COLUMNS``), else its ``id`` (a plain ``forums`` row)."""
    # sqlite3.Row answers `in` over its values, not its keys.
    forum_id: int = row["forum_id"] if "forum_id" in row.keys() else row["id"]  # noqa: SIM118
    return forum_id


def granted(viewer: Viewer, forum: ForumRow, right: Right) -> bool:
    """Whether the viewer's groups grant ``right`` in this forum (members only)."""
    return bool(viewer.grants) and viewer.grants.allows(forum_id_of(forum), right)


def can_view(viewer: Viewer, forum: ForumRow) -> bool:
    """The forum is listed for the viewer, with its topics' titles."""
    return viewer.may(forum["view_role"]) or granted(viewer, forum, Right.VIEW)


def can_read(viewer: Viewer, forum: ForumRow) -> bool:
    """The viewer opens the forum's topics and reads their posts (search, feeds too)."""
    return viewer.may(forum["view_role"]) or granted(viewer, forum, Right.READ)


def can_start_topic(viewer: Viewer, forum: ForumRow) -> bool:
    if not (viewer.is_member and can_read(viewer, forum)):
        return False
    return viewer.may(forum["topic_role"]) or granted(viewer, forum, Right.POST)


def can_upload_release(viewer: Viewer, forum: ForumRow) -> bool:
    """A release is a topic with a .torrent: the forum's topic role, or a group's
    ``upload`` (or ``post``) grant there."""
    return can_start_topic(viewer, forum) or (
        viewer.is_member and granted(viewer, forum, Right.UPLOAD)
    )


def can_reply(viewer: Viewer, forum: ForumRow, topic_locked: bool) -> bool:
    if not (viewer.is_member and can_read(viewer, forum)):
        return False
    if not (viewer.may(forum["reply_role"]) or granted(viewer, forum, Right.REPLY)):
        return False
    return not topic_locked or can_moderate(viewer, forum)


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
    return can_read(viewer, topic) and (not deleted or can_see_deleted_in(viewer, topic))


def can_see_deleted_in(viewer: Viewer, forum: ForumRow) -> bool:
    """Deleted topics and posts of one forum: its moderators (global or by group)."""
    return can_see_deleted(viewer) or granted(viewer, forum, Right.MODERATE)


def can_moderate(viewer: Viewer, forum: ForumRow) -> bool:
    """Moderators are global: they act in every forum they may view. A group's
    ``moderate`` grant makes its members moderators of that forum alone."""
    return (viewer.is_moderator and can_read(viewer, forum)) or (
        viewer.is_member and granted(viewer, forum, Right.MODERATE)
    )


def moderates_anywhere(viewer: Viewer) -> bool:
    """A global moderator, or a member whose group moderates some forum: who reaches the
    moderation routes at all (each action then asks :func:`can_moderate`)."""
    return viewer.is_moderator or (
        viewer.is_member and bool(viewer.grants.forums_with(Right.MODERATE))
    )


def least_role_to_download(view_role: str, download_role: str) -> Role:
    """The lowest role that may take a release's .torrent and join its swarm: a member
    who may view the forum and holds its download role. The tracker caches this rank
    with each release, so its check costs one comparison per announce."""
    return max(Role.USER, Role.parse(view_role), Role.parse(download_role))


def can_download(viewer: Viewer, forum: ForumRow) -> bool:
    """Whether the viewer's role, or a group's ``download`` grant, lets them download
    from this forum (status aside). The tracker asks the same through
    :func:`may_announce`."""
    if not viewer.is_member:
        return False
    least = least_role_to_download(forum["view_role"], forum["download_role"])
    return may_announce(
        int(viewer.role),
        int(least),
        forum_id_of(forum),
        viewer.grants.forums_with(Right.DOWNLOAD) if viewer.grants else (),
    )


def may_announce(
    rank: int, least_rank: int, forum_id: int, download_forums: tuple[int, ...] | frozenset[int]
) -> bool:
    """The tracker's form of :func:`can_download` on what it caches: the member's role
    rank and the forums their groups let them download from, the release's least rank
    and forum. A comparison and, only for members of a group, a set lookup."""
    return rank >= least_rank or (bool(download_forums) and forum_id in download_forums)


def may_download_release(viewer: Viewer, release: ForumRow) -> bool:
    """A release row with its forum's roles: downloadable by members with the forum's
    download role, unless a moderator froze it. The info hash and the magnet link are
    shown only where this holds, since either is enough to join the swarm."""
    return can_download(viewer, release) and not is_frozen(release["status"])


def can_thank(viewer: Viewer, release: ForumRow) -> bool:
    """A member who may view a release thanks it; its uploader does not thank themself."""
    return viewer.is_member and can_read(viewer, release) and viewer.id != release["uploader_id"]


def can_add_poll(viewer: Viewer, topic: ForumRow) -> bool:
    """A topic row with its forum's roles: its starter adds a poll while the topic is open;
    moderators add one to any topic they may view."""
    if can_moderate(viewer, topic):
        return True
    starter = viewer.is_member and viewer.id == topic["author_id"]
    return starter and can_read(viewer, topic) and not topic["locked"]


def can_vote(viewer: Viewer, topic: ForumRow) -> bool:
    """Members who may view a topic vote in its poll, unless the topic is locked."""
    return viewer.is_member and can_read(viewer, topic) and not topic["locked"]


def can_see_swarm(viewer: Viewer, release: ForumRow) -> bool:
    """A release row with its forum's roles: who may download from its forum sees who is in
    its swarm and who completed it (a frozen release's lists too: they are its history)."""
    return can_download(viewer, release)


def can_see_peer_addresses(viewer: Viewer) -> bool:
    """IP addresses and ports locate a member's computer: moderators only."""
    return viewer.is_moderator


def can_see_member_torrents(viewer: Viewer, member_id: int) -> bool:
    """What a member seeds, leeches, completed and owes is theirs and the moderators' to
    see, not other members'."""
    return viewer.is_member and (viewer.id == member_id or viewer.is_moderator)


def can_read_ledger(viewer: Viewer, member_id: int) -> bool:
    """A member's points ledger (points, upload credit, exchanges) is theirs to read, and
    every admin's, who grant and take points; other members see only the balance."""
    return viewer.is_member and (viewer.id == member_id or viewer.is_admin)
