"""How numbers and times read on every page: one place, so the forum, the releases and
the account pages never show the same value two ways."""

from __future__ import annotations

from datetime import UTC, datetime

SIZE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def human_size(size: int) -> str:
    """Bytes as a person reads them: 1536 -> "1.5 KiB"."""
    value = float(size)
    for unit in SIZE_UNITS[:-1]:
        if abs(value) < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} {SIZE_UNITS[-1]}"


def ratio(uploaded: int, downloaded: int) -> str:
    """Share ratio as trackers show it: "∞" for someone who only gave, "—" for someone
    who never moved a byte."""
    if downloaded > 0:
        return f"{uploaded / downloaded:.2f}"
    return "∞" if uploaded > 0 else "—"


def when(timestamp: int | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()
