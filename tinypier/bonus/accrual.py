"""The bonus job: points for the seeding time the tracker recorded, paid once an hour.

The tracker adds each seeder's seeding time to ``transfers.seeding_seconds`` as it
credits announces (bounded by the announce interval, never what a client claims). The
job pays for the whole hours of it not yet paid: ``bonus_paid_seconds`` holds how much
of each row is paid, and moves on by the hours paid (the rest of an hour waits for the
next run). An hour of one release earns the points of its size band plus those of its
age band (``bonus_points_by_size``, ``bonus_points_by_age``). A member earns at most
``bonus_max_points_per_hour`` for each hour since the last paid hour; what is over is
forfeited, so a backlog never floods a member with points. Disabled members earn
nothing, and their seeding counts as paid.

**Chunks.** The tracker commits every announce's credit before it answers, and waits for
SQLite's one write lock to do it; a run that paid a million rows in one transaction held
that lock for seconds. So a run writes in chunks of at most ``bonus_job_chunk_rows``
rows, each its own transaction committing its work with the run's progress (table
``bonus_run``), and gives the lock and the event loop back between chunks. Each chunk's
rows are read first on a reader connection, outside the lock. Two phases, so that every
chunk writes neighbouring pages (members' rows scattered over many chunks would rewrite
pages of ``users`` and the ledger all over the file in every chunk):

1. **Rows**, in ``transfers`` rowid order (the table's own key): a chunk advances its
   rows' paid seconds and parks what each member earned in them in
   ``bonus_run_earnings`` (appended: new pages only), moving the run's last rowid on.
2. **Members**, in id order: a chunk credits the next members their parked earnings,
   capped at ``bonus_max_points_per_hour`` per hour covered over ALL their rows (a
   member's rows fall in many chunks of phase 1, but each member is credited once), with
   one ledger line each, moving the run's last member on. The last chunk empties the
   parked earnings and sets the job's watermark (the last hour paid).

A run stopped anywhere loses at most the chunk under way; the next run resumes the
stopped one after its last committed chunk and pays nothing twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import aiosqlite

from tinypier.bonus.ledger import GIB, SEEDING, BalanceChange, apply_changes
from tinypier.db.connection import Database
from tinypier.i18n import N_
from tinypier.jobs.base import Job, JobResult, set_watermark, watermark
from tinypier.settings import Settings, bonus_bands

HOUR = 3600
DAY = 86400
JOB_NAME = "bonus"

MEMBERS_PAID = N_("members paid")
POINTS_PAID = N_("points paid")
HOURS_PAID = N_("seeding hours paid")
POINTS_FORFEITED = N_("points over the hourly cap")

# The whole hours of a row's recorded seeding not paid for yet.
_UNPAID = "(t.seeding_seconds - t.bonus_paid_seconds) / 3600"
# Each row with a whole hour or more due: its hours, and the points they earn ({rate}:
# hourly_rate_sql; none for a disabled member). One pass over transfers (see README,
# "Seed bonus"): an index to find the rows due would be rewritten by every seeder's
# announce, the path the tracker keeps fast; once an hour, a scan is cheaper. CROSS JOIN
# keeps transfers the outer loop: read in table order, each release and member by key
# (otherwise SQLite may walk every release and fetch its transfers out of order).
DUE = (
    "SELECT t.rowid, t.user_id, _UNPAID AS hours,"
    " CASE WHEN u.disabled THEN 0 ELSE _UNPAID * ({rate}) END AS points"
    " FROM transfers t CROSS JOIN torrents x ON x.id = t.torrent_id"
    " CROSS JOIN users u ON u.id = t.user_id WHERE _UNPAID >= 1"
).replace("_UNPAID", _UNPAID)
# The next chunk: the rows due after the last one paid, read on from there in rowid order
# (a range of the table's own key, so the run as a whole still reads transfers once).
DUE_CHUNK = DUE + " AND t.rowid > ? ORDER BY t.rowid LIMIT ?"
PAY_ROW = "UPDATE transfers SET bonus_paid_seconds = bonus_paid_seconds + ? WHERE rowid = ?"
PARK = "INSERT INTO bonus_run_earnings (user_id, hours, points) VALUES (?, ?, ?)"
# What each member not credited yet earned in the run, in id order: read once for phase 2
# (a row per member; the parked rows are read whole, on a reader, and need no index).
EARNED = (
    "SELECT user_id, SUM(hours), SUM(points) FROM bonus_run_earnings WHERE user_id > ?"
    " GROUP BY user_id ORDER BY user_id"
)
ENDED = -1
"""``bonus_run.after_rowid`` of a run whose last chunk committed."""


def _band_case(
    test: str, bands: Sequence[tuple[float, int]], bound: Callable[[float], float]
) -> tuple[str, list[float]]:
    """``CASE WHEN <test bound(threshold)> THEN points ... ELSE 0 END``, highest band
    first, its values as parameters."""
    if not bands:
        return "0", []
    whens: list[str] = []
    params: list[float] = []
    for threshold, points in reversed(bands):
        whens.append(f"WHEN {test} THEN ?")
        params.extend((bound(threshold), points))
    return "CASE " + " ".join(whens) + " ELSE 0 END", params


def hourly_rate_sql(settings: Settings, hour: int) -> tuple[str, list[float]]:
    """The points of an hour of seeding release ``x`` at ``hour``, as SQL and parameters:
    its size band (the band's GiB in bytes) plus its age band (added at least the band's
    days before ``hour``)."""
    size_sql, size_params = _band_case(
        "x.total_size >= ?", bonus_bands(settings.bonus_points_by_size), lambda gib: gib * GIB
    )
    age_sql, age_params = _band_case(
        "x.created_at <= ?",
        bonus_bands(settings.bonus_points_by_age),
        lambda days: hour - days * DAY,
    )
    return f"{size_sql} + {age_sql}", [*size_params, *age_params]


def member_changes(
    settings: Settings, earned: Sequence[Sequence[int]], hours_covered: int
) -> tuple[list[BalanceChange], int]:
    """Each member's ledger change for what they earned in the run (member, hours, points),
    capped at ``bonus_max_points_per_hour`` for each hour covered; and the points
    forfeited. Disabled members earned 0 and get no change."""
    cap = settings.bonus_max_points_per_hour * hours_covered
    changes, forfeited = [], 0
    for user_id, hours, points in earned:
        paid = min(points, cap) if cap else points
        forfeited += points - paid
        if paid:
            changes.append(BalanceChange(user_id, SEEDING, points=paid, quantity=hours))
    return changes, forfeited


@dataclass(frozen=True)
class BonusRun:
    """A run under way: the hour it pays up to, the hours its cap covers, the last
    ``transfers`` rowid phase 1 parked (ENDED once done) and the last member phase 2
    credited."""

    hour: int
    hours_covered: int
    after_rowid: int
    after_user: int


async def pay_seeding_bonus(db: Database, settings: Settings, now: int) -> JobResult:
    """Pay for the seeding recorded up to the last whole hour, chunk by chunk, resuming a
    run that was stopped; see the module's notes."""
    run = await _run_under_way(db) or await _start_run(db, now - now % HOUR)
    if run is None:
        return {MEMBERS_PAID: 0, POINTS_PAID: 0}
    rate_sql, rate_params = hourly_rate_sql(settings, run.hour)
    due_sql = DUE_CHUNK.format(rate=rate_sql)
    limit = settings.bonus_job_chunk_rows
    moved: BonusRun | None = run
    while moved is not None and moved.after_rowid != ENDED:
        # Read on a reader connection, outside the write lock.
        due = await db.fetch_all(due_sql, [*rate_params, moved.after_rowid, limit])
        moved = await park_chunk(db, moved, [tuple(row) for row in due], limit)
        await asyncio.sleep(0)  # the tracker's and the pages' commits go in between
    if moved is not None:
        earned = [tuple(row) for row in await db.fetch_all(EARNED, (moved.after_user,))]
        for start in range(0, max(len(earned), 1), limit):
            chunk = earned[start : start + limit]
            moved = await credit_chunk(
                db, settings, moved, chunk, start + limit >= len(earned), now
            )
            if moved is None:
                break
            await asyncio.sleep(0)
    if moved is None:
        return {MEMBERS_PAID: 0, POINTS_PAID: 0}  # another run got there first
    return await _run_result(db)


