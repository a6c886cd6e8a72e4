"""Group grants keep every filter on indexes: the viewer carries their granted forum ids,
so a filter adds ``f.id IN (...)`` (primary-key lookups), and a member's grants, a
group's members and the tracker's download forums are read through primary keys and
the (group_id, status) index."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

from tests.forum.board import empty_board_connection
from tests.plans import PlanningDatabase
from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer
from tinypier.forum.queries import index_forums
from tinypier.forum.search import SearchRequest, search_sql
from tinypier.groups import queries
from tinypier.permissions.grants import Grants, load_grants
from tinypier.torrents.feeds import feed_releases
from tinypier.torrents.listing import ReleaseFilters, list_releases
from tinypier.tracker.registry import _DOWNLOAD_FORUMS_SQL

GROWING = ("posts", "topics", "torrents", "users", "group_members", "group_grants", "h")
GRANTED = Viewer(
    id=7,
    name="grace",
    role=Role.USER,
    grants=Grants.from_rows([(3, "download"), (4, "view"), (5, "read")]),
)
SCAN_OF_INDEX_OR_PAGE = re.compile(r"SCAN (post_search VIRTUAL TABLE|hits|best|\(subquery-\d+\))")


def test_reads_with_grants_use_indexes(tmp_path: Path) -> None:
    connection = empty_board_connection(tmp_path)
    planner = PlanningDatabase(connection)
    db = planner.as_database()

    async def read_everything() -> None:
        await load_grants(db, 7)
        await index_forums(db, GRANTED)
        await list_releases(db, GRANTED, ReleaseFilters())
        await feed_releases(db, GRANTED, ReleaseFilters(), 50)
        await queries.membership(db, 1, 7)
        await queries.member_count(db, 1, ("member", "leader"))
        await queries.members_page(db, 1, ("member", "leader"), 0)
        await queries.member_ids(db, 1)
        await queries.grants_of(db, 1)

    asyncio.run(read_everything())

    assert any("group_grants" in statement for statement in planner.plans)
    assert any("f.id IN" in statement for statement in planner.plans), "the grants were used"
    assert planner.scans(GROWING) == []


def test_the_trackers_download_forums_are_read_by_key(tmp_path: Path) -> None:
    connection = empty_board_connection(tmp_path)
    steps = [
        str(row[3])
        for row in connection.execute(f"EXPLAIN QUERY PLAN {_DOWNLOAD_FORUMS_SQL}", (7, "download"))
    ]
    assert not [step for step in steps if step.startswith("SCAN")], steps


def test_search_with_grants_walks_the_index(tmp_path: Path) -> None:
    connection: sqlite3.Connection = empty_board_connection(tmp_path)
    sql, params = search_sql(GRANTED, SearchRequest("release notes", None, None, 1))
    assert "f.id IN" in sql
    steps = [str(row[3]) for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    scans = [step for step in steps if step.startswith("SCAN")]
    assert all(SCAN_OF_INDEX_OR_PAGE.match(step) for step in scans), scans
