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
that lock for seconds. So a run pays ``transfers`` in rowid order, at most
``bonus_job_chunk_rows`` due rows per transaction, and gives the lock (and the event loop)
back between chunks. A chunk's rows are read on a reader connection first, outside the
lock; its transaction then commits together the rows' paid seconds, the members' points,
their ledger lines and the run's progress (``bonus_run``: the run's hour and the last
rowid paid). The run's last chunk also sets the job's watermark (the last hour paid) and
ends the run. A run stopped anywhere loses at most the chunk under way; the next run
resumes the stopped one after its last committed chunk, so nothing is paid twice.

**The cap across chunks.** A member's rows are spread over the table, so over several
chunks. ``bonus_run_members`` keeps each member's marker for the run: its hour and the
points paid so far, so a later chunk pays only what the cap still allows, and the
member's ledger line for the run, which later chunks add to (one line per member and run,
as before chunks).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import aiosqlite

from tinypier.bonus.ledger import GIB, SEEDING, BalanceChange, credit_lines
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
MARK_MEMBER = (
    "INSERT INTO bonus_run_members (user_id, hour, points, ledger_id) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (user_id) DO UPDATE SET hour = excluded.hour, points = excluded.points,"
    " ledger_id = excluded.ledger_id"
)
MARKERS = (
    "SELECT user_id, points, ledger_id FROM bonus_run_members WHERE hour = ?"
    " AND user_id IN (SELECT value FROM json_each(?))"
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
    settings: Settings,
    due: Sequence[Sequence[int]],
    hours_covered: int,
    paid_before: Mapping[int, int] | None = None,
) -> tuple[list[BalanceChange], int]:
    """Each member's ledger change for the rows due (rowid, member, hours, points),
    capped at ``bonus_max_points_per_hour`` for each hour covered less what earlier chunks
    of the run paid them (``paid_before``); and the points forfeited. Disabled members'
    rows earn 0; a member paid nothing gets no change, unless earlier chunks paid them:
    their line then counts these hours too."""
    earlier = paid_before or {}
    earned: dict[int, list[int]] = {}
    for _rowid, user_id, hours, points in due:
        totals = earned.setdefault(user_id, [0, 0])
        totals[0] += hours
        totals[1] += points
    cap = settings.bonus_max_points_per_hour * hours_covered
    changes, forfeited = [], 0
    for user_id, (hours, points) in sorted(earned.items()):
        paid = min(points, max(cap - earlier.get(user_id, 0), 0)) if cap else points
        forfeited += points - paid
        if paid or user_id in earlier:
            changes.append(BalanceChange(user_id, SEEDING, points=paid, quantity=hours))
    return changes, forfeited


@dataclass(frozen=True)
class BonusRun:
    """A run under way: the hour it pays up to, the hours its cap covers, and the last
    ``transfers`` rowid its committed chunks paid."""

    hour: int
    hours_covered: int
    after_rowid: int


async def pay_seeding_bonus(db: Database, settings: Settings, now: int) -> JobResult:
    """Pay for the seeding recorded up to the last whole hour, chunk by chunk, resuming a
    run that was stopped; see the module's notes."""
    run = await _run_under_way(db) or await _start_run(db, now - now % HOUR)
    if run is None:
        return {MEMBERS_PAID: 0, POINTS_PAID: 0}
    rate_sql, rate_params = hourly_rate_sql(settings, run.hour)
    due_sql = DUE_CHUNK.format(rate=rate_sql)
    while run.after_rowid != ENDED:
        # Read on a reader connection, outside the write lock (the tracker's commits go
        # on meanwhile, and take the lock between chunks).
        rows = await db.fetch_all(
            due_sql, [*rate_params, run.after_rowid, settings.bonus_job_chunk_rows]
        )
        due = [tuple(row) for row in rows]
        finished = len(due) < settings.bonus_job_chunk_rows
        moved = await pay_chunk(db, settings, run, due, finished, now)
        if moved is None:
            return {MEMBERS_PAID: 0, POINTS_PAID: 0}  # another run got there first
        run = moved
        await asyncio.sleep(0)
    return await _run_result(db, run.hour)


