"""The ratio rules: may this member take a .torrent, start leeching, and how many at once.

The web (``torrents.download``) and the tracker (``tracker.engine``) both ask here, so
a page and an announce never disagree. Every answer reads only the settings and the two
figures it is given: the tracker passes the ones its registry caches, so a check costs
no query per announce.

As in TorrentPier, a member who has downloaded less than ``ratio_grace_bytes`` is held to
none of the rules (a newcomer has nothing to seed yet), and no role is exempt: an admin
who wants a member spared credits them upload instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tinypier.settings import Settings, leech_slot_bands


@dataclass(frozen=True, slots=True)
class RatioShortfall:
    """Why a member may not download: their ratio and the least the board asks for."""

    ratio: float
    minimum: float


def held_ratio(settings: Settings, uploaded: int, downloaded: int) -> float | None:
    """The member's ratio when the rules apply to them; None within the grace amount."""
    if downloaded <= 0 or downloaded < settings.ratio_grace_bytes:
        return None
    return uploaded / downloaded


def ratio_shortfall(settings: Settings, uploaded: int, downloaded: int) -> RatioShortfall | None:
    """Why the member may not download a .torrent nor start leeching; None when they may."""
    ratio = held_ratio(settings, uploaded, downloaded)
    minimum = settings.min_download_ratio
    if ratio is None or not minimum or ratio >= minimum:
        return None
    return RatioShortfall(ratio, minimum)


def leech_slots(settings: Settings, uploaded: int, downloaded: int) -> int | None:
    """How many releases the member may leech at once; None for no limit."""
    ratio = held_ratio(settings, uploaded, downloaded)
    if ratio is None:
        return None
    for below, slots in leech_slot_bands(settings.leech_slots_below_ratio):
        if ratio < below:
            return slots
    return None


def ratio_warning(settings: Settings, uploaded: int, downloaded: int) -> float | None:
    """The member's ratio when it is below the warning threshold (they should seed more
    before downloads are refused); None when there is nothing to warn about."""
    ratio = held_ratio(settings, uploaded, downloaded)
    threshold = settings.ratio_warning
    if ratio is None or not threshold or ratio >= threshold:
        return None
    return ratio


def shown_ratio(ratio: float) -> float:
    """A ratio as a refusal shows it, two decimals rounded down: 0.499 reads 0.49, never
    the 0.50 that would look like it meets a 0.5 minimum. (Rounding to six places first
    keeps 0.29, whose float times 100 is 28.999..., from reading 0.28.)"""
    return math.floor(round(ratio * 100, 6)) / 100