async def park_chunk(
    db: Database, run: BonusRun, due: Sequence[Sequence[int]], limit: int
) -> BonusRun | None:
    """Phase 1: mark the rows due (rowid, member, hours, points; read after
    ``run.after_rowid``) paid and park their earnings, with the run's progress. Answers
    the run moved on, or None when the stored run is not ``run`` any more (another run
    did this chunk)."""
    async with db.transaction() as connection:
        # Seeding only grows and only this job pays, so advancing each row by the hours
        # read pays them once, provided no other run paid them since they were read.
        if await _stored_run(connection) != run:
            return None
        await connection.executemany(PAY_ROW, [(hours * HOUR, rowid) for rowid, _, hours, _ in due])
        earned: dict[int, list[int]] = {}
        for _rowid, user_id, hours, points in due:
            totals = earned.setdefault(user_id, [0, 0])
            totals[0] += hours
            totals[1] += points
        await connection.executemany(
            PARK, [(user, hours, points) for user, (hours, points) in earned.items()]
        )
        moved = dataclasses.replace(run, after_rowid=due[-1][0] if len(due) == limit else ENDED)
        await connection.execute("UPDATE bonus_run SET after_rowid = ?", (moved.after_rowid,))
        return moved


async def credit_chunk(
    db: Database,
    settings: Settings,
    run: BonusRun,
    earned: Sequence[Sequence[int]],
    finished: bool,
    now: int,
) -> BonusRun | None:
    """Phase 2: credit the members (member, hours, points; read after ``run.after_user``)
    what they earned in the whole run, capped, with their ledger lines and the run's
    progress; the last chunk (``finished``) ends the run."""
    async with db.transaction() as connection:
        if await _stored_run(connection) != run:
            return None
        changes, forfeited = member_changes(settings, earned, run.hours_covered)
        await apply_changes(connection, changes, now)
        moved = dataclasses.replace(run, after_user=ENDED if finished else earned[-1][0])
        await connection.execute(
            "UPDATE bonus_run SET after_user = ?, forfeited = forfeited + ?,"
            " members_paid = members_paid + ?, points_paid = points_paid + ?,"
            " hours_paid = hours_paid + ?",
            (moved.after_user, forfeited, len(changes), sum(c.points for c in changes),
             sum(c.quantity for c in changes)),
        )  # fmt: skip
        if finished:
            # No WHERE: SQLite drops the table's pages at once rather than row by row.
            await connection.execute("DELETE FROM bonus_run_earnings")
            await set_watermark(connection, JOB_NAME, run.hour)
        return moved


