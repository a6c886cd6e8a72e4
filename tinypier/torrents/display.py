"""How sizes and times of releases read on the pages."""

from __future__ import annotations

import time

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def human_size(size: int) -> str:
    """Binary units, as BitTorrent clients show them, so the numbers agree."""
    value = float(size)
    for unit in _UNITS:
        if value < 1024 or unit == _UNITS[-1]:
            return f"{size} B" if unit == "B" else f"{value:.2f} {unit}"
        value /= 1024
    return f"{size} B"


def utc_time(timestamp: int | None) -> str:
    if timestamp is None:
        return "never"
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp))


def iso_time(timestamp: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def percent_done(total_size: int, left: int) -> str:
    if total_size <= 0:
        return "100%"
    done = max(0, min(total_size, total_size - left))
    return f"{100 * done / total_size:.1f}%"
