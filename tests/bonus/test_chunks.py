"""The bonus job pays in chunks of ``bonus_job_chunk_rows`` rows, each its own short
transaction: other writers (the tracker's commits) take the write lock between chunks, a
run stopped after any chunk resumes and pays every hour exactly once, and the hourly cap
and the one ledger line per member and run hold however a member's rows are split (the
rows are marked paid chunk by chunk with their earnings parked, then the members
credited chunk by chunk)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from tests.bonus.seeding import HOUR, START, SeedingBoard, ledger_matches_balances, prepared
from tests.forum.board import sql
from tests.helpers import Member
from tinypier.bonus import accrual
from tinypier.db.connection import Database
from tinypier.settings import Settings

CHUNK = 2
WRITER = "writer"
_who: ContextVar[str] = ContextVar("who", default="job")


def _paid_rows(settings: Settings) -> int:
    return int(sql(settings, "SELECT COUNT(*) FROM transfers WHERE bonus_paid_seconds > 0")[0][0])


@pytest.fixture
def board(settings: Settings) -> SeedingBoard:
    return SeedingBoard(
        prepared(settings, bonus_max_points_per_hour=1000, bonus_job_chunk_rows=CHUNK)
    )


def _seeders(board: SeedingBoard, count: int = 4) -> list[Member]:
    """Members each seeding an hour of two 2 GiB releases (2 points an hour each), their
    rows interleaved so that every member's rows fall in different chunks."""
    seeders = [board.member(f"seeder{n}") for n in range(count)]
    releases = [board.release(2), board.release(2)]
    for release in releases:
        for seeder in seeders:
            board.seed(seeder, release, HOUR)
    return seeders


@pytest.fixture
def killed_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Set ``[k]`` to stop the next run as a crash would, after its k-th chunk committed
    (counting phase 1's chunks, then phase 2's)."""
    limit: list[int] = []
    calls = 0

    def stoppable(chunk: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def run(*args: object) -> Any:
            nonlocal calls
            if limit and calls >= limit[0]:
                raise RuntimeError("killed")
            calls += 1
            return await chunk(*args)

        return run

    monkeypatch.setattr(accrual, "park_chunk", stoppable(accrual.park_chunk))
    monkeypatch.setattr(accrual, "credit_chunk", stoppable(accrual.credit_chunk))
    yield limit
    limit.clear()


# Four members' eight rows in chunks of two: phase 1 parks them in four chunks and finds
# the end in a fifth; phase 2 credits the members in two chunks of two.
ROW_CHUNKS = 5


@pytest.mark.parametrize("chunks_done", [0, 1, 3, 5, 6])
def test_a_run_killed_after_a_chunk_is_resumed_and_pays_once(
    board: SeedingBoard, killed_after: list[int], chunks_done: int
) -> None:
    seeders = _seeders(board)
    killed_after.append(chunks_done)

    with pytest.raises(RuntimeError, match="killed"):
        board.pay(START + HOUR)

    assert _paid_rows(board.settings) == min(chunks_done, 4) * CHUNK
    credited = max(chunks_done - ROW_CHUNKS, 0) * CHUNK
    assert [board.points(seeder) for seeder in seeders] == [4] * credited + [0] * (4 - credited)
    assert ledger_matches_balances(board.settings)

    killed_after.clear()
    result = board.pay(START + HOUR)
    board.pay(START + HOUR)

    assert [board.points(seeder) for seeder in seeders] == [4] * 4
    assert [board.ledger(seeder) for seeder in seeders] == [[("seeding", 4, 0, 0, 2, "")]] * 4
    assert result[accrual.POINTS_PAID] == 16, "the resumed run counts its chunks before the stop"
    assert ledger_matches_balances(board.settings)


def test_a_chunk_stopped_midway_commits_nothing_of_itself(
    board: SeedingBoard, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeders = _seeders(board)

    async def apply_changes(*_args: object) -> None:
        # Phase 2's first chunk has credited nothing yet; it dies here.
        raise RuntimeError("killed")

    with monkeypatch.context() as patched:
        patched.setattr(accrual, "apply_changes", apply_changes)
        with pytest.raises(RuntimeError, match="killed"):
            board.pay(START + HOUR)
    assert _paid_rows(board.settings) == 8
    assert sum(board.points(seeder) for seeder in seeders) == 0

    board.pay(START + HOUR)

    assert [board.points(seeder) for seeder in seeders] == [4] * 4
    assert ledger_matches_balances(board.settings)


def test_a_resumed_run_finishes_its_own_hour_first(
    board: SeedingBoard, killed_after: list[int]
) -> None:
    seeders = _seeders(board)
    killed_after.append(1)
    with pytest.raises(RuntimeError, match="killed"):
        board.pay(START + HOUR)
    killed_after.clear()
    # An hour recorded while the board was down, on a row after the stop: the resumed run
    # reaches it and pays it with its own hour.
    board.seed(seeders[0], board.release(2), HOUR)

    result = board.pay(START + 2 * HOUR)
    assert sql(board.settings, "SELECT watermark FROM job_runs WHERE name = 'bonus'")[0][0] == (
        START + HOUR
    )
    board.pay(START + 2 * HOUR)

    assert result[accrual.MEMBERS_PAID] == 4
    assert [board.points(seeder) for seeder in seeders] == [6, 4, 4, 4]
    assert ledger_matches_balances(board.settings)


def test_the_cap_holds_for_a_member_split_across_chunks(settings: Settings) -> None:
    board = SeedingBoard(prepared(settings, bonus_max_points_per_hour=10, bonus_job_chunk_rows=1))
    heavy, light = board.member("heavy"), board.member("light")
    for _ in range(5):
        board.seed(heavy, board.release(60), HOUR)  # 4 points an hour each
        board.seed(light, board.release(0.5), HOUR)  # 1 point

    result = board.pay(START + HOUR)

    assert (board.points(heavy), board.points(light)) == (10, 5)
    assert board.ledger(heavy) == [("seeding", 10, 0, 0, 5, "")], "one line for the run"
    assert result[accrual.POINTS_FORFEITED] == 5 * 4 - 10
    assert result[accrual.POINTS_PAID] == 15
    assert _paid_rows(board.settings) == 10, "forfeited hours count as paid"


def test_the_cap_holds_across_a_kill_between_chunks(
    settings: Settings, killed_after: list[int]
) -> None:
    board = SeedingBoard(prepared(settings, bonus_max_points_per_hour=10, bonus_job_chunk_rows=1))
    heavy = board.member("heavy")
    for _ in range(5):
        board.seed(heavy, board.release(60), HOUR)
    killed_after.append(3)  # three of its five rows parked, nothing credited yet
    with pytest.raises(RuntimeError, match="killed"):
        board.pay(START + HOUR)
    assert (_paid_rows(board.settings), board.points(heavy)) == (3, 0)
    killed_after.clear()

    board.pay(START + HOUR)

    assert board.points(heavy) == 10
    assert board.ledger(heavy) == [("seeding", 10, 0, 0, 5, "")]
    assert ledger_matches_balances(board.settings)


def test_the_next_hour_gets_a_fresh_cap(settings: Settings) -> None:
    board = SeedingBoard(prepared(settings, bonus_max_points_per_hour=10, bonus_job_chunk_rows=1))
    heavy = board.member("heavy")
    releases = [board.release(60) for _ in range(5)]
    for hour in (1, 2):
        for release in releases:
            board.seed(heavy, release, HOUR)
        board.pay(START + hour * HOUR)

    assert board.points(heavy) == 20
    assert len(board.ledger(heavy)) == 2


class TracingDatabase(Database):
    """The app's Database, noting who committed each write transaction, how many
    ``transfers`` rows it marked paid and how many members it credited."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.commits: list[tuple[str, int, int]] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with super().transaction() as connection:
            rows, members = await _progress(connection)
            yield connection
            rows_after, members_after = await _progress(connection)
            self.commits.append((_who.get(), rows_after - rows, members_after - members))


