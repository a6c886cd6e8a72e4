"""A forum only moderators may view does not exist for anyone else."""

from __future__ import annotations

import pytest

from tests.forum.conftest import Board, Client, log_in, seed_topic


def private_pages(board: Board) -> list[str]:
    topic = seed_topic(board.settings, board.private_forum, board.moderator, "Staff plans")
    return [
        f"/forums/{board.private_forum}",
        f"/topics/{topic.topic_id}",
        f"/topics/{topic.topic_id}?page=last",
        f"/posts/{topic.post_id}",
    ]


@pytest.mark.parametrize("as_member", [False, True], ids=["guest", "user"])
def test_private_pages_are_not_found_below_their_role(
    client: Client, board: Board, as_member: bool
) -> None:
    pages = private_pages(board)
    if as_member:
        log_in(client, board.user)

    for page in pages:
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 404, page
        assert "Staff plans" not in response.text
    assert "Staff room" not in client.get("/").text


def test_members_cannot_post_into_a_private_forum(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.private_forum, board.moderator, "Staff plans")
    log_in(client, board.user)

    assert client.get(f"/forums/{board.private_forum}/new").status_code == 404
    assert client.get(f"/topics/{topic.topic_id}/reply").status_code == 404
    assert client.get(f"/posts/{topic.post_id}/edit").status_code == 404


def test_moderators_see_the_private_forum(client: Client, board: Board) -> None:
    pages = private_pages(board)
    log_in(client, board.moderator)

    assert "Staff room" in client.get("/").text
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert "Staff plans" in client.get(pages[0]).text


def test_the_index_counts_only_forums_the_viewer_may_view(client: Client, board: Board) -> None:
    seed_topic(board.settings, board.private_forum, board.moderator, "Hidden activity")

    index = client.get("/").text

    assert "Hidden activity" not in index
    assert f'href="/forums/{board.private_forum}"' not in index
