"""The sweep's rules: a completed release not seeded for ``hnr_seed_hours`` (nor uploaded
``hnr_min_ratio`` times its size) when ``hnr_window_days`` are over is recorded as a
hit-and-run; seeding the hours later clears it; a rerun, even after a crash midway,
records nothing twice."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Member, add_member
from tests.hit_and_run.obligations import (
    DAY,
    HOUR,
    RELEASE_SIZE,
    board,
    completed,
    hit_and_runs,
    run_sweep,
    seed_more,
    start_of_rules,
)
from tests.tracker.wire import execute
from tinypier.hit_and_run import sweep as sweep_module
from tinypier.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return board(tmp_path / "data", hnr_seed_hours="72", hnr_window_days="14", hnr_max="3")


@pytest.fixture
def uploader(settings: Settings) -> Member:
    return add_member(settings, "uploader")


@pytest.fixture
def taker(settings: Settings) -> Member:
    return add_member(settings, "taker")


def test_an_unseeded_release_is_recorded_once_its_window_is_over(
    settings: Settings, uploader: Member, taker: Member
) -> None:
    t0 = start_of_rules()
    torrent = completed(settings, taker.id, uploader.id, t0, seeded=71 * HOUR)

    assert run_sweep(settings, t0 + 14 * DAY - 1) == 0, "the window is still open"
    assert hit_and_runs(settings) == []
    assert run_sweep(settings, t0 + 14 * DAY) == 1
    assert hit_and_runs(settings) == [(taker.id, torrent, 0)]


def test_seeding_the_hours_in_the_window_settles_the_release(
    settings: Settings, uploader: Member, taker: Member
) -> None:
    t0 = start_of_rules()
    completed(settings, taker.id, uploader.id, t0, seeded=72 * HOUR)

    assert run_sweep(settings, t0 + 15 * DAY) == 0
    assert hit_and_runs(settings) == []


def test_seeding_the_owed_hours_later_clears_a_recorded_hit_and_run(
    settings: Settings, uploader: Member, taker: Member
) -> None:
    t0 = start_of_rules()
    torrent = completed(settings, taker.id, uploader.id, t0, seeded=10 * HOUR)
    run_sweep(settings, t0 + 15 * DAY)

    seed_more(settings, taker.id, torrent, 61 * HOUR)
    assert run_sweep(settings, t0 + 16 * DAY) == 0, "an hour is still owed"
    seed_more(settings, taker.id, torrent, HOUR)
    assert run_sweep(settings, t0 + 16 * DAY) == 1

    assert hit_and_runs(settings) == [(taker.id, torrent, 1)]
    assert run_sweep(settings, t0 + 30 * DAY) == 0, "a cleared one is not recorded again"


def test_the_ratio_on_the_release_settles_it_where_the_board_allows(
    tmp_path: Path,
) -> None:
    settings = board(tmp_path / "data", hnr_seed_hours="72", hnr_min_ratio="1.5")
    uploader, taker = add_member(settings, "uploader"), add_member(settings, "taker")
    t0 = start_of_rules()
    enough = completed(settings, taker.id, uploader.id, t0, uploaded=RELEASE_SIZE * 3 // 2)
    short = completed(settings, taker.id, uploader.id, t0, uploaded=RELEASE_SIZE)

    run_sweep(settings, t0 + 15 * DAY)
    assert hit_and_runs(settings) == [(taker.id, short, 0)]

    execute(settings, "UPDATE transfers SET uploaded = ? WHERE torrent_id = ?", 2000, short)
    run_sweep(settings, t0 + 15 * DAY)
    assert hit_and_runs(settings) == [(taker.id, short, 1)]
    assert enough != short


def test_a_frozen_release_and_the_uploaders_own_owe_nothing(
    settings: Settings, uploader: Member, taker: Member
) -> None:
    """Nobody can seed a release a moderator closed: the tracker refuses it."""
    t0 = start_of_rules()
    closed = completed(settings, taker.id, uploader.id, t0, status="closed")
    completed(settings, uploader.id, uploader.id, t0)
    open_one = completed(settings, taker.id, uploader.id, t0)

    run_sweep(settings, t0 + 15 * DAY)
    assert hit_and_runs(settings) == [(taker.id, open_one, 0)]

    execute(settings, "UPDATE torrents SET status = 'closed' WHERE id = ?", open_one)
    run_sweep(settings, t0 + 15 * DAY)
    assert hit_and_runs(settings) == [(taker.id, open_one, 1)], "closed later: cleared"
    assert closed != open_one


def test_while_the_rules_are_off_nothing_is_recorded_and_what_completed_owes_nothing(
    tmp_path: Path,
) -> None:
    off = board(tmp_path / "data")
    uploader, taker = add_member(off, "uploader"), add_member(off, "taker")
    t0 = start_of_rules()
    completed(off, taker.id, uploader.id, t0)
    assert run_sweep(off, t0 + 15 * DAY) == 0

    on = board(tmp_path / "data", hnr_seed_hours="72")
    after = completed(on, taker.id, uploader.id, t0 + 16 * DAY)
    assert run_sweep(on, t0 + 40 * DAY) == 1
    assert hit_and_runs(on) == [(taker.id, after, 0)], "only what completed once they were on"


def test_a_sweep_killed_midway_resumes_and_records_nothing_twice(
    settings: Settings, uploader: Member, taker: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each chunk commits with the mark moved past it: a crash between chunks loses
    nothing and repeats nothing. Here the crash comes right after the first chunk's
    commit (the member-changed callback runs there)."""
    monkeypatch.setattr(sweep_module, "SWEEP_CHUNK", 2)
    members = [add_member(settings, f"taker{n}") for n in range(5)]
    t0 = start_of_rules()
    owed = [completed(settings, m.id, uploader.id, t0 + n) for n, m in enumerate(members)]
    # Several snatches at one second, across a chunk boundary: the mark holds the id too.
    owed += [completed(settings, m.id, uploader.id, t0 + 10) for m in members[:3]]

    class Killed(Exception):
        pass

    def crash(_user_id: int) -> None:
        raise Killed

    with pytest.raises(Killed):
        run_sweep(settings, t0 + 15 * DAY, member_changed=crash)
    assert len(hit_and_runs(settings)) == 2, "the first chunk was committed"

    told: list[int] = []
    assert run_sweep(settings, t0 + 15 * DAY, member_changed=told.append) == len(owed) - 2
    assert run_sweep(settings, t0 + 15 * DAY) == 0
    assert sorted(torrent for _, torrent, _ in hit_and_runs(settings)) == sorted(owed)
    assert len(told) == len(owed) - 2, "each newly recorded member is told once"