async def _progress(connection: aiosqlite.Connection) -> tuple[int, int]:
    cursor = await connection.execute(
        "SELECT (SELECT COUNT(*) FROM transfers WHERE bonus_paid_seconds > 0),"
        " (SELECT COUNT(*) FROM users WHERE bonus_points > 0)"
    )
    row = await cursor.fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_no_transaction_writes_more_than_a_chunk_and_other_writes_get_in_between(
    board: SeedingBoard,
) -> None:
    seeders = _seeders(board, count=5)  # 10 rows, 5 members: 6 chunks, then 3

    async def run() -> list[tuple[str, int, int]]:
        db = TracingDatabase(board.settings.database_path)
        await db.open()
        try:
            job = asyncio.create_task(accrual.pay_seeding_bonus(db, board.settings, START + HOUR))

            async def write_while_the_job_runs() -> None:
                _who.set(WRITER)
                while not job.done():
                    await db.execute("UPDATE torrents SET created_at = created_at WHERE id = 1")

            await asyncio.gather(job, write_while_the_job_runs())
            return db.commits
        finally:
            await db.close()

    commits = asyncio.run(run())

    job_commits = [(n, rows, members) for n, (who, rows, members) in enumerate(commits)
                   if who != WRITER]  # fmt: skip
    assert len(job_commits) == 1 + 6 + 3, "the start, phase 1's chunks, phase 2's"
    assert max(rows for _, rows, _ in job_commits) == CHUNK
    assert max(members for _, _, members in job_commits) == CHUNK
    assert sum(rows for _, rows, _ in job_commits) == 10
    first, last = job_commits[0][0], job_commits[-1][0]
    interleaved = [who for who, _, _ in commits[first:last]].count(WRITER)
    assert interleaved >= len(job_commits) - 2, "the writer commits between the job's chunks"
    assert [board.points(seeder) for seeder in seeders] == [4] * 5
    assert ledger_matches_balances(board.settings)
