"""Flood control's counting, shared by every feature that lets a member write: posts
(``tinypier.forum.flood``) and private messages (``tinypier.messages.sending``).

Two rules per limiter: a member waits ``interval`` seconds between two writes, and writes
at most ``cap`` times in any rolling ``window``. The limiter only counts and says which
rule refused and for how long; each feature words the refusal for its own writes.

Kept in memory: TinyPier is one process, and a limit that resets on restart still stops
a flood.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from enum import Enum

from tinypier.accounts.rate_limit import Clock
from tinypier.i18n import ngettext


class Rule(Enum):
    INTERVAL = "interval"
    CAP = "cap"


@dataclass(frozen=True)
class Wait:
    """Why a write must wait (``rule``) and for how many seconds."""

    rule: Rule
    seconds: float

    @property
    def phrase(self) -> str:
        """The wait in whole seconds, in the reader's language ("3 seconds")."""
        whole = max(1, math.ceil(self.seconds))
        return ngettext("%(num)s second", "%(num)s seconds", whole)


class FloodLimiter:
    """Admits a member's write when both rules allow it, and counts it at once.

    Counting in the same step as checking matters: many concurrent requests must not all
    pass the check before any of them is counted.
    """

    def __init__(
        self, interval: float, cap: int, window: float, clock: Clock = time.monotonic
    ) -> None:
        self.interval = interval
        self.cap = cap
        self.window = window
        self._clock = clock
        self._writes: dict[int, deque[float]] = {}
        self._last_sweep = clock()

    def admit(self, member_id: int) -> Wait | None:
        """Count a write now; or, when it must wait, why and how long, counting nothing."""
        now = self._clock()
        self._sweep_now_and_then(now)
        writes = self._writes.setdefault(member_id, deque())
        _drop_older(writes, now - self.window)
        if writes and now - writes[-1] < self.interval:
            return Wait(Rule.INTERVAL, self.interval - (now - writes[-1]))
        if len(writes) >= self.cap:
            return Wait(Rule.CAP, writes[0] + self.window - now)
        writes.append(now)
        return None

    def give_back(self, member_id: int) -> None:
        """Uncount the last admitted write: it was refused for another reason and should
        not make the member wait."""
        writes = self._writes.get(member_id)
        if writes:
            writes.pop()

    def _sweep_now_and_then(self, now: float) -> None:
        """Forget members quiet for a window, once a window, so memory stays bounded."""
        if now - self._last_sweep < self.window:
            return
        self._last_sweep = now
        for member_id in list(self._writes):
            _drop_older(self._writes[member_id], now - self.window)
            if not self._writes[member_id]:
                del self._writes[member_id]


def _drop_older(writes: deque[float], cutoff: float) -> None:
    while writes and writes[0] <= cutoff:
        writes.popleft()
