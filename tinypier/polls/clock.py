"""The time polls are judged by. A poll's end date passes on this clock, which tests
replace with one they move by hand (``tests.helpers.FakeClock``)."""

from __future__ import annotations

import time
from collections.abc import Callable

clock: Callable[[], float] = time.time


def now() -> int:
    return int(clock())
