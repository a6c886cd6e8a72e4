"""The writer lets a batch grow while announces keep joining it: one commit for a burst.

Held against the compiled build too (CI runs this directory on both): mypyc compiled the
writer's first form of this loop into one that never waited, and nothing else failed."""

from __future__ import annotations

import asyncio

from tinypier.datadir import prepare_data_dir
from tinypier.settings import Settings
from tinypier.tracker.store import IDLE_TURNS, Batch, Writer

LONG_ENOUGH_MS = 60_000
"""A commit interval no test run reaches: only the batch's growth decides the commit."""


async def _batches_joined(settings: Settings, turns: list[int]) -> list[Batch]:
    """The batch each announce joined, the i-th joining ``turns[i]`` turns of the loop
    after the start; the writer never commits for its interval, only when a batch stops
    growing."""
    prepare_data_dir(settings)
    writer = Writer(settings.database_path, settings.credit_log_path, LONG_ENOUGH_MS)
    await writer.start()
    joined: list[Batch] = []

    async def announce_after(turns: int) -> None:
        for _ in range(turns):
            await asyncio.sleep(0)
        batch = writer.pending
        joined.append(batch)
        await batch.entry().wait()

    try:
        await asyncio.gather(*(announce_after(count) for count in turns))
    finally:
        await writer.close()
    assert len(joined) == len(turns)
    return joined


async def test_announces_joining_on_consecutive_turns_of_the_loop_share_one_commit(
    settings: Settings,
) -> None:
    joined = await _batches_joined(settings, list(range(5)))
    assert all(batch is joined[0] for batch in joined)


async def test_an_announce_a_turn_or_two_behind_the_last_still_joins_its_batch(
    settings: Settings,
) -> None:
    """Under ``Connection: close`` the next client's announce needs a turn of the loop to
    accept its connection and another to read it: a batch waits that long for it."""
    joined = await _batches_joined(settings, [2 * step for step in range(5)])
    assert all(batch is joined[0] for batch in joined)


async def test_a_batch_that_stops_growing_commits_without_waiting_for_the_interval(
    settings: Settings,
) -> None:
    late = 20 * IDLE_TURNS
    joined = await _batches_joined(settings, [0, 1, late])
    assert joined[0] is joined[1]
    assert joined[2] is not joined[0], "the first batch waited for an announce long after"
