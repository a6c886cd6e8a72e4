"""Periodic jobs: the scheduler runs each when due and records how it went; admins see the
runs on /admin/jobs and run one at once; the expiry and counters jobs do what they say
and a second run changes nothing."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import add_forum, add_topic, on_board, sql
from tests.helpers import add_member, csrf_token, login
from tinypier.datadir import prepare_data_dir
from tinypier.db.connection import Database
from tinypier.i18n import N_
from tinypier.jobs.base import Job, JobResult, job_states
from tinypier.jobs.counters import CORRECTED, check_counters
from tinypier.jobs.expiry import (
    EXPIRED_INVITES_KEPT_SECONDS,
    INVITES_REMOVED,
    SESSIONS_REMOVED,
    expire,
)
from tinypier.jobs.scheduler import Scheduler
from tinypier.settings import Settings

Client = TestClient[Litestar]
NOW = 1_800_000_000


@pytest.fixture
def board(settings: Settings) -> Settings:
    prepare_data_dir(settings)
    return settings


def test_expiry_removes_expired_sessions_and_long_expired_unused_invites(board: Settings) -> None:
    member = add_member(board, "member")
    sql(board, "INSERT INTO sessions (id, user_id, created_at, expires_at, data) VALUES"
        " ('old', ?, 0, ?, '{}'), ('live', ?, 0, ?, '{}')",
        (member.id, NOW - 1, member.id, NOW + 1))  # fmt: skip
    long_ago = NOW - EXPIRED_INVITES_KEPT_SECONDS - 1
    sql(board, "INSERT INTO invites (code, created_by, created_at, expires_at, used_by) VALUES"
        " ('stale', ?, 0, ?, NULL), ('recent', ?, 0, ?, NULL), ('used', ?, 0, ?, ?)",
        (member.id, long_ago, member.id, NOW - 1, member.id, long_ago, member.id))  # fmt: skip

    first = on_board(board, lambda db: expire(db, board, NOW))
    second = on_board(board, lambda db: expire(db, board, NOW))

    assert first == {SESSIONS_REMOVED: 1, INVITES_REMOVED: 1}
    assert second == {SESSIONS_REMOVED: 0, INVITES_REMOVED: 0}
    assert [row[0] for row in sql(board, "SELECT id FROM sessions")] == ["live"]
    assert sorted(row[0] for row in sql(board, "SELECT code FROM invites")) == ["recent", "used"]


def test_the_counters_check_corrects_a_wrong_counter_once(board: Settings) -> None:
    author = add_member(board, "author")
    forum = add_forum(board, "General")
    add_topic(board, forum, author, "A topic", "Some words.")
    sql(board, "UPDATE users SET post_count = 7 WHERE id = ?", (author.id,))

    first = on_board(board, lambda db: check_counters(db, board, NOW))
    second = on_board(board, lambda db: check_counters(db, board, NOW))

    assert (first[CORRECTED], second[CORRECTED]) == (1, 0)
    assert sql(board, "SELECT post_count FROM users WHERE id = ?", (author.id,))[0][0] == 1


RAN = N_("expired sessions removed")


def scheduled(board: Settings, jobs: list[Job], clock: list[float]) -> Scheduler:
    return Scheduler(Database(board.database_path), jobs, lambda: board, lambda: clock[0])


def test_the_scheduler_runs_a_job_when_due_and_records_it(board: Settings) -> None:
    calls: list[int] = []

    async def counting(_db: Database, _settings: Settings, now: int) -> JobResult:
        calls.append(now)
        return {RAN: len(calls)}

    async def scenario() -> None:
        clock = [float(NOW)]
        scheduler = scheduled(board, [Job("counting", N_("Expiry"), 60, counting)], clock)
        await scheduler.db.open()
        try:
            await scheduler.start()
            await asyncio.sleep(0.05)
            assert calls == [], "a first start waits one interval"
            assert scheduler.next_run("counting") == NOW + 60
            clock[0] = NOW + 61
            await scheduler.stop()
            await scheduler.start()
            await asyncio.sleep(0.2)
            await scheduler.stop()
        finally:
            await scheduler.db.close()

    asyncio.run(scenario())

    assert calls == [NOW + 61]
    row = sql(board, "SELECT next_run_at, started_at, outcome, result FROM job_runs")[0]
    assert (row[0], row[1], row[2], json.loads(row[3])) == (NOW + 121, NOW + 61, "ok", {RAN: 1})


def test_a_failing_job_is_recorded_as_failed_and_scheduled_again(board: Settings) -> None:
    async def broken(_db: Database, _settings: Settings, _now: int) -> JobResult:
        raise RuntimeError("broken job")

    async def scenario() -> tuple[str, JobResult]:
        scheduler = scheduled(board, [Job("broken", N_("Expiry"), 300, broken)], [float(NOW)])
        await scheduler.db.open()
        try:
            return await scheduler.run("broken")
        finally:
            await scheduler.db.close()

    assert asyncio.run(scenario()) == ("failed", {})
    states = on_board(board, job_states)
    assert (states["broken"].outcome, states["broken"].next_run_at) == ("failed", NOW + 300)


def test_admins_see_the_jobs_and_run_one_now(client: Client, settings: Settings) -> None:
    admin = add_member(settings, "boss", "admin")
    login(client, admin.name)
    sql(settings, "INSERT INTO sessions (id, user_id, created_at, expires_at, data)"
        " VALUES ('old', ?, 0, 1, '{}')", (admin.id,))  # fmt: skip

    page = client.get("/admin/jobs")
    assert page.status_code == 200
    for label in ("Seed bonus", "Expiry", "Counters check", "Hit-and-run check"):
        assert label in page.text
    assert "never" in page.text
    assert sorted(row[0] for row in sql(settings, "SELECT name FROM job_runs")) == [
        "bonus",
        "counters",
        "expiry",
        "hit_and_run",
    ], "the first runs are scheduled when the board starts"

    after = client.post(
        "/admin/jobs/run",
        data={"_csrf_token": csrf_token(page.text), "name": "expiry"},
        follow_redirects=True,
    )

    assert "Expiry ran." in after.text
    assert "expired sessions removed: 1" in after.text
    assert sql(settings, "SELECT COUNT(*) FROM sessions WHERE id = 'old'")[0][0] == 0
    started = sql(settings, "SELECT started_at FROM job_runs WHERE name = 'expiry'")[0][0]
    assert abs(started - time.time()) < 60


def test_running_an_unknown_job_is_refused(client: Client, settings: Settings) -> None:
    admin = add_member(settings, "boss", "admin")
    login(client, admin.name)
    page = client.get("/admin/jobs")

    before = sql(settings, "SELECT * FROM job_runs ORDER BY name")

    after = client.post("/admin/jobs/run", data={"_csrf_token": csrf_token(page.text),
                        "name": "nope"}, follow_redirects=True)  # fmt: skip

    assert "There is no such job." in after.text
    assert sql(settings, "SELECT * FROM job_runs ORDER BY name") == before


def test_the_bonus_job_runs_from_the_page_and_pays(client: Client, settings: Settings) -> None:
    admin = add_member(settings, "boss", "admin")
    author = add_member(settings, "author")
    forum = add_forum(settings, "Releases", releases=True)
    from tests.forum.board import add_release

    release = add_release(settings, add_topic(settings, forum, author, "R", "Words."), author, 1024)
    sql(settings, "INSERT INTO transfers (torrent_id, user_id, uploaded, downloaded,"
        " seeding_seconds, first_seen_at, last_seen_at) VALUES (?, ?, 0, 0, 7200, 0, 0)",
        (release, author.id))  # fmt: skip
    login(client, admin.name)
    page = client.get("/admin/jobs")

    client.post("/admin/jobs/run", data={"_csrf_token": csrf_token(page.text), "name": "bonus"})

    assert sql(settings, "SELECT bonus_points FROM users WHERE id = ?", (author.id,))[0][0] == 2


def test_the_hit_and_run_job_runs_from_the_page_and_moves_its_mark(
    client: Client, settings: Settings
) -> None:
    """With the rules off (the default) the sweep judges nothing but moves its mark to
    now, so what completed before an admin turns the rules on owes nothing."""
    admin = add_member(settings, "boss", "admin")
    login(client, admin.name)
    page = client.get("/admin/jobs")

    after = client.post(
        "/admin/jobs/run",
        data={"_csrf_token": csrf_token(page.text), "name": "hit_and_run"},
        follow_redirects=True,
    )

    assert "Hit-and-run check ran." in after.text
    assert "hit-and-runs recorded or cleared: 0" in after.text
    through = sql(settings, "SELECT through_at FROM hit_and_run_sweep WHERE id = 1")[0][0]
    assert abs(through - time.time()) < 60
