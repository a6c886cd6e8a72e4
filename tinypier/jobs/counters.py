"""The counters check: the post counters recounted now and then, as ``tinypier repair
recount`` does (:func:`tinypier.repair.counters.recount_counters`).

Posting keeps the counters right in its own transaction; this catches what a hand edit,
an import or a bug left wrong. The recount only touches rows that were wrong, so its
result is how many it corrected (0 on a healthy board) and a second run changes nothing.
It runs in one transaction on a blocking connection of its own, in a thread, so the
event loop keeps serving meanwhile.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tinypier.db.connection import Database, connect_sync
from tinypier.i18n import N_
from tinypier.jobs.base import Job, JobResult
from tinypier.repair.counters import recount_counters
from tinypier.settings import Settings

INTERVAL_SECONDS = 86400

EXAMINED = N_("topics, forums and members examined")
CORRECTED = N_("counters corrected")


def _recount(path: Path) -> JobResult:
    connection = connect_sync(path)
    try:
        report = recount_counters(connection)
    finally:
        connection.close()
    return {EXAMINED: report.examined, CORRECTED: report.changed}


async def check_counters(db: Database, settings: Settings, now: int) -> JobResult:
    del settings, now
    return await asyncio.to_thread(_recount, db.path)


COUNTERS_JOB = Job("counters", N_("Counters check"), INTERVAL_SECONDS, check_counters)
