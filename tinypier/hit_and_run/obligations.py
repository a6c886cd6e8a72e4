"""When a completed release is settled, as SQL over a snatch ``s`` with its transfer ``x``
(LEFT JOINed: a snatch folded without credit has none yet) and its release ``t``.

The sweep and the member's pages read the same expression, so a page never shows an
obligation as met that the sweep would record, nor the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinypier.permissions.sql import live_release_clause, open_releases_clause
from tinypier.settings import Settings

SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = 86_400

SEEDED = "COALESCE(x.seeding_seconds, 0)"
UPLOADED = "COALESCE(x.uploaded, 0)"


@dataclass(frozen=True, slots=True)
class Terms:
    """What each completed release owes under the current settings."""

    seed_seconds: int
    window_seconds: int
    min_ratio: float

    def met_sql(self) -> tuple[str, list[object]]:
        """``(sql, params)`` true for a settled snatch: seeded long enough, or (when the
        board allows it) uploaded ``min_ratio`` times the release's size."""
        if self.min_ratio > 0:
            return (
                f"({SEEDED} >= ? OR {UPLOADED} >= ? * t.total_size)",
                [self.seed_seconds, self.min_ratio],
            )
        return f"{SEEDED} >= ?", [self.seed_seconds]

    def due_at(self, completed_at: int) -> int:
        return completed_at + self.window_seconds


def settled_sql(rules: Terms) -> tuple[str, list[object]]:
    """True for a snatch ``s`` (its release ``t``, transfer ``x``) that owes nothing now:
    met, or on a release nobody can seed (frozen by a moderator, or its topic deleted)."""
    met_sql, met_params = rules.met_sql()
    open_sql, open_params = open_releases_clause("t")
    return (
        f"({met_sql} OR NOT ({open_sql}) OR NOT {live_release_clause('t')})",
        [*met_params, *open_params],
    )


def terms(settings: Settings) -> Terms:
    return Terms(
        settings.hnr_seed_hours * SECONDS_PER_HOUR,
        settings.hnr_window_days * SECONDS_PER_DAY,
        settings.hnr_min_ratio,
    )


def release_ratio(uploaded: int, total_size: int) -> float | None:
    """A member's ratio on one release: what they uploaded of it over its size (download
    credit is no measure here: freeleech makes it zero)."""
    return uploaded / total_size if total_size > 0 else None