async def pay_chunk(
    db: Database,
    settings: Settings,
    run: BonusRun,
    due: Sequence[Sequence[int]],
    finished: bool,
    now: int,
) -> BonusRun | None:
    """Pay the rows due (rowid, member, hours, points; read after ``run.after_rowid``) in
    one transaction with the run's progress; the last chunk ends the run. Answers the run
    moved on (``after_rowid`` -1 once ended), or None when the stored run is not ``run``
    any more (another run paid this chunk)."""
    async with db.transaction() as connection:
        # Seeding only grows and only this job pays, so advancing each row by the hours
        # read pays them once, provided no other run paid them since they were read.
        if await _stored_run(connection) != run:
            return None
        members = sorted({row[1] for row in due})
        markers = await _markers(connection, run.hour, members)
        changes, forfeited = member_changes(
            settings, due, run.hours_covered, {m: paid for m, (paid, _) in markers.items()}
        )
        await connection.executemany(PAY_ROW, [(hours * HOUR, rowid) for rowid, _, hours, _ in due])
        lines = {member: line for member, (_, line) in markers.items()}
        lines |= await credit_lines(connection, changes, lines, now)
        paid = {member: paid for member, (paid, _) in markers.items()}
        for change in changes:
            paid[change.user_id] = paid.get(change.user_id, 0) + change.points
        await connection.executemany(
            MARK_MEMBER, [(m, run.hour, paid[m], lines[m]) for m in members if m in lines]
        )
        after = ENDED if finished else due[-1][0]
        await connection.execute(
            "UPDATE bonus_run SET after_rowid = ?, forfeited = forfeited + ?", (after, forfeited)
        )
        if finished:
            await set_watermark(connection, JOB_NAME, run.hour)
        return dataclasses.replace(run, after_rowid=after)


async def _stored_run(connection: aiosqlite.Connection) -> BonusRun | None:
    cursor = await connection.execute(
        "SELECT hour, hours_covered, after_rowid FROM bonus_run WHERE id = 1"
    )
    row = await cursor.fetchone()
    return BonusRun(*row) if row else None


async def _run_under_way(db: Database) -> BonusRun | None:
    """The run a stop interrupted between chunks, to be finished first."""
    row = await db.fetch_one(
        "SELECT hour, hours_covered, after_rowid FROM bonus_run WHERE id = 1 AND after_rowid >= 0"
    )
    return BonusRun(*row) if row else None


async def _start_run(db: Database, hour: int) -> BonusRun | None:
    """Begin the run paying up to ``hour``; None when that hour is paid already (or another
    run began meanwhile). Its cap covers every hour since the last paid one."""
    async with db.transaction() as connection:
        last = await watermark(connection, JOB_NAME)
        under_way = await _stored_run(connection)
        if last >= hour or (under_way is not None and under_way.after_rowid != ENDED):
            return None
        run = BonusRun(hour, (hour - last) // HOUR if last else 1, 0)
        await connection.execute(
            "INSERT OR REPLACE INTO bonus_run (id, hour, hours_covered, after_rowid, forfeited)"
            " VALUES (1, ?, ?, ?, 0)",
            (run.hour, run.hours_covered, run.after_rowid),
        )
        return run


async def _markers(
    connection: aiosqlite.Connection, hour: int, members: Sequence[int]
) -> dict[int, tuple[int, int]]:
    """The points the run of ``hour`` paid each of these members so far, and their ledger
    line for it (only members it paid already)."""
    cursor = await connection.execute(MARKERS, (hour, json.dumps(list(members))))
    return {int(user): (int(points), int(line)) for user, points, line in await cursor.fetchall()}


async def _run_result(db: Database, hour: int) -> JobResult:
    """What the run of ``hour`` did in all its chunks (a resumed run counts what it paid
    before the stop too)."""
    row = await db.fetch_one(
        "SELECT COUNT(*), COALESCE(SUM(l.points), 0), COALESCE(SUM(l.quantity), 0),"
        " (SELECT forfeited FROM bonus_run WHERE id = 1) FROM bonus_run_members m"
        " JOIN member_ledger l ON l.id = m.ledger_id WHERE m.hour = ?",
        (hour,),
    )
    assert row is not None
    members, points, hours, forfeited = (int(value or 0) for value in row)
    return {MEMBERS_PAID: members, POINTS_PAID: points, HOURS_PAID: hours,
            POINTS_FORFEITED: forfeited}  # fmt: skip


async def paid_until(db: Database) -> int:
    """The last hour the bonus was paid for (0 before the first run)."""
    value = await db.fetch_value("SELECT watermark FROM job_runs WHERE name = ?", (JOB_NAME,))
    return int(value or 0)


BONUS_JOB = Job(JOB_NAME, N_("Seed bonus"), HOUR, pay_seeding_bonus)
