"""The search statement reaches posts through the full-text index, never by scanning them.

Visibility and filters are checked per hit with primary-key lookups, and only the
newest matches are ranked, so the cost follows the number of matches (capped), not the
size of the board. The page's matches are then marked in Python, in the text the same
statement read for the page's posts only.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from tests.forum.board import empty_board_connection
from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import GUEST, Viewer
from tinypier.forum.search import SearchRequest, search_sql

# Scans allowed: the full-text index, and the (capped) intermediate results built from it.
SCAN_OF_INDEX_OR_PAGE = re.compile(r"SCAN (post_search VIRTUAL TABLE|hits|best|\(subquery-\d+\))")
MODERATOR = Viewer(id=7, name="mira", role=Role.MODERATOR)


@pytest.fixture
def connection(tmp_path: Path) -> sqlite3.Connection:
    return empty_board_connection(tmp_path)


def plan(connection: sqlite3.Connection, viewer: Viewer, request: SearchRequest) -> list[str]:
    sql, params = search_sql(viewer, request)
    return [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


@pytest.mark.parametrize("order", ["newest", "relevance"])
@pytest.mark.parametrize("viewer", [GUEST, MODERATOR])
@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest("release notes", None, None, 1),
        SearchRequest("release", 3, None, 2),
        SearchRequest("release", None, 5, 1),
    ],
)
def test_search_walks_the_index_and_looks_rows_up_by_key(
    connection: sqlite3.Connection, viewer: Viewer, request_: SearchRequest, order: str
) -> None:
    steps = plan(connection, viewer, replace(request_, order=order))

    table_steps = [step for step in steps if step.startswith(("SCAN", "SEARCH"))]
    scans = [step for step in table_steps if step.startswith("SCAN")]
    assert all(SCAN_OF_INDEX_OR_PAGE.match(step) for step in scans), scans
    lookups = [step for step in table_steps if step.startswith("SEARCH")]
    assert all("PRIMARY KEY" in step for step in lookups), lookups


def test_newest_matches_come_from_the_index_order_not_a_sort(
    connection: sqlite3.Connection,
) -> None:
    steps = plan(connection, GUEST, SearchRequest("release", None, None, 1))

    hits_start = steps.index("CO-ROUTINE hits")
    hits_steps = steps[hits_start + 1 : steps.index("SCAN hits")]
    assert not any("TEMP B-TREE" in step for step in hits_steps), hits_steps
