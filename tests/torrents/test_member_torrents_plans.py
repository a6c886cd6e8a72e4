"""The member torrent pages and a release's swarm lists read from indexes, on a fresh board
and on one the planner sees at the large bench board's scale (1,000,000 peers, 2,000,000
transfers and snatches): each list starts from its owner's index, none walks a table."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.forum.board import empty_board_connection
from tests.plans import PlanningDatabase, with_large_bench_statistics
from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer
from tinypier.hit_and_run.obligations import Terms
from tinypier.member_torrents import queries
from tinypier.member_torrents.queries import Page

GROWING = ("peers", "p", "snatches", "s", "transfers", "x", "torrents", "t", "hit_and_runs",
           "h", "users", "u", "topics", "deleted_topic")  # fmt: skip
MEMBER = Viewer(id=7, name="member", role=Role.USER)
RULES = Terms(seed_seconds=72 * 3600, window_seconds=14 * 86_400, min_ratio=1.0)
PAGE = Page(3, 50)


def planned(tmp_path: Path, large: bool) -> PlanningDatabase:
    connection = empty_board_connection(tmp_path)
    if large:
        with_large_bench_statistics(connection)
    planner = PlanningDatabase(connection)
    db = planner.as_database()

    async def read_every_list() -> None:
        for seeding in (True, False):
            await queries.member_peers(db, MEMBER, 7, seeding, PAGE)
        await queries.member_snatches(db, MEMBER, 7, PAGE)
        await queries.member_uploads(db, MEMBER, 7, PAGE)
        await queries.member_pending(db, MEMBER, 7, RULES, PAGE)
        await queries.member_hit_and_runs(db, MEMBER, 7, PAGE)
        await queries.release_peers(db, 1, PAGE)
        await queries.release_snatches(db, 1, PAGE)

    asyncio.run(read_every_list())
    return planner


@pytest.mark.parametrize("large", [False, True], ids=["fresh", "large-bench"])
def test_every_list_starts_from_its_owners_index(tmp_path: Path, large: bool) -> None:
    planner = planned(tmp_path, large)

    assert len(planner.plans) == 7, "seeding and leeching share one statement"
    assert planner.scans(GROWING) == []
    steps = "\n".join(step for plan in planner.plans.values() for step in plan)
    for index in ("ix_peers_user_id", "ix_snatches_user_id", "ix_torrents_uploader_id",
                  "ix_snatches_torrent_newest"):  # fmt: skip
        assert index in steps, index


def test_a_releases_snatch_list_is_read_newest_first_without_sorting(tmp_path: Path) -> None:
    planner = planned(tmp_path, large=True)

    [plan] = [steps for sql, steps in planner.plans.items() if "s.torrent_id = ?" in sql]

    assert not any("TEMP B-TREE" in step for step in plan), plan