_RUN = "SELECT hour, hours_covered, after_rowid, after_user FROM bonus_run WHERE id = 1"


async def _stored_run(connection: aiosqlite.Connection) -> BonusRun | None:
    cursor = await connection.execute(_RUN)
    row = await cursor.fetchone()
    return BonusRun(*row) if row else None


async def _run_under_way(db: Database) -> BonusRun | None:
    """The run a stop interrupted between chunks, to be finished first."""
    row = await db.fetch_one(_RUN + " AND after_user != ?", (ENDED,))
    return BonusRun(*row) if row else None


async def _start_run(db: Database, hour: int) -> BonusRun | None:
    """Begin the run paying up to ``hour``; None when that hour is paid already (or another
    run began meanwhile). Its cap covers every hour since the last paid one."""
    async with db.transaction() as connection:
        last = await watermark(connection, JOB_NAME)
        under_way = await _stored_run(connection)
        if last >= hour or (under_way is not None and under_way.after_user != ENDED):
            return None
        run = BonusRun(hour, (hour - last) // HOUR if last else 1, 0, 0)
        await connection.execute(
            "INSERT OR REPLACE INTO bonus_run (id, hour, hours_covered, after_rowid,"
            " after_user, forfeited, members_paid, points_paid, hours_paid)"
            " VALUES (1, ?, ?, 0, 0, 0, 0, 0, 0)",
            (run.hour, run.hours_covered),
        )
        return run


async def _run_result(db: Database) -> JobResult:
    """What the run did in all its chunks (a resumed run counts those before the stop)."""
    row = await db.fetch_one(
        "SELECT members_paid, points_paid, hours_paid, forfeited FROM bonus_run WHERE id = 1"
    )
    members, points, hours, forfeited = (int(value) for value in row) if row else (0, 0, 0, 0)
    return {MEMBERS_PAID: members, POINTS_PAID: points, HOURS_PAID: hours,
            POINTS_FORFEITED: forfeited}  # fmt: skip


async def paid_until(db: Database) -> int:
    """The last hour the bonus was paid for (0 before the first run)."""
    value = await db.fetch_value("SELECT watermark FROM job_runs WHERE name = ?", (JOB_NAME,))
    return int(value or 0)


BONUS_JOB = Job(JOB_NAME, N_("Seed bonus"), HOUR, pay_seeding_bonus)
