"""The hit-and-run rule: with ``hnr_max`` active hit-and-runs a member may neither take a
.torrent nor start leeching, until they seed them off.

The web (``torrents.download``: pages, API and feeds) and the tracker (``tracker.engine``)
both ask here, as they do for the ratio rules (:mod:`~tinypier.permissions.ratio`). The
answer reads only the settings and the member's count of active hit-and-runs; the tracker
passes the count its registry caches with the member (:func:`active_count_sql`), so an
announce costs no query. The sweep that records and clears hit-and-runs is
``tinypier.hit_and_run``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinypier.settings import Settings


def active_count_sql(user_id_column: str) -> str:
    """A subquery counting the active hit-and-runs of the member in ``user_id_column``
    (``users.id`` in a query over users): a walk of the partial index
    ``ix_hit_and_runs_active``."""
    return (
        "(SELECT COUNT(*) FROM hit_and_runs active_hnr"  # noqa: S608 - a column of ours
        f" WHERE active_hnr.user_id = {user_id_column} AND active_hnr.cleared_at IS NULL)"
    )


@dataclass(frozen=True, slots=True)
class HitAndRunBlock:
    """Why a member may not download: how many hit-and-runs they have, and the limit."""

    active: int
    limit: int


def hit_and_runs_on(settings: Settings) -> bool:
    """The rules apply when a completed release owes some seeding (``hnr_seed_hours``)."""
    return settings.hnr_seed_hours > 0


def hit_and_run_block(settings: Settings, active: int) -> HitAndRunBlock | None:
    """Why the member may not download a .torrent nor start leeching; None when they may.
    Turning the rules off lifts every block at once, recorded hit-and-runs or not."""
    if not hit_and_runs_on(settings) or active < settings.hnr_max:
        return None
    return HitAndRunBlock(active, settings.hnr_max)
