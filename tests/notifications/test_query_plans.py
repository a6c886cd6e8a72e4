"""The notifications page, the header's badge and the bookmarks stay on indexes at the
large bench board's scale.

A board of 3,000 topics, 3,000 posts, 30,000 notices (the member looked at holding the
most ``notifications_kept`` allows) and 3,000 bookmarks is seeded; each page is requested
through the real app while its queries are recorded, then each is explained with its own
parameters, on a fresh board, an analysed one, and an analysed one whose statistics say
it is the large bench board (100,000 topics, 1,000,000 posts; ``bench/forum_pages.py``)
with ten million notices. No query may scan a growing table or sort in a temporary tree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from tests.forum.conftest import Board, Client, log_in
from tests.forum.test_query_plans import plan
from tinypier.db.connection import Database, Params, connect_sync

TOPICS = 3_000
OTHERS_NOTICES = 30_000
GROWING = ("notifications", "n", "bookmarks", "b", "topic_watches", "forum_watches", "w",
           "topics", "t", "posts", "p", "users", "a", "conversations", "c")  # fmt: skip
# What the statistics claim in the large case: rows per table.
LARGE_ROWS = {"topics": 100_000, "posts": 1_000_000, "notifications": 10_000_000,
              "bookmarks": 1_000_000, "topic_watches": 1_000_000, "users": 100_000}  # fmt: skip

Recorded = list[tuple[str, tuple[Any, ...]]]


def seed(connection: sqlite3.Connection, board: Board) -> int:
    """Topics with one post each; the viewer's notices and bookmarks; many of others'."""
    now = 1_700_000_000
    viewer, other = board.user.id, board.other_user.id
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO topics (id, forum_id, author_id, title, created_at, last_post_at,"
        " post_count, pin, locked) VALUES (?, ?, ?, ?, ?, ?, 1, 0, 0)",
        [
            (n, board.public_forum, other, f"Topic {n}", now + n, now + n)
            for n in range(1, TOPICS + 1)
        ],
    )
    connection.executemany(
        "INSERT INTO posts (id, topic_id, author_id, body, body_html, created_at)"
        " VALUES (?, ?, ?, 'text', 'text', ?)",
        [(n, n, other, now + n) for n in range(1, TOPICS + 1)],
    )
    connection.execute("UPDATE topics SET last_post_id = id")
    notices = [
        (member, kind, other, topic, topic, now + n, None if n % 3 else now)
        for n, (member, kind, topic) in enumerate(
            [(other, "quote", n % TOPICS + 1) for n in range(OTHERS_NOTICES)]
            + [
                (viewer, "mention", n % TOPICS + 1)
                for n in range(board.settings.notifications_kept)
            ]
        )
    ]
    connection.executemany(
        "INSERT INTO notifications (user_id, kind, actor_id, topic_id, post_id, count,"
        " created_at, read_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
        notices,
    )
    connection.executemany(
        "INSERT INTO bookmarks (user_id, topic_id, created_at) VALUES (?, ?, ?)",
        [(member, n, now + n) for n in range(1, TOPICS + 1) for member in (viewer, other)],
    )
    connection.executemany(
        "INSERT INTO topic_watches (user_id, topic_id, created_at) VALUES (?, ?, ?)",
        [(other, n, now) for n in range(1, TOPICS + 1)],
    )
    connection.execute("COMMIT")
    return TOPICS


def claim_large_scale(connection: sqlite3.Connection) -> None:
    """Rewrite ANALYZE's row counts as the large board's: each index's first number (its
    rows) grows by the table's factor; the per-key averages stay as measured."""
    for table, rows in LARGE_ROWS.items():
        measured = connection.execute("SELECT COUNT(*) FROM " + table).fetchone()[0]
        factor = max(1, rows // max(1, measured))
        for index, stat in connection.execute(
            "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = ?", (table,)
        ).fetchall():
            first, *rest = stat.split(" ")
            grown = " ".join([str(int(first) * factor), *rest])
            connection.execute(
                "UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx IS ?", (grown, table, index)
            )


@pytest.fixture(params=["fresh", "analysed", "large"])
def big_board(request: pytest.FixtureRequest, board: Board) -> int:
    connection = connect_sync(board.settings.database_path)
    try:
        last_topic = seed(connection, board)
        if request.param != "fresh":
            connection.execute("ANALYZE")
        if request.param == "large":
            claim_large_scale(connection)
    finally:
        connection.close()
    return last_topic


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorded]:
    """Every read the app runs (counts too: the badge is one), with its parameters."""
    queries: Recorded = []
    for name in ("fetch_all", "fetch_one", "fetch_value"):
        original = getattr(Database, name)

        async def recording(
            self: Database, sql: str, params: Params = (), _run: Any = original
        ) -> Any:
            queries.append((sql, tuple(params)))
            return await _run(self, sql, params)

        monkeypatch.setattr(Database, name, recording)
    yield queries


def plan_problems(connection: sqlite3.Connection, queries: Recorded) -> list[str]:
    problems = []
    for sql, params in queries:
        if not any(table in sql for table in ("notifications", "bookmarks", "watches")):
            continue
        for _parent, detail in plan(connection, sql, params):
            words = detail.split()
            if words[0] == "SCAN" and words[1] in GROWING:
                problems.append(f"{detail}\n  in {sql}")
            if detail.startswith("USE TEMP B-TREE"):
                problems.append(f"{detail}\n  in {sql}")
    return problems


@pytest.mark.parametrize(
    "page",
    [
        "/",
        "/notifications",
        "/notifications?page=last",
        "/bookmarks",
        "/bookmarks?page=last",
        "/api/notifications",
        "/topics/{topic}",
        "/forums/{forum}",
    ],
)
def test_the_page_uses_indexes_only(
    client: Client, board: Board, big_board: int, recorded: Recorded, page: str
) -> None:
    log_in(client, board.user)
    headers = {}
    if page.startswith("/api/"):
        from tests.torrents.releases import api_token, bearer

        headers = bearer(api_token(board.settings, board.user))
    url = page.format(topic=big_board, forum=board.public_forum)
    recorded.clear()

    response = client.get(url, headers=headers)

    assert response.status_code == 200, url
    touching = [
        sql
        for sql, _ in recorded
        if "notifications" in sql or "bookmarks" in sql or "watches" in sql
    ]
    assert touching, "the page ran no notification query: nothing was checked"
    connection = connect_sync(board.settings.database_path)
    try:
        assert plan_problems(connection, recorded) == []
    finally:
        connection.close()


def test_a_full_scan_of_notifications_would_be_caught(board: Board) -> None:
    connection = connect_sync(board.settings.database_path)
    try:
        problems = plan_problems(
            connection, [("SELECT * FROM notifications WHERE kind = ?", ("x",))]
        )
    finally:
        connection.close()
    assert problems and problems[0].startswith("SCAN notifications")
