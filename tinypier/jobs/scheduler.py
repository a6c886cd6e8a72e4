"""Running the periodic jobs inside the one process, on its event loop.

The app starts the :class:`Scheduler` with its lifespan and stops it before the database
closes. One job runs at a time (a lock shared with "run now" on the admin page), so two
runs of a job never overlap. Each run is recorded in ``job_runs``: when it started, how
long it took, whether it failed, what it did and when the next one is due; a restart
keeps the schedule. A job that raises is logged and marked failed, and runs again at its
next time: since every job commits its work and its progress together, the failed run
left nothing half done.

A job's first schedule is one interval after the board first starts with it, stored at
once, so a board restarted more often than a job's interval still runs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence

from tinypier.db.connection import Database
from tinypier.jobs.base import (
    FAILED,
    OK,
    Job,
    JobResult,
    job_states,
    record_finish,
    record_start,
    schedule_new,
)
from tinypier.settings import Settings

log = logging.getLogger(__name__)

LONGEST_SLEEP_SECONDS = 60.0
"""The loop looks at the clock at least this often (a job saved on the page, a clock
that jumped)."""

Clock = Callable[[], float]


class UnknownJob(KeyError):
    """No job of that name is registered."""


class Scheduler:
    def __init__(
        self,
        db: Database,
        jobs: Sequence[Job],
        settings: Callable[[], Settings],
        clock: Clock = time.time,
    ) -> None:
        self.db = db
        self.jobs = {job.name: job for job in jobs}
        self._settings = settings
        self._clock = clock
        self._due: dict[str, int] = {}
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Read the schedule the last process left and start the loop."""
        now = int(self._clock())
        await schedule_new(self.db, [(name, now + job.interval) for name, job in self.jobs.items()])
        states = await job_states(self.db)
        for name in self.jobs:
            self._due[name] = states[name].next_run_at
        self._task = asyncio.create_task(self._loop(), name="tinypier-jobs")

    async def stop(self) -> None:
        """Cancel the loop; a run cut short rolls its transaction back."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    def next_run(self, name: str) -> int | None:
        return self._due.get(name)

    async def run(self, name: str, now: int | None = None) -> tuple[str, JobResult]:
        """Run one job now (as the loop does when it is due): its outcome and result."""
        job = self.jobs.get(name)
        if job is None:
            raise UnknownJob(name)
        async with self._lock:
            started_at = int(self._clock()) if now is None else now
            await record_start(self.db, name, started_at)
            began = time.perf_counter()
            try:
                result = await job.run(self.db, self._settings(), started_at)
                outcome = OK
            except Exception:
                log.exception("the periodic job %s failed", name)
                result, outcome = {}, FAILED
            duration_ms = int((time.perf_counter() - began) * 1000)
            await record_finish(self.db, job, started_at, duration_ms, outcome, result)
            self._due[name] = started_at + job.interval
        return outcome, result

    async def _loop(self) -> None:
        while True:
            now = self._clock()
            for name in sorted(self._due, key=self._due.__getitem__):
                if self._due[name] <= now:
                    try:
                        await self.run(name)
                    except Exception:
                        # Recording the run failed (the database locked for long): try
                        # again after the usual wait rather than end the loop.
                        log.exception("could not record the periodic job %s", name)
                        self._due[name] = int(now) + int(LONGEST_SLEEP_SECONDS)
            wait = min(self._due.values(), default=now + LONGEST_SLEEP_SECONDS) - self._clock()
            await asyncio.sleep(min(max(wait, 1.0), LONGEST_SLEEP_SECONDS))
