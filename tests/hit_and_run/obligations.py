"""Snatches and transfers as the tracker's folds leave them, written by SQL, and the sweep
run against the board: for the sweep's rules, which need no swarm to be tested."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.forum.board import on_board
from tests.tracker.wire import execute, fetch_unfolded, register_torrent
from tinypier.datadir import prepare_data_dir
from tinypier.hit_and_run.sweep import sweep
from tinypier.settings import Settings, load_settings

HOUR = 3600
DAY = 86_400
RELEASE_SIZE = 1000
"""What ``register_torrent`` gives every release."""

_labels = itertools.count()


def board(data_dir: Path, **settings: Any) -> Settings:
    """A migrated board with these settings, and no app running."""
    prepared = load_settings(data_dir, environ={}, **settings)
    prepare_data_dir(prepared)
    return prepared


def start_of_rules() -> int:
    """A moment after the migration's mark: what completes from here on owes seeding."""
    return int(time.time()) + 60


def completed(
    settings: Settings,
    member_id: int,
    uploader_id: int,
    at: int,
    *,
    seeded: int = 0,
    uploaded: int = 0,
    status: str = "checked",
) -> int:
    """A release ``member_id`` completed at ``at``, with the seeding time and upload the
    tracker recorded for them on it; returns the release's id."""
    torrent_id = register_torrent(
        settings, uploader_id, f"release {next(_labels)}", status=status
    ).id
    execute(
        settings,
        "INSERT INTO snatches (torrent_id, user_id, completed_at) VALUES (?, ?, ?)",
        torrent_id,
        member_id,
        at,
    )
    execute(
        settings,
        "INSERT INTO transfers (torrent_id, user_id, uploaded, downloaded, seeding_seconds,"
        " first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        torrent_id,
        member_id,
        uploaded,
        RELEASE_SIZE,
        seeded,
        at,
        at,
    )
    return torrent_id


def seed_more(settings: Settings, member_id: int, torrent_id: int, seconds: int) -> None:
    execute(
        settings,
        "UPDATE transfers SET seeding_seconds = seeding_seconds + ?"
        " WHERE torrent_id = ? AND user_id = ?",
        seconds,
        torrent_id,
        member_id,
    )


def run_sweep(
    settings: Settings, now: int, member_changed: Callable[[int], None] | None = None
) -> int:
    return on_board(settings, lambda db: sweep(db, now, settings, member_changed))


def hit_and_runs(settings: Settings) -> list[tuple[Any, ...]]:
    """Every recorded hit-and-run: (member, release, cleared or not)."""
    return fetch_unfolded(
        settings,
        "SELECT user_id, torrent_id, cleared_at IS NOT NULL FROM hit_and_runs"
        " ORDER BY user_id, torrent_id",
    )
