"""The reads behind the member torrent pages and a release's swarm lists.

Every list is one page of ``page_size`` rows plus one (to know a next page exists), at an
offset of at most ``torrent_list_pages_max`` pages, and starts from an index on its owner:
a member's peers (``ix_peers_user_id``), snatches (``ix_snatches_user_id``), uploads
(``ix_torrents_uploader_id``) and hit-and-runs (their primary key); a release's peers
(the peers' primary key) and snatches (``ix_snatches_torrent_newest``). Releases in
forums the viewer may not view, or whose topic a moderator deleted, are left out.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.hit_and_run.obligations import SEEDED, UPLOADED, Terms, settled_sql
from tinypier.permissions.sql import live_release_clause, visible_forums_clause


@dataclass(frozen=True, slots=True)
class Page:
    """Which rows of a list: the page number (from 1) and its size."""

    number: int
    size: int

    @property
    def limit_offset(self) -> tuple[int, int]:
        return self.size + 1, (self.number - 1) * self.size


RELEASE_COLUMNS = (
    "t.id AS torrent_id, t.topic_id, t.title, t.total_size, t.seeders, t.leechers, t.completed"
)

# A completed release with what the tracker recorded of the member in it: the snatched
# list and the obligations still running read the same figures from the same join.
SNATCH_FIGURES = f"s.completed_at, {SEEDED} AS seeding_seconds, {UPLOADED} AS uploaded"
SNATCH_TRANSFERS = (
    " FROM snatches s JOIN torrents t ON t.id = s.torrent_id"
    " LEFT JOIN transfers x ON x.torrent_id = s.torrent_id AND x.user_id = s.user_id"
)


def _visible_release_join(viewer: Viewer) -> tuple[str, list[str | int]]:
    visible_sql, params = visible_forums_clause(viewer, "f")
    return (
        f" JOIN forums f ON f.id = t.forum_id WHERE {visible_sql} AND {live_release_clause('t')}",
        params,
    )


async def _page(db: Database, sql: str, params: list[object], page: Page) -> list[sqlite3.Row]:
    return await db.fetch_all(f"{sql} LIMIT ? OFFSET ?", [*params, *page.limit_offset])


async def member_peers(
    db: Database, viewer: Viewer, member_id: int, seeding: bool, page: Page
) -> list[sqlite3.Row]:
    """The releases the member seeds (``seeding``) or leeches now, one row per release
    however many clients they run in it, newest release first."""
    join_sql, params = _visible_release_join(viewer)
    return await _page(
        db,
        f"SELECT {RELEASE_COLUMNS}, MIN(p.left) AS left, SUM(p.uploaded) AS uploaded,"  # noqa: S608
        " SUM(p.downloaded) AS downloaded, MAX(p.last_announce_at) AS last_announce_at,"
        " MAX(p.client) AS client FROM peers p JOIN torrents t ON t.id = p.torrent_id"
        f"{join_sql} AND p.user_id = ? AND (p.left = 0) = ?"
        " GROUP BY p.torrent_id ORDER BY p.torrent_id DESC",
        [*params, member_id, seeding],
        page,
    )


async def member_snatches(
    db: Database, viewer: Viewer, member_id: int, page: Page
) -> list[sqlite3.Row]:
    """The releases the member completed, newest first, with what the tracker recorded of
    them: seeding time, uploaded and downloaded on each."""
    join_sql, params = _visible_release_join(viewer)
    return await _page(
        db,
        f"SELECT {RELEASE_COLUMNS}, {SNATCH_FIGURES},"
        f" COALESCE(x.downloaded, 0) AS downloaded{SNATCH_TRANSFERS}"
        f"{join_sql} AND s.user_id = ? ORDER BY s.id DESC",
        [*params, member_id],
        page,
    )


async def member_uploads(
    db: Database, viewer: Viewer, member_id: int, page: Page
) -> list[sqlite3.Row]:
    """The releases the member uploaded, newest first, with their swarms."""
    join_sql, params = _visible_release_join(viewer)
    return await _page(
        db,
        f"SELECT {RELEASE_COLUMNS}, t.created_at FROM torrents t"  # noqa: S608
        f"{join_sql} AND t.uploader_id = ? ORDER BY t.id DESC",
        [*params, member_id],
        page,
    )


async def member_pending(
    db: Database, viewer: Viewer, member_id: int, rules: Terms, page: Page
) -> list[sqlite3.Row]:
    """The member's obligations still running: completed releases the sweep has not judged
    yet (past its mark) and not settled by its rule (``settled_sql``), the soonest due
    first."""
    join_sql, params = _visible_release_join(viewer)
    settled, settled_params = settled_sql(rules)
    return await _page(
        db,
        f"SELECT {RELEASE_COLUMNS}, {SNATCH_FIGURES}{SNATCH_TRANSFERS}"
        " JOIN hit_and_run_sweep mark ON mark.id = 1"
        f"{join_sql} AND s.user_id = ? AND t.uploader_id != s.user_id"
        " AND (s.completed_at > mark.through_at"
        " OR (s.completed_at = mark.through_at AND s.id > mark.through_id))"
        f" AND NOT {settled} ORDER BY s.completed_at, s.id",
        [*params, member_id, *settled_params],
        page,
    )


async def member_hit_and_runs(
    db: Database, viewer: Viewer, member_id: int, page: Page
) -> list[sqlite3.Row]:
    """The member's recorded hit-and-runs, active ones first, each newest first."""
    join_sql, params = _visible_release_join(viewer)
    return await _page(
        db,
        f"SELECT {RELEASE_COLUMNS}, h.completed_at, h.recorded_at, h.cleared_at,"  # noqa: S608
        f" {SEEDED} AS seeding_seconds, {UPLOADED} AS uploaded"
        " FROM hit_and_runs h JOIN torrents t ON t.id = h.torrent_id"
        " LEFT JOIN transfers x ON x.torrent_id = h.torrent_id AND x.user_id = h.user_id"
        f"{join_sql} AND h.user_id = ?"
        " ORDER BY h.cleared_at IS NOT NULL, h.recorded_at DESC, h.torrent_id DESC",
        [*params, member_id],
        page,
    )


async def release_peers(db: Database, torrent_id: int, page: Page) -> list[sqlite3.Row]:
    """A release's swarm: seeders first, then by what each uploaded."""
    return await _page(
        db,
        "SELECT p.user_id, u.name AS user_name, p.client, p.uploaded, p.downloaded, p.left,"
        " p.ipv4, p.ipv6, p.port, p.last_announce_at"
        " FROM peers p JOIN users u ON u.id = p.user_id WHERE p.torrent_id = ?"
        " ORDER BY p.left = 0 DESC, p.uploaded DESC, p.user_id, p.peer_id",
        [torrent_id],
        page,
    )


async def release_snatches(db: Database, torrent_id: int, page: Page) -> list[sqlite3.Row]:
    """Who completed a release, newest first, with their seeding time and upload on it."""
    return await _page(
        db,
        f"SELECT s.user_id, u.name AS user_name, s.completed_at, {SEEDED} AS seeding_seconds,"  # noqa: S608
        f" {UPLOADED} AS uploaded FROM snatches s JOIN users u ON u.id = s.user_id"
        " LEFT JOIN transfers x ON x.torrent_id = s.torrent_id AND x.user_id = s.user_id"
        " WHERE s.torrent_id = ? ORDER BY s.completed_at DESC, s.id DESC",
        [torrent_id],
        page,
    )
