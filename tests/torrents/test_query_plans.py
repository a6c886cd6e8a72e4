"""Every sort and filter of the /tracker page is answered through an index.

The plans are read from SQLite itself (EXPLAIN QUERY PLAN) on a board of a few thousand
releases, both fresh and after ANALYZE, since the statistics can turn a plan around.
No plan may read the whole torrents table; a plain sort walks its own index and stops
after one page, with no temporary B-tree to sort every release.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import pytest

from bench.tracker_page import seed_releases
from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import GUEST, Viewer
from tinypier.datadir import prepare_data_dir
from tinypier.db.connection import connect_sync
from tinypier.permissions.sql import downloadable_releases_clause, open_releases_clause
from tinypier.settings import Settings
from tinypier.torrents.listing import ReleaseFilters, release_query

MEMBER = Viewer(1, "member1", Role.USER)
SORTS = ("added", "title", "size", "seeders", "leechers", "completed")
SORT_INDEXES = {
    "added": "ix_torrents_created",
    "title": "ix_torrents_title",
    "size": "ix_torrents_size",
    "seeders": "ix_torrents_seeders",
    "leechers": "ix_torrents_leechers",
    "completed": "ix_torrents_completed",
}
# query string -> the indexes the plan may find its rows with. A category holding much
# of the board is cheaper to filter while walking the newest first, and ANALYZE says so.
FILTERS = {
    "forum=3": ("ix_torrents_forum_created",),
    "category=2": ("ix_torrents_forum_created", "SCAN t USING INDEX ix_torrents_created"),
    "q=golden+river": ("release_titles VIRTUAL TABLE",),
    "status=not_checked": ("ix_torrents_status_created",),
    "freeleech=gold": ("ix_torrents_freeleech_created",),
    "mine=1": ("ix_torrents_uploader_id",),
    "snatched=1": ("ix_snatches_user_id",),
    "days=7": ("ix_torrents_created (created_at>?)",),
    "seeded=1": ("ix_torrents_seeded_created",),
}
# Filters whose index is ordered by the default sort, so the newest come first unsorted.
SORTED_BY_THEIR_INDEX = {"forum=3", "status=not_checked", "freeleech=gold", "days=7", "seeded=1"}


@pytest.fixture(scope="module", params=[False, True], ids=["fresh", "analysed"])
def board(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sqlite3.Connection]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("plans") / "data")
    prepare_data_dir(settings)
    connection = connect_sync(settings.database_path)
    seed_releases(connection, 3_000, analyse=request.param)
    yield connection
    connection.close()


def plan(connection: sqlite3.Connection, query: str, viewer: Viewer = MEMBER) -> list[str]:
    pairs = dict(pair.split("=", 1) for pair in query.split("&") if pair)
    filters = ReleaseFilters.from_query(
        {key: value.replace("+", " ") for key, value in pairs.items()}
    )
    sql, params = release_query(viewer, filters, int(time.time()))
    return [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, params)]


def assert_no_full_scan(steps: list[str]) -> None:
    for step in steps:
        if step.startswith("SCAN "):
            assert (
                "USING INDEX" in step or "USING COVERING INDEX" in step or "VIRTUAL TABLE" in step
            ), steps


@pytest.mark.parametrize("order", ["desc", "asc"])
@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_walks_its_own_index_without_sorting(
    board: sqlite3.Connection, sort: str, order: str
) -> None:
    steps = plan(board, f"sort={sort}&order={order}")

    assert_no_full_scan(steps)
    assert any(SORT_INDEXES[sort] in step for step in steps), steps
    assert not any("TEMP B-TREE" in step for step in steps), steps


@pytest.mark.parametrize(
    "viewer", [GUEST, MEMBER, Viewer(2, "admin", Role.ADMIN)], ids=["guest", "member", "admin"]
)
def test_the_visibility_filter_is_a_primary_key_lookup_per_release(
    board: sqlite3.Connection, viewer: Viewer
) -> None:
    steps = plan(board, "", viewer)

    assert steps[0].startswith("SCAN t USING INDEX ix_torrents_created"), steps
    assert "SEARCH f USING INTEGER PRIMARY KEY (rowid=?)" in steps
    assert not any("TEMP B-TREE" in step for step in steps), steps


@pytest.mark.parametrize("query", sorted(FILTERS))
def test_each_filter_finds_its_rows_through_an_index(board: sqlite3.Connection, query: str) -> None:
    steps = plan(board, query)

    assert_no_full_scan(steps)
    assert any(index in step for index in FILTERS[query] for step in steps), steps
    if query in SORTED_BY_THEIR_INDEX:
        assert not any("TEMP B-TREE" in step for step in steps), steps


@pytest.mark.parametrize("query", ["freeleech=any", "seeded=1&sort=size&order=asc"])
def test_broad_filters_walk_the_sort_index(board: sqlite3.Connection, query: str) -> None:
    steps = plan(board, query)

    assert_no_full_scan(steps)
    assert steps[0].startswith("SCAN t USING INDEX") or steps[0].startswith(
        "SEARCH t USING INDEX"
    ), steps


@pytest.mark.parametrize(
    ("viewer", "restriction"),
    [
        (MEMBER, downloadable_releases_clause(MEMBER)),
        (GUEST, open_releases_clause("t")),
    ],
    ids=["member-downloadable", "guest-open"],
)
@pytest.mark.parametrize("query", ["", "forum=3", "category=2"])
def test_an_autodownload_feed_walks_the_newest_releases_without_sorting(
    board: sqlite3.Connection, viewer: Viewer, restriction: tuple[str, list[str]], query: str
) -> None:
    filters = ReleaseFilters.from_query(dict(pair.split("=") for pair in query.split("&") if pair))
    sql, params = release_query(viewer, filters, int(time.time()), 30, restriction)
    steps = [row[3] for row in board.execute("EXPLAIN QUERY PLAN " + sql, params)]

    assert_no_full_scan(steps)
    assert not any("TEMP B-TREE" in step for step in steps) or query == "category=2", steps
