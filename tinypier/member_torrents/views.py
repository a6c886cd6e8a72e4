"""What the member torrent pages show of a row: the figures the tracker recorded, turned
into the words a member reads (time left, hours still owed, a release's ratio)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import timedelta

from babel.dates import format_timedelta

from tinypier.hit_and_run.obligations import Terms, release_ratio
from tinypier.i18n import current_audience
from tinypier.web.formatting import ratio_figure


def duration(seconds: int) -> str:
    """A span as the reader's language says it ("5 hours", "3 дня"), in whole units."""
    return format_timedelta(
        timedelta(seconds=max(0, seconds)),
        granularity="minute",
        threshold=2,
        locale=current_audience().locale,
    )


def release_ratio_text(uploaded: int, total_size: int) -> str:
    shown = release_ratio(uploaded, total_size)
    return "—" if shown is None else ratio_figure(shown)


@dataclass(frozen=True)
class Obligation:
    """A completed release still owing seeding: how long is left and how much is owed."""

    row: sqlite3.Row
    due_at: int
    seconds_left: int
    seconds_owed: int


def obligation(row: sqlite3.Row, rules: Terms, now: int) -> Obligation:
    due_at = rules.due_at(row["completed_at"])
    return Obligation(
        row=row,
        due_at=due_at,
        seconds_left=max(0, due_at - now),
        seconds_owed=max(0, rules.seed_seconds - row["seeding_seconds"]),
    )
