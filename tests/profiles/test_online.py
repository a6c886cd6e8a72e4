"""The index's "online now": members seen lately, minus those who hide it; visits are
written at most once a minute per member, and the list stays on its index at the large
bench board's scale (10,000 members: a million posts at 100 posts a member)."""

from __future__ import annotations

import sqlite3
import time

import pytest

from tests.forum.conftest import Board, Client, log_in, submit
from tests.forum.test_query_plans import Recorded, plan, recorded  # noqa: F401 (a fixture)
from tests.helpers import add_member
from tinypier.db.connection import connect_sync
from tinypier.profiles.presence import WRITE_INTERVAL_SECONDS, PresenceThrottle

BENCH_MEMBERS = 10_000


def online_section(page: str) -> str:
    assert 'class="card online-now"' in page, "the index shows the online list"
    return page.split('class="card online-now"', 1)[1].split("</section>", 1)[0]


def seen(board: Board, member_id: int, seconds_ago: int) -> None:
    connection = connect_sync(board.settings.database_path)
    try:
        connection.execute(
            "INSERT INTO presence (user_id, seen_at) VALUES (?, ?) ON CONFLICT (user_id)"
            " DO UPDATE SET seen_at = excluded.seen_at",
            (member_id, int(time.time()) - seconds_ago),
        )
    finally:
        connection.close()


def test_members_seen_lately_are_listed_and_the_rest_are_not(client: Client, board: Board) -> None:
    minutes = board.settings.online_minutes
    seen(board, board.other_user.id, 60)
    seen(board, board.moderator.id, 60 * minutes + 60)
    log_in(client, board.user)

    listed = online_section(client.get("/").text)

    assert ">alice</a>" in listed, "the viewer's own visit counts"
    assert ">bob</a>" in listed
    assert ">mona</a>" not in listed
    assert "2 members seen in the last 15 minutes" in listed


def test_a_member_may_hide_their_online_status(client: Client, board: Board) -> None:
    seen(board, board.other_user.id, 10)
    log_in(client, board.other_user)
    submit(client, "/settings", "/settings/preferences", {"hide_online": "1"})
    client.cookies.clear()
    log_in(client, board.user)

    listed = online_section(client.get("/").text)

    assert ">bob</a>" not in listed
    assert "2 members seen in the last 15 minutes, 1 of them hidden" in listed


def test_guests_see_no_online_list(client: Client, board: Board) -> None:
    seen(board, board.other_user.id, 10)
    assert "online-now" not in client.get("/").text


def test_the_list_names_at_most_the_configured_number(client: Client, board: Board) -> None:
    for number in range(board.settings.online_shown_max + 5):
        seen(board, add_member(board.settings, f"reader{number}").id, 30)
    log_in(client, board.user)

    listed = online_section(client.get("/").text)

    assert listed.count('href="/members/') == board.settings.online_shown_max
    assert "and 6 more" in listed


def test_visits_are_written_at_most_once_a_minute(client: Client, board: Board) -> None:
    log_in(client, board.user)
    client.get("/")
    first = board.value("SELECT seen_at FROM presence WHERE user_id = ?", (board.user.id,))
    connection = connect_sync(board.settings.database_path)
    try:
        connection.execute("UPDATE presence SET seen_at = 1 WHERE user_id = ?", (board.user.id,))
    finally:
        connection.close()

    client.get("/")
    client.get(f"/members/{board.user.id}")

    assert first >= int(time.time()) - 5
    assert board.value("SELECT seen_at FROM presence WHERE user_id = ?", (board.user.id,)) == 1


def test_the_throttle_writes_again_after_a_minute_and_forgets_the_departed() -> None:
    throttle = PresenceThrottle()
    assert throttle.due(1, 1000.0)
    assert not throttle.due(1, 1000.0 + WRITE_INTERVAL_SECONDS - 1)
    assert throttle.due(1, 1000.0 + WRITE_INTERVAL_SECONDS)
    for member in range(2, 5000):
        throttle.due(member, 5000.0 + member * WRITE_INTERVAL_SECONDS)
    assert len(throttle) < 2048, "members not seen for a minute are pruned"


def seed_presence(connection: sqlite3.Connection) -> None:
    """10,000 members, seen over the last day: a few dozen in the last minutes."""
    now = int(time.time())
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO users (name, password_hash, role, disabled, passkey, feed_token,"
        " created_at, uploaded, downloaded, post_count, invite_quota, hide_online)"
        " VALUES (?, 'x', 'user', 0, ?, ?, 0, 0, 0, 100, 0, ?)",
        [(f"bench{n}", f"pk{n}", f"ft{n}", n % 7 == 0) for n in range(BENCH_MEMBERS)],
    )
    connection.execute(
        "INSERT INTO presence (user_id, seen_at) SELECT id, ? - (id * 8) FROM users", (now,)
    )
    connection.execute("COMMIT")


@pytest.mark.parametrize("analysed", [False, True], ids=["fresh", "analysed"])
def test_the_online_list_reads_the_seen_at_index(
    client: Client,
    board: Board,
    recorded: Recorded,  # noqa: F811 (the imported fixture)
    analysed: bool,
) -> None:
    connection = connect_sync(board.settings.database_path)
    try:
        seed_presence(connection)
        if analysed:
            connection.execute("ANALYZE")
    finally:
        connection.close()
    log_in(client, board.user)
    recorded.clear()

    assert client.get("/").status_code == 200

    online_reads = [(sql, params) for sql, params in recorded if "presence" in sql]
    assert len(online_reads) == 2, "the list and its counts were read"
    connection = connect_sync(board.settings.database_path)
    try:
        for sql, params in online_reads:
            steps = [detail for _parent, detail in plan(connection, sql, params)]
            assert any("ix_presence_seen_at" in step for step in steps), steps
            assert not [s for s in steps if s.startswith("SCAN")], steps
            assert not [s for s in steps if s.startswith("USE TEMP B-TREE")], steps
    finally:
        connection.close()
