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

The rows due are read first, outside the write lock; then everything the run changes
commits in ONE transaction: the rows' paid seconds, the members' points, their ledger
rows and the job's watermark (the last hour paid). A run stopped at any point commits
nothing, and the next run pays exactly once; a second run in the same hour finds the
hour paid and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
PAY_ROW = "UPDATE transfers SET bonus_paid_seconds = bonus_paid_seconds + ? WHERE rowid = ?"


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
    settings: Settings, due: Sequence[Sequence[int]], hours_covered: int
) -> tuple[list[BalanceChange], int]:
    """Each member's ledger change for the rows due (rowid, member, hours, points),
    capped at ``bonus_max_points_per_hour`` for each hour covered; and the points
    forfeited. Disabled members' rows earn 0 and make no change."""
    earned: dict[int, list[int]] = {}
    for _rowid, user_id, hours, points in due:
        totals = earned.setdefault(user_id, [0, 0])
        totals[0] += hours
        totals[1] += points
    cap = settings.bonus_max_points_per_hour * hours_covered
    changes, forfeited = [], 0
    for user_id, (hours, points) in sorted(earned.items()):
        paid = min(points, cap) if cap else points
        forfeited += points - paid
        if paid:
            changes.append(BalanceChange(user_id, SEEDING, points=paid, quantity=hours))
    return changes, forfeited


async def pay_seeding_bonus(db: Database, settings: Settings, now: int) -> JobResult:
    """Pay for the seeding recorded up to the last whole hour; see the module's notes."""
    hour = now - now % HOUR
    last = await paid_until(db)
    if last >= hour:
        return {MEMBERS_PAID: 0, POINTS_PAID: 0}
    # Read on a reader connection, outside the write lock (the tracker's commits go on
    # meanwhile): one snapshot, so the hours advanced are exactly the hours paid for.
    rate_sql, params = hourly_rate_sql(settings, hour)
    due = [tuple(row) for row in await db.fetch_all(DUE.format(rate=rate_sql), params)]
    changes, forfeited = member_changes(settings, due, (hour - last) // HOUR if last else 1)
    async with db.transaction() as connection:
        # Seeding only grows and only this job pays, so advancing each row by the hours
        # read pays them once; a run that got here first has moved the watermark.
        if await watermark(connection, JOB_NAME) != last:
            return {MEMBERS_PAID: 0, POINTS_PAID: 0}
        await connection.executemany(PAY_ROW, [(hours * HOUR, rowid) for rowid, _, hours, _ in due])
        await apply_changes(connection, changes, now)
        await set_watermark(connection, JOB_NAME, hour)
    return {
        MEMBERS_PAID: len(changes),
        POINTS_PAID: sum(change.points for change in changes),
        HOURS_PAID: sum(change.quantity for change in changes),
        POINTS_FORFEITED: forfeited,
    }


async def paid_until(db: Database) -> int:
    """The last hour the bonus was paid for (0 before the first run)."""
    value = await db.fetch_value("SELECT watermark FROM job_runs WHERE name = ?", (JOB_NAME,))
    return int(value or 0)


BONUS_JOB = Job(JOB_NAME, N_("Seed bonus"), HOUR, pay_seeding_bonus)
