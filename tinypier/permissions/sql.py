"""The policy as SQL filters: listings, counts, search and feeds filter in the database,
so a private forum never leaks into a count, a page or a snippet."""

from __future__ import annotations

from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer
from tinypier.torrents.statuses import FROZEN_STATUSES


def roles_up_to(viewer: Viewer) -> list[str]:
    return [role.label for role in Role if role <= viewer.role]


def visible_forums_clause(viewer: Viewer, forum_alias: str = "f") -> tuple[str, list[str]]:
    """``(sql, params)`` restricting ``forum_alias`` to forums the viewer may view."""
    roles = roles_up_to(viewer)
    placeholders = ", ".join("?" for _ in roles)
    return f"{forum_alias}.view_role IN ({placeholders})", roles


def open_releases_clause(release_alias: str = "t") -> tuple[str, list[str]]:
    """``(sql, params)`` keeping the releases no moderator froze: nobody may download a
    closed, duplicate or consumed release, so what offers downloads leaves them out."""
    frozen = sorted(FROZEN_STATUSES)
    placeholders = ", ".join("?" for _ in frozen)
    return f"{release_alias}.status NOT IN ({placeholders})", frozen


def live_clause(alias: str) -> str:
    """SQL keeping the topics or posts (``alias``) no moderator deleted: what members read.

    Search, feeds, member pages and counters use it for everyone, moderators included;
    only the forum and topic pages show moderators the deleted ones, marked."""
    return f"{alias}.deleted_at IS NULL"


def live_release_clause(release_alias: str = "t") -> str:
    """SQL keeping the releases whose topic is not deleted: a deleted release topic's
    torrent leaves the tracker page, the API, the feeds and the swarm (its file stays,
    for a restore). One primary-key lookup per release row."""
    return (
        "NOT EXISTS (SELECT 1 FROM topics deleted_topic"  # noqa: S608 - an alias of ours
        f" WHERE deleted_topic.id = {release_alias}.topic_id"
        " AND deleted_topic.deleted_at IS NOT NULL)"
    )


def downloadable_releases_clause(
    viewer: Viewer, forum_alias: str = "f", release_alias: str = "t"
) -> tuple[str, list[str]]:
    """``(sql, params)`` keeping the releases the viewer may download, the SQL form of
    ``may_download_release``: a member who may view the forum, holds its download role,
    and the release is not frozen. Guests download nothing."""
    if not viewer.is_member:
        return "0", []
    visible_sql, visible_params = visible_forums_clause(viewer, forum_alias)
    roles = roles_up_to(viewer)
    placeholders = ", ".join("?" for _ in roles)
    open_sql, open_params = open_releases_clause(release_alias)
    return (
        f"{visible_sql} AND {forum_alias}.download_role IN ({placeholders}) AND {open_sql}",
        [*visible_params, *roles, *open_params],
    )