def test_a_sweep_failing_inside_a_chunk_commits_nothing_of_it(
    settings: Settings, uploader: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunk's records and its mark commit together: when moving the mark fails, the
    chunk's hit-and-runs are rolled back with it, and the rerun records them once."""
    monkeypatch.setattr(sweep_module, "SWEEP_CHUNK", 2)
    t0 = start_of_rules()
    owed = [completed(settings, add_member(settings, f"t{n}").id, uploader.id, t0 + n)
            for n in range(3)]  # fmt: skip
    monkeypatch.setattr(sweep_module, "_MOVE_MARK", "UPDATE no_such_table SET x = ?, y = ?")

    with pytest.raises(sqlite3.OperationalError):
        run_sweep(settings, t0 + 15 * DAY)
    assert hit_and_runs(settings) == []

    monkeypatch.undo()
    assert run_sweep(settings, t0 + 15 * DAY) == 3
    assert sorted(torrent for _, torrent, _ in hit_and_runs(settings)) == owed


KILLED_MIDWAY = """
import asyncio, os, sys
from pathlib import Path
from tinypier.db.connection import Database
from tinypier.hit_and_run import sweep as sweep_module
from tinypier.settings import load_settings

sweep_module.SWEEP_CHUNK = 2
settings = load_settings(Path(sys.argv[1]), environ={}, hnr_seed_hours="72")

def killed(_user_id):
    os._exit(137)  # as kill -9: no rollback, no close, nothing flushed

async def main():
    db = Database(settings.database_path)
    await db.open()
    await sweep_module.sweep(db, int(sys.argv[2]), settings, killed)

asyncio.run(main())
"""


def test_a_sweep_process_killed_after_a_chunk_resumes_on_the_next_run(
    settings: Settings, uploader: Member
) -> None:
    """A real process death (``os._exit``, as SIGKILL leaves it) right after the first
    chunk's commit: the next run, in another process, records the rest and nothing twice."""
    t0 = start_of_rules()
    owed = [completed(settings, add_member(settings, f"k{n}").id, uploader.id, t0 + n)
            for n in range(5)]  # fmt: skip
    now = t0 + 15 * DAY

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MIDWAY, str(settings.data_dir), str(now)],
        capture_output=True,
        check=False,
    )

    assert killed.returncode == 137, killed.stderr
    assert len(hit_and_runs(settings)) == 2
    assert run_sweep(settings, now) == 3
    assert sorted(torrent for _, torrent, _ in hit_and_runs(settings)) == owed
