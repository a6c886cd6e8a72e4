"""The policy as SQL filters: listings, counts, search and feeds filter in the database,
so a private forum never leaks into a count, a page or a snippet.

A filter allows what the viewer's role allows OR the forums their groups grant the right
in (``permissions.grants``), inlined as a list of forum ids the viewer carries: no join
per row, and for a viewer in no group the filter is the role's alone."""

from __future__ import annotations

from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer
from tinypier.permissions.grants import Right
from tinypier.release_statuses import FROZEN_STATUSES


def roles_up_to(viewer: Viewer) -> list[str]:
    return [role.label for role in Role if role <= viewer.role]


def _placeholders(values: list[str] | tuple[int, ...]) -> str:
    return ", ".join("?" for _ in values)


def _role_or_granted(
    viewer: Viewer, forum_alias: str, role_column: str, right: Right
) -> tuple[str, list[str | int]]:
    """``(sql, params)``: the forum's ``role_column`` is within the viewer's role, or a
    group grants them ``right`` there."""
    roles = roles_up_to(viewer)
    by_role = f"{forum_alias}.{role_column} IN ({_placeholders(roles)})"
    forums = viewer.grants.forums_with(right) if viewer.grants else ()
    if not forums:
        return by_role, list(roles)
    by_grant = f"{forum_alias}.id IN ({_placeholders(forums)})"
    return f"({by_role} OR {by_grant})", [*roles, *forums]


def visible_forums_clause(viewer: Viewer, forum_alias: str = "f") -> tuple[str, list[str | int]]:
    """``(sql, params)`` restricting ``forum_alias`` to forums the viewer may view:
    listed, with their topics' titles (``rules.can_view``)."""
    return _role_or_granted(viewer, forum_alias, "view_role", Right.VIEW)


def readable_forums_clause(viewer: Viewer, forum_alias: str = "f") -> tuple[str, list[str | int]]:
    """``(sql, params)`` restricting ``forum_alias`` to forums whose posts the viewer
    reads (``rules.can_read``): what search, feeds and member pages show."""
    return _role_or_granted(viewer, forum_alias, "view_role", Right.READ)


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
) -> tuple[str, list[str | int]]:
    """``(sql, params)`` keeping the releases the viewer may download, the SQL form of
    ``may_download_release``: a member who may view the forum and holds its download
    role, or whose group grants download there, and the release is not frozen. Guests
    download nothing."""
    if not viewer.is_member:
        return "0", []
    roles = roles_up_to(viewer)
    by_role = (
        f"{forum_alias}.view_role IN ({_placeholders(roles)})"
        f" AND {forum_alias}.download_role IN ({_placeholders(roles)})"
    )
    params: list[str | int] = [*roles, *roles]
    forums = viewer.grants.forums_with(Right.DOWNLOAD) if viewer.grants else ()
    if forums:
        by_role = f"(({by_role}) OR {forum_alias}.id IN ({_placeholders(forums)}))"
        params.extend(forums)
    open_sql, open_params = open_releases_clause(release_alias)
    return f"{by_role} AND {open_sql}", [*params, *open_params]
