"""The pages' queries stay on indexes, so a board of a million posts serves as fast as a small one.

Each page is requested through the real app while every query it runs is recorded; each
recorded query is then explained with its own parameters. No query may walk a whole
``topics`` or ``posts`` table, nor sort rows inside a subquery (only the final page of
at most 50 rows may be sorted). SQLite chooses plans from the schema alone until
ANALYZE has run, so the plans are checked on both a fresh and an analysed board.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from tests.forum.conftest import Board, Client, log_in
from tinypier.db.connection import Database, Params, connect_sync

TOPICS_PER_FORUM = 1_500
POSTS_PER_TOPIC = 10
LONG_TOPIC_POSTS = 3_000
# The only tables a page may read whole: the board's few forums and categories, and the
# one page of ids a subquery picked from an index.
SCANNABLE = {"f", "forums", "categories", "page"}

Recorded = list[tuple[str, tuple[Any, ...]]]


def seed(connection: sqlite3.Connection, forum_ids: list[int], author_id: int) -> int:
    """A board of 3,000 topics and 33,000 posts with its counters; returns the long topic."""
    now = 1_700_000_000
    topics = [
        (forum_id, author_id, f"Topic {number}", now + number, now + number)
        for forum_id in forum_ids
        for number in range(TOPICS_PER_FORUM)
    ]
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO topics (forum_id, author_id, title, created_at, last_post_at, post_count,"
        " pin, locked) VALUES (?, ?, ?, ?, ?, 0, 0, 0)",
        topics,
    )
    topic_ids = [int(row[0]) for row in connection.execute("SELECT id FROM topics ORDER BY id")]
    long_topic = topic_ids[0]
    posts = [
        (topic_id, author_id, now)
        for topic_id in topic_ids
        for _ in range(LONG_TOPIC_POSTS if topic_id == long_topic else POSTS_PER_TOPIC)
    ]
    connection.executemany(
        "INSERT INTO posts (topic_id, author_id, body, body_html, created_at)"
        " VALUES (?, ?, 'text', 'text', ?)",
        posts,
    )
    connection.execute(
        "UPDATE topics SET post_count = (SELECT COUNT(*) FROM posts WHERE topic_id = topics.id),"
        " last_post_id = (SELECT MAX(id) FROM posts WHERE topic_id = topics.id)"
    )
    connection.execute(
        "UPDATE forums SET"
        " topic_count = (SELECT COUNT(*) FROM topics WHERE forum_id = forums.id),"
        " post_count = (SELECT COALESCE(SUM(post_count), 0) FROM topics"
        "   WHERE forum_id = forums.id),"
        " last_post_id = (SELECT MAX(last_post_id) FROM topics WHERE forum_id = forums.id)"
    )
    connection.execute("COMMIT")
    return long_topic


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorded]:
    """Every read query the app runs, with its parameters, in order."""
    queries: Recorded = []
    fetch_all, fetch_one = Database.fetch_all, Database.fetch_one

    async def recording_fetch_all(self: Database, sql: str, params: Params = ()) -> Any:
        queries.append((sql, tuple(params)))
        return await fetch_all(self, sql, params)

    async def recording_fetch_one(self: Database, sql: str, params: Params = ()) -> Any:
        queries.append((sql, tuple(params)))
        return await fetch_one(self, sql, params)

    monkeypatch.setattr(Database, "fetch_all", recording_fetch_all)
    monkeypatch.setattr(Database, "fetch_one", recording_fetch_one)
    yield queries


def plan(
    connection: sqlite3.Connection, sql: str, params: tuple[Any, ...]
) -> list[tuple[int, str]]:
    """(parent, detail) of each step SQLite would take for this query."""
    return [(row[1], row[3]) for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def plan_problems(connection: sqlite3.Connection, queries: Recorded) -> list[str]:
    problems = []
    for sql, params in queries:
        if "topics" not in sql and "posts" not in sql:
            continue
        for parent, detail in plan(connection, sql, params):
            scanned = detail.split()[1] if detail.startswith("SCAN ") else None
            if scanned is not None and scanned not in SCANNABLE:
                problems.append(f"{detail}\n  in {sql}")
            if detail.startswith("USE TEMP B-TREE") and parent != 0:
                problems.append(f"{detail} inside a subquery\n  in {sql}")
    return problems


@pytest.fixture(params=[False, True], ids=["fresh", "analysed"])
def big_board(request: pytest.FixtureRequest, board: Board) -> tuple[Board, int]:
    connection = connect_sync(board.settings.database_path)
    try:
        long_topic = seed(connection, [board.public_forum, board.other_forum], board.user.id)
        if request.param:
            connection.execute("ANALYZE")
    finally:
        connection.close()
    return board, long_topic


@pytest.mark.parametrize(
    "page",
    [
        "/",
        "/forums/{forum}",
        "/forums/{forum}?page=25",
        "/topics/{topic}",
        "/topics/{topic}?page=last",
        "/posts/{last_post}",
    ],
)
def test_the_page_uses_indexes_only(
    client: Client, big_board: tuple[Board, int], recorded: Recorded, page: str
) -> None:
    board, long_topic = big_board
    log_in(client, board.other_user)
    last_post = board.value("SELECT MAX(id) FROM posts WHERE topic_id = ?", (long_topic,))
    url = page.format(forum=board.public_forum, topic=long_topic, last_post=last_post)
    recorded.clear()

    response = client.get(url)

    assert response.status_code == 200
    touching_posts_or_topics = [sql for sql, _ in recorded if "topics" in sql or "posts" in sql]
    assert touching_posts_or_topics, "the page ran no forum query: nothing was checked"
    connection = connect_sync(board.settings.database_path)
    try:
        assert plan_problems(connection, recorded) == []
    finally:
        connection.close()


def test_a_full_scan_would_be_caught(board: Board) -> None:
    """The check itself: a query that walks the posts table is reported."""
    connection = connect_sync(board.settings.database_path)
    try:
        problems = plan_problems(connection, [("SELECT * FROM posts WHERE body = ?", ("x",))])
    finally:
        connection.close()
    assert problems and problems[0].startswith("SCAN posts")
