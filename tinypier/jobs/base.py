"""What a periodic job is, and the one row each keeps in ``job_runs``.

A job is a name, an interval and ``async run(db, settings, now)``. It must be idempotent
and resumable: everything it changes, and its progress, commit in one transaction (or
one per batch), so a job killed midway and run again repeats nothing that committed.
The progress a job needs is its *watermark* (how far it got: the last hour the bonus was
paid for, say), read and written with :func:`watermark` and :func:`set_watermark` on the
job's own transaction.

``run`` returns what it did as counts keyed by a message id (``N_("sessions removed")``),
so the admin page shows the outcome in the reader's language and the database holds no
words.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import aiosqlite

from tinypier.db.connection import Database
from tinypier.settings import Settings

JobResult = Mapping[str, int]
"""What a run did: counts keyed by a message id marked with ``N_``."""
Run = Callable[[Database, Settings, int], Awaitable[JobResult]]


@dataclass(frozen=True)
class Job:
    """One periodic job. ``label`` is a message id (``N_``) naming it on the admin page;
    ``interval`` is seconds from the start of one run to the next."""

    name: str
    label: str
    interval: int
    run: Run


OK = "ok"
FAILED = "failed"


@dataclass(frozen=True)
class JobState:
    """A job's row: its schedule and its last run (None before the first)."""

    name: str
    watermark: int
    next_run_at: int
    started_at: int | None
    finished_at: int | None
    duration_ms: int | None
    outcome: str | None
    result: dict[str, int]


_INSERT_STATE = (
    "INSERT INTO job_runs (name, watermark, next_run_at, result) VALUES (?, 0, ?, '{}')"
    " ON CONFLICT (name) DO NOTHING"
)


async def watermark(connection: aiosqlite.Connection, name: str) -> int:
    """The job's progress as its last committed run left it (0 before any)."""
    cursor = await connection.execute("SELECT watermark FROM job_runs WHERE name = ?", (name,))
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def set_watermark(connection: aiosqlite.Connection, name: str, value: int) -> None:
    """Record the job's progress in the caller's transaction: it commits with the work."""
    await connection.execute(_INSERT_STATE, (name, 0))
    await connection.execute("UPDATE job_runs SET watermark = ? WHERE name = ?", (value, name))


async def job_states(db: Database) -> dict[str, JobState]:
    rows = await db.fetch_all(
        "SELECT name, watermark, next_run_at, started_at, finished_at, duration_ms, outcome,"
        " result FROM job_runs"
    )
    return {
        row["name"]: JobState(
            row["name"],
            row["watermark"],
            row["next_run_at"],
            row["started_at"],
            row["finished_at"],
            row["duration_ms"],
            row["outcome"],
            _counts(row["result"]),
        )
        for row in rows
    }


def _counts(text: str) -> dict[str, int]:
    """The stored result; a row written by hand that is not a map of counts shows none."""
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(key): count for key, count in value.items() if isinstance(count, int)}


async def schedule_new(db: Database, first_runs: list[tuple[str, int]]) -> None:
    """Store the first run of each job that has no row yet (the others keep theirs)."""
    states = await job_states(db)
    missing = [(name, at) for name, at in first_runs if name not in states]
    if missing:
        async with db.transaction() as connection:
            await connection.executemany(_INSERT_STATE, missing)


async def record_start(db: Database, name: str, started_at: int) -> None:
    async with db.transaction() as connection:
        await connection.execute(_INSERT_STATE, (name, started_at))
        await connection.execute(
            "UPDATE job_runs SET started_at = ?, finished_at = NULL, duration_ms = NULL,"
            " outcome = NULL, result = '{}' WHERE name = ?",
            (started_at, name),
        )


async def record_finish(
    db: Database, job: Job, started_at: int, duration_ms: int, outcome: str, result: JobResult
) -> None:
    """The run's end, and the next run one interval after this one started."""
    async with db.transaction() as connection:
        await connection.execute(_INSERT_STATE, (job.name, started_at))
        await connection.execute(
            "UPDATE job_runs SET finished_at = ?, duration_ms = ?, outcome = ?, result = ?,"
            " next_run_at = ? WHERE name = ?",
            (
                started_at + duration_ms // 1000,
                duration_ms,
                outcome,
                json.dumps(dict(result), sort_keys=True),
                started_at + job.interval,
                job.name,
            ),
        )
