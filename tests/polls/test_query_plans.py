"""Every read behind a poll box walks an index, however many polls and votes the board has."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.forum.board import empty_board_connection
from tests.plans import PlanningDatabase
from tinypier.polls.queries import chosen_options, option_results, poll_of_topic, voter_count

GROWING = ("polls", "poll_options", "poll_votes", "o", "v")


def test_the_poll_box_reads_use_indexes(tmp_path: Path) -> None:
    planner = PlanningDatabase(empty_board_connection(tmp_path))
    db = planner.as_database()

    async def read_everything() -> None:
        await poll_of_topic(db, 1)
        await option_results(db, 1)
        await voter_count(db, 1)
        await chosen_options(db, 1, 2)

    asyncio.run(read_everything())

    assert len(planner.plans) == 4
    assert planner.scans(GROWING) == []


def test_a_scan_would_be_caught(tmp_path: Path) -> None:
    planner = PlanningDatabase(empty_board_connection(tmp_path))
    asyncio.run(planner.fetch_all("SELECT * FROM poll_votes WHERE created_at = ?", (1,)))
    assert planner.scans(GROWING)
