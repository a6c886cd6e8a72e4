"""The inbox, the header's unread badge and conversations stay on indexes at scale.

A board of 3,000 conversations and 33,000 messages, one conversation 3,000 messages
long: each page is requested through the real app while its queries are recorded (the
forum's query-plan suite's recorder), then each is explained with its own parameters.
No query may scan a table or sort rows in a temporary tree, on a fresh and on an
analysed board.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.forum.conftest import Client
from tests.forum.test_query_plans import Recorded, plan, recorded  # noqa: F401 (a fixture)
from tests.messages.conftest import People, bearer, become
from tinypier.db.connection import connect_sync

CONVERSATIONS = 3_000
MESSAGES_EACH = 10
LONG_CONVERSATION = 3_000
MESSAGE_TABLES = ("messages", "conversation_members", "conversations", "message_reports")


def seed(connection: sqlite3.Connection, people: People) -> int:
    """Conversations between alice and each other member in turn, half of them unread,
    every message of the long one reported, the last report still open; returns the
    long conversation."""
    now = 1_700_000_000
    others = [people.bob.id, people.carol.id, people.mona.id]
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO conversations (id, subject, starter_id, created_at, last_message_at,"
        " message_count) VALUES (?, ?, ?, ?, ?, 0)",
        [
            (n, f"Subject {n}", people.alice.id, now + n, now + n)
            for n in range(1, CONVERSATIONS + 1)
        ],
    )
    connection.executemany(
        "INSERT INTO conversation_members (conversation_id, user_id, last_message_at, unread)"
        " VALUES (?, ?, ?, ?)",
        [
            row
            for n in range(1, CONVERSATIONS + 1)
            for row in (
                (n, people.alice.id, now + n, n % 2),
                (n, others[n % len(others)], now + n, 0),
            )
        ],
    )
    connection.executemany(
        "INSERT INTO messages (conversation_id, author_id, body, body_html, created_at)"
        " VALUES (?, ?, 'text', 'text', ?)",
        [
            (n, people.alice.id, now + n)
            for n in range(1, CONVERSATIONS + 1)
            for _ in range(LONG_CONVERSATION if n == 1 else MESSAGES_EACH)
        ],
    )
    connection.execute(
        "UPDATE conversations SET"
        " message_count = (SELECT COUNT(*) FROM messages WHERE conversation_id = conversations.id),"
        " last_message_id = (SELECT MAX(id) FROM messages WHERE conversation_id = conversations.id)"
    )
    # Many reports long closed, and one open: the moderators' list must not walk the closed.
    connection.execute(
        "INSERT INTO message_reports (message_id, reporter_id, reason, created_at, closed_at)"
        " SELECT id, ?, 'old', ?, ? + id FROM messages WHERE conversation_id = 1",
        (people.bob.id, now, now),
    )
    connection.execute(
        "UPDATE message_reports SET closed_at = NULL"
        " WHERE id = (SELECT MAX(id) FROM message_reports)"
    )
    connection.execute("COMMIT")
    return 1


def plan_problems(connection: sqlite3.Connection, queries: Recorded) -> list[str]:
    problems = []
    for sql, params in queries:
        if not any(table in sql for table in MESSAGE_TABLES):
            continue
        for _, detail in plan(connection, sql, params):
            if detail.startswith("SCAN "):
                problems.append(f"{detail}\n  in {sql}")
            if detail.startswith("USE TEMP B-TREE"):
                problems.append(f"{detail}\n  in {sql}")
    return problems


@pytest.fixture(params=[False, True], ids=["fresh", "analysed"])
def big_board(request: pytest.FixtureRequest, people: People) -> int:
    connection = connect_sync(people.settings.database_path)
    try:
        long_conversation = seed(connection, people)
        if request.param:
            connection.execute("ANALYZE")
    finally:
        connection.close()
    return long_conversation


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("alice", "/"),
        ("alice", "/messages"),
        ("alice", "/messages?page=last"),
        ("alice", "/messages/{long}"),
        ("alice", "/messages/{long}?page=last"),
        ("alice", "/messages/{long}/reply?quote={last}"),
        ("alice", "/api/messages"),
        ("alice", "/api/messages/{long}?page=last"),
        ("mona", "/moderation/message-reports"),
        ("mona", "/moderation/message-reports/{open_report}"),
    ],
)
def test_the_page_uses_indexes_only(
    client: Client,
    people: People,
    big_board: int,
    recorded: Recorded,  # noqa: F811 (the imported fixture)
    who: str,
    page: str,
) -> None:
    become(client, getattr(people, who))
    headers = bearer(people.settings, people.alice) if page.startswith("/api/") else {}
    last = people.value("SELECT MAX(id) FROM messages WHERE conversation_id = ?", (big_board,))
    open_report = people.value("SELECT id FROM message_reports WHERE closed_at IS NULL")
    url = page.format(long=big_board, last=last, open_report=open_report)
    recorded.clear()

    response = client.get(url, headers=headers)

    assert response.status_code == 200, url
    touching = [sql for sql, _ in recorded if any(table in sql for table in MESSAGE_TABLES)]
    assert touching, "the page ran no message query: nothing was checked"
    connection = connect_sync(people.settings.database_path)
    try:
        assert plan_problems(connection, recorded) == []
    finally:
        connection.close()


def test_a_full_scan_of_messages_would_be_caught(people: People) -> None:
    connection = connect_sync(people.settings.database_path)
    try:
        problems = plan_problems(connection, [("SELECT * FROM messages WHERE body = ?", ("x",))])
    finally:
        connection.close()
    assert problems and problems[0].startswith("SCAN messages")
