"""Thanks are counted and listed from indexes: on the topic, in /tracker and in the API."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.forum.board import empty_board_connection
from tests.plans import PlanningDatabase
from tinypier.accounts.viewer import GUEST
from tinypier.thanks.queries import has_thanked, newest_thankers, release_of_topic, thanks_count
from tinypier.torrents.listing import ReleaseFilters, list_releases
from tinypier.torrents.releases import release_by_topic

GROWING = ("thanks", "h", "torrents")


def test_thanks_reads_use_indexes(tmp_path: Path) -> None:
    planner = PlanningDatabase(empty_board_connection(tmp_path))
    db = planner.as_database()

    async def read_everything() -> None:
        await thanks_count(db, 1)
        await has_thanked(db, 1, 2)
        await newest_thankers(db, 1, 100)
        await release_of_topic(db, 1)
        await release_by_topic(db, 1)
        await list_releases(db, GUEST, ReleaseFilters())

    asyncio.run(read_everything())

    assert any("thanks" in statement for statement in planner.plans)
    assert planner.scans(GROWING) == []
