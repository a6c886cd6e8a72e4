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
becomes the new baseline. Upload is credited in full; freeleech scales only download.
"""

from __future__ import annotations

from dataclasses import dataclass

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
