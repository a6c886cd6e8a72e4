"""How account pages show times: in UTC, to the minute, the same for every reader."""

from __future__ import annotations

from datetime import UTC, datetime


def moment(timestamp: int | None) -> str:
    if timestamp is None:
        return "never"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")
