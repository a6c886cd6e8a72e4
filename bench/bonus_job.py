"""The seed bonus job's runtime at a million peers: one hourly run, and a backlog.

The board is made by SQL (``board_seed.py``, as ``announce.py --large`` makes it):
100,000 releases, 50,000 members, 1,000,000 peers of which 30 % seed, and the transfers
history of a long-running board (a row per member on each torrent they are a peer of and
on 20 more: about 2 million rows). Two cases, each timed on its own copy of the board:

- **hourly**: every transfer paid up to now, then each seeding peer's row one hour of
  seeding further, as an hour of the tracker's crediting leaves them: the run reads the
  whole table once and pays the ~300,000 seeders' rows;
- **backlog**: no row paid yet, every one with up to a month of seeding due (a board that
  ran the job for the first time on an old history): the run pays every row.

Each run pays in chunks of ``bonus_job_chunk_rows`` (``--chunk-rows``); the table gives the
write transactions, the lock held in all, and the longest single hold (what a tracker
commit waits at worst). Run with the project's virtualenv:
``.venv/bin/python bench/bonus_job.py`` (``--peers`` for a smaller board). The job runs
exactly as the scheduler runs it, through ``tinypier.bonus.accrual.pay_seeding_bonus`` on
the app's ``Database``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite
from board_seed import make_swarms, seed_board
from common import machine

from tinypier.bonus.accrual import HOUR, MEMBERS_PAID, POINTS_PAID, pay_seeding_bonus
from tinypier.db.connection import Database, connect_sync
from tinypier.jobs.base import JobResult
from tinypier.settings import Settings

HOURLY_SQL = (
    "UPDATE transfers SET bonus_paid_seconds = seeding_seconds;"
    "UPDATE transfers SET seeding_seconds = seeding_seconds + 3600"
    ' WHERE (torrent_id, user_id) IN (SELECT torrent_id, user_id FROM peers WHERE "left" = 0);'
)


class TimedDatabase(Database):
    """The app's Database, recording how long each write transaction holds the lock (what
    the tracker's commits wait for): the job's chunks, and its start."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.holds: list[float] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with super().transaction() as connection:
            began = time.perf_counter()
            try:
                yield connection
            finally:
                self.holds.append(time.perf_counter() - began)


async def _timed_run(settings: Settings, now: int) -> tuple[float, list[float], JobResult]:
    db = TimedDatabase(settings.database_path)
    await db.open()
    try:
        began = time.perf_counter()
        result = await pay_seeding_bonus(db, settings, now)
        return time.perf_counter() - began, db.holds, result
    finally:
        await db.close()


def _prepare(template: Path, directory: Path, script: str, chunk_rows: int) -> Settings:
    shutil.copytree(template, directory)
    settings = Settings(data_dir=directory, bonus_job_chunk_rows=chunk_rows)
    connection = connect_sync(settings.database_path)
    try:
        connection.executescript(script)
        connection.execute("ANALYZE")
    finally:
        connection.close()
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--peers", type=int, default=1_000_000)
    parser.add_argument("--torrents", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--chunk-rows", type=int, default=Settings.bonus_job_chunk_rows)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tinypier-bonus-bench-") as root:
        began = time.perf_counter()
        template = Path(root) / "template"
        seed_board(template, make_swarms(args.torrents, args.members, args.peers))
        print(f"board made in {time.perf_counter() - began:.0f} s")
        now = int(time.time()) // HOUR * HOUR + 60
        print(f"bonus job at {args.peers:,} peers, {args.torrents:,} releases,"
              f" {args.members:,} members, chunks of {args.chunk_rows:,} rows;"
              f" {machine()}\n")  # fmt: skip
        print(
            "| case | transfers rows | rows paid | members paid | points | run, s |"
            " transactions | write lock in all, s | longest hold, ms |"
        )
        print("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
        for case, script in (("hourly", HOURLY_SQL), ("backlog", "")):
            settings = _prepare(template, Path(root) / case, script, args.chunk_rows)
            connection = connect_sync(settings.database_path)
            rows, due = connection.execute(
                "SELECT COUNT(*), SUM(seeding_seconds - bonus_paid_seconds >= 3600) FROM transfers"
            ).fetchone()
            connection.close()
            seconds, holds, result = asyncio.run(_timed_run(settings, now))
            print(f"| {case} | {rows:,} | {due:,} | {result[MEMBERS_PAID]:,} |"
                  f" {result[POINTS_PAID]:,} | {seconds:.1f} | {len(holds):,} |"
                  f" {sum(holds):.1f} | {max(holds) * 1000:.0f} |", flush=True)  # fmt: skip
            shutil.rmtree(settings.data_dir)


if __name__ == "__main__":
    main()
