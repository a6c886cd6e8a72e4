"""Slowing down password guessing: a few login and registration attempts per address
per minute.

Kept in memory: TinyPier is one process, and a limit that resets on restart still stops
a script from trying thousands of passwords a minute.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from litestar import Request
from litestar.datastructures import State
from litestar.exceptions import TooManyRequestsException

from tinypier.i18n import _
from tinypier.settings import Settings
from tinypier.web.net import client_address

WINDOW_SECONDS = 60.0
STATE_KEY = "attempt_limiter"

Clock = Callable[[], float]
Limiter = TypeVar("Limiter")


class AttemptLimiter:
    """At most ``limit`` attempts per key in any sliding window of one minute."""

    def __init__(self, limit: int, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._attempts: dict[str, deque[float]] = {}
        self._last_sweep = clock()

    def attempt(self, key: str) -> bool:
        """Record an attempt; False when the key has used up its attempts."""
        now = self._clock()
        cutoff = now - WINDOW_SECONDS
        if self._last_sweep <= cutoff:
            self._sweep(cutoff)
            self._last_sweep = now
        attempts = self._attempts.setdefault(key, deque())
        _drop_older(attempts, cutoff)
        if len(attempts) >= self.limit:
            return False
        attempts.append(now)
        return True

    def _sweep(self, cutoff: float) -> None:
        """Forget addresses that went quiet, once a minute, so memory stays bounded."""
        for key in list(self._attempts):
            _drop_older(self._attempts[key], cutoff)
            if not self._attempts[key]:
                del self._attempts[key]


def _drop_older(attempts: deque[float], cutoff: float) -> None:
    while attempts and attempts[0] <= cutoff:
        attempts.popleft()


def made_once(state: State, key: str, make: Callable[[], Limiter]) -> Limiter:
    """The application's limiter under ``key``, made by ``make`` on first use (tests may
    put their own in state). Every limiter of the board is kept this way."""
    limiter: Limiter | None = state.get(key)
    if limiter is None:
        limiter = make()
        state[key] = limiter
    return limiter


def limiter_in_state(state: State, key: str, limit: int) -> AttemptLimiter:
    """The application's attempt limiter under ``key``, made on first use."""
    return made_once(state, key, lambda: AttemptLimiter(limit))


def limiter_of(state: State, settings: Settings) -> AttemptLimiter:
    """The login and registration limiter."""
    return limiter_in_state(state, STATE_KEY, settings.login_attempts_per_minute)


def check_attempt(request: Request[Any, Any, Any], settings: Settings, action: str) -> None:
    """Count this request against its address; answer 429 once the address is over."""
    host = request.client.host if request.client else None
    address = client_address(host, request.headers.get("x-forwarded-for"), settings.trusted_proxies)
    key = f"{action} {address or host or 'unknown'}"
    if not limiter_of(request.app.state, settings).attempt(key):
        raise TooManyRequestsException(_("Too many attempts from your address. Wait a minute."))
