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

Everything a run does commits in ONE transaction: the rows' paid seconds, the members'
points, their ledger rows and the job's watermark (the last hour paid). A run stopped at
any point commits nothing, and the next run pays exactly once; a second run in the same
hour finds the hour paid and does nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

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

# Every row with an hour or more of seeding not paid for yet. Reading them is one pass
# over transfers (see README, "Seed bonus"): an index to find them would be updated by
# every seeder's announce, which is the path the tracker keeps fast.
DUE = (
    "SELECT t.torrent_id, t.user_id, t.seeding_seconds - t.bonus_paid_seconds AS unpaid,"
    " x.total_size, x.created_at, u.disabled FROM transfers t"
    " JOIN torrents x ON x.id = t.torrent_id JOIN users u ON u.id = t.user_id"
    f" WHERE t.seeding_seconds - t.bonus_paid_seconds >= {HOUR}"
)
PAY_TRANSFER = (
    "UPDATE transfers SET bonus_paid_seconds = bonus_paid_seconds + ?"
    " WHERE torrent_id = ? AND user_id = ?"
)


def band_points(bands: Sequence[tuple[float, int]], value: float) -> int:
    """The points of the highest band ``value`` reaches; 0 below the first."""
    points = 0
    for threshold, band in bands:
        if value < threshold:
            break
        points = band
    return points


def hourly_rate(settings: Settings, size: int, age_seconds: int) -> int:
    """Points for one hour of seeding a release of ``size`` bytes this old."""
    by_size = band_points(bonus_bands(settings.bonus_points_by_size), size / GIB)
    by_age = band_points(bonus_bands(settings.bonus_points_by_age), age_seconds / DAY)
    return by_size + by_age


@dataclass
class _Earnings:
    points: int = 0
    hours: int = 0


@dataclass(frozen=True)
class Payout:
    """What one run pays: per release and member the seconds now paid, per member a
    ledger change, and what the cap forfeited."""

    transfers: list[tuple[int, int, int]]
    changes: list[BalanceChange]
    forfeited: int


def payout(settings: Settings, rows: Sequence[tuple[int, ...]], hour: int, hours: int) -> Payout:
    """The run that pays up to ``hour`` (a whole hour), ``hours`` after the last paid."""
    cap = settings.bonus_max_points_per_hour * hours
    earnings: dict[int, _Earnings] = defaultdict(_Earnings)
    transfers = []
    for torrent_id, user_id, unpaid, size, created_at, disabled in rows:
        paid_hours = unpaid // HOUR
        transfers.append((paid_hours * HOUR, torrent_id, user_id))
        if not disabled:
            earned = earnings[user_id]
            earned.hours += paid_hours
            earned.points += paid_hours * hourly_rate(settings, size, max(hour - created_at, 0))
    changes, forfeited = [], 0
    for user_id, earned in sorted(earnings.items()):
        points = min(earned.points, cap) if cap else earned.points
        forfeited += earned.points - points
        if points:
            changes.append(BalanceChange(user_id, SEEDING, points=points, quantity=earned.hours))
    return Payout(transfers, changes, forfeited)


async def pay_seeding_bonus(db: Database, settings: Settings, now: int) -> JobResult:
    """Pay for the seeding recorded up to the last whole hour; see the module's notes."""
    hour = now - now % HOUR
    async with db.transaction() as connection:
        last = await watermark(connection, JOB_NAME)
        if last >= hour:
            return {MEMBERS_PAID: 0, POINTS_PAID: 0}
        hours = (hour - last) // HOUR if last else 1
        cursor = await connection.execute(DUE)
        rows = [tuple(row) for row in await cursor.fetchall()]
        paid = payout(settings, rows, hour, hours)
        await connection.executemany(PAY_TRANSFER, paid.transfers)
        await apply_changes(connection, paid.changes, now)
        await set_watermark(connection, JOB_NAME, hour)
    return {
        MEMBERS_PAID: len(paid.changes),
        POINTS_PAID: sum(change.points for change in paid.changes),
        HOURS_PAID: sum(change.quantity for change in paid.changes),
        POINTS_FORFEITED: paid.forfeited,
    }


BONUS_JOB = Job(JOB_NAME, N_("Seed bonus"), HOUR, pay_seeding_bonus)
