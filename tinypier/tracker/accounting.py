"""How much an announce credits: deltas per peer, freeleech, seeding time.

A client reports ``uploaded``/``downloaded`` as totals since it sent ``started`` for this
torrent. So the credit of an announce is the difference from the same peer's previous
report (the baseline), and the baseline of a brand-new session is zero: the first
announce of an unknown peer is credited in full (its totals are, by definition, traffic
of a session this tracker has not credited yet; usually they are 0 on ``started``).

Two exceptions keep a member from being credited twice for the same bytes:

- a peer the tracker still knows (an IPv6 announce after the IPv4 one, the v2 hash of a
  hybrid after the v1 hash, a repeated ``started``) is always measured against its
  baseline;
- a peer that left (``stopped``, or expired) and comes back with the same peer id but
  without ``started`` is measured against the counters it left with.

A counter that goes down (the client restarted and kept its peer id) credits nothing and
becomes the new baseline. Freeleech scales only download.

Claims are not believed blindly (:func:`capped_credit`): a delta is credited at most at
``max_upload_rate`` / ``max_download_rate`` bytes per second of the time it covers (since
the peer's previous announce; for a peer's first announce, since the release was
registered or the member last announced, whichever is later), and upload only if the
swarm had someone to upload to: a leecher other than the peer itself, now or during
that time. What is withheld is not credited later (the baseline still moves to what the
client reported) and goes to the cheat log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from tinypier.i18n import N_

# Stored in the cheat log as written here; the admin page shows them translated.
RATE_CAPPED = N_("faster than the rate cap")
NO_LEECHER = N_("upload with no leecher in the swarm")

GOLD = "gold"
SILVER = "silver"
FREELEECH_LEVELS = ("none", SILVER, GOLD)
SEEDING_GAP_INTERVALS = 2


def counter_delta(baseline: int, reported: int) -> int:
    """The new bytes since the baseline; nothing if the counter went backwards."""
    return reported - baseline if reported >= baseline else 0


def download_credit(delta: int, freeleech: str, global_freeleech: bool) -> int:
    """Gold (or a site-wide freeleech) counts no download, silver half of it."""
    if global_freeleech or freeleech == GOLD:
        return 0
    if freeleech == SILVER:
        return delta // 2
    return delta


def seeding_credit(was_seeding: bool, last_announce_at: int, now: int, interval: int) -> int:
    """Seconds seeded since the last announce; a long silence counts as at most two
    intervals, because nobody knows whether the client was seeding in between."""
    if not was_seeding:
        return 0
    return max(0, min(now - last_announce_at, SEEDING_GAP_INTERVALS * interval))


@dataclass(frozen=True, slots=True)
class Credit:
    uploaded: int
    downloaded: int
    seeding_seconds: int

    @property
    def moves_bytes(self) -> bool:
        return self.uploaded > 0 or self.downloaded > 0


class WithheldCredit(NamedTuple):
    """A cheat-log line: what an announce claimed, what it was credited, and why not all."""

    claimed_uploaded: int
    credited_uploaded: int
    claimed_downloaded: int
    credited_downloaded: int
    reason: str


def capped_credit(
    claimed: tuple[int, int],
    seconds: float,
    rates: tuple[int, int],
    has_leecher: bool,
) -> tuple[tuple[int, int], WithheldCredit | None]:
    """The (uploaded, downloaded) deltas to credit for ``seconds`` of transfer, and what
    was withheld (None when nothing was): a few comparisons, cheap enough for every
    announce. Download is capped before freeleech scales it."""
    uploaded, downloaded = claimed
    allowed_up = int(rates[0] * seconds) if has_leecher and seconds > 0 else 0
    allowed_down = int(rates[1] * seconds) if seconds > 0 else 0
    if uploaded <= allowed_up and downloaded <= allowed_down:
        return claimed, None
    credited_up = min(uploaded, allowed_up)
    credited_down = min(downloaded, allowed_down)
    reason = NO_LEECHER if credited_up < uploaded and not has_leecher else RATE_CAPPED
    return (credited_up, credited_down), WithheldCredit(
        uploaded, credited_up, downloaded, credited_down, reason
    )
