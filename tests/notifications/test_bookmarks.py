"""Bookmarks: a member keeps topics to come back to, and takes them off again."""

from __future__ import annotations

from tests.forum.conftest import Board, Client
from tests.notifications.conftest import become, press, start_topic


def test_a_bookmarked_topic_is_listed_until_removed(client: Client, board: Board) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Worth keeping")
    become(client, board.other_user)
    assert "Worth keeping" not in client.get("/bookmarks").text

    added = press(client, f"/topics/{topic}", f"/topics/{topic}/bookmark")
    assert added.status_code == 303
    assert "Worth keeping" in client.get("/bookmarks").text
    assert "Remove bookmark" in client.get(f"/topics/{topic}").text

    press(client, "/bookmarks", f"/topics/{topic}/unbookmark")
    assert "Worth keeping" not in client.get("/bookmarks").text
    assert board.value("SELECT COUNT(*) FROM bookmarks") == 0


def test_bookmarking_twice_keeps_one(client: Client, board: Board) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Worth keeping")
    press(client, f"/topics/{topic}", f"/topics/{topic}/bookmark")
    press(client, f"/topics/{topic}", f"/topics/{topic}/bookmark")

    assert board.value("SELECT COUNT(*) FROM bookmarks") == 1


def test_a_topic_one_may_not_view_cannot_be_bookmarked(client: Client, board: Board) -> None:
    become(client, board.moderator)
    topic = start_topic(client, board.private_forum, "Staff secret")
    become(client, board.user)

    refused = press(client, "/bookmarks", f"/topics/{topic}/bookmark")

    assert refused.status_code == 404
    assert board.value("SELECT COUNT(*) FROM bookmarks") == 0


def test_a_bookmark_of_a_topic_since_hidden_is_not_listed(client: Client, board: Board) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Soon hidden")
    press(client, f"/topics/{topic}", f"/topics/{topic}/bookmark")
    board.rows("UPDATE topics SET deleted_at = 1 WHERE id = ?", (topic,))

    assert "Soon hidden" not in client.get("/bookmarks").text
