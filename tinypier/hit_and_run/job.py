"""The hit-and-run sweep as a periodic job, and the feature that registers it.

The sweep is idempotent and resumable by itself (its progress commits with each chunk,
``hit_and_run_sweep``), so the scheduler may run it as often as it likes; every quarter
of an hour keeps "time left" on members' pages and the block at ``hnr_max`` close to the
clock. It runs while the rules are off too: that moves its mark on, so releases completed
before an admin turns the rules on owe nothing. The tracker caches a member's count of
active hit-and-runs for at most its lookup lifetime (a minute), so a block or a release
from one reaches announces within a minute of the sweep.
"""

from __future__ import annotations

from tinypier.db.connection import Database
from tinypier.hit_and_run.sweep import sweep
from tinypier.i18n import N_
from tinypier.jobs.base import Job, JobResult
from tinypier.settings import Settings
from tinypier.web.extensions import Feature

INTERVAL_SECONDS = 15 * 60
CHANGED = N_("hit-and-runs recorded or cleared")


async def sweep_hit_and_runs(db: Database, settings: Settings, now: int) -> JobResult:
    return {CHANGED: await sweep(db, now, settings)}


HIT_AND_RUN_JOB = Job("hit_and_run", N_("Hit-and-run check"), INTERVAL_SECONDS, sweep_hit_and_runs)

FEATURE = Feature("hit_and_run", (), jobs=(HIT_AND_RUN_JOB,))
