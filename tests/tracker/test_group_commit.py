"""The writer lets a batch grow while announces keep joining it: one commit for a burst.

Held against the compiled build too (CI runs this directory on both): mypyc compiled the
writer's first form of this loop into one that never waited, and nothing else failed."""

from __future__ import annotations

import asyncio

from tinypier.datadir import prepare_data_dir
from tinypier.settings import Settings
from tinypier.tracker.store import Batch, Writer

LONG_ENOUGH_MS = 60_000
"""A commit interval no test run reaches: only the batch's growth decides the commit."""


async def test_announces_joining_on_consecutive_turns_of_the_loop_share_one_commit(
    settings: Settings,
) -> None:
    prepare_data_dir(settings)
    writer = Writer(settings.database_path, LONG_ENOUGH_MS)
    await writer.start()
    joined: list[Batch] = []

    async def announce_after(turns: int) -> None:
        for _ in range(turns):
            await asyncio.sleep(0)
        batch = writer.pending
        joined.append(batch)
        await batch.entry().wait()

    try:
        await asyncio.gather(*(announce_after(turns) for turns in range(5)))
    finally:
        await writer.close()
    assert len(joined) == 5
    assert all(batch is joined[0] for batch in joined)
