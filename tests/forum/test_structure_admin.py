"""Admins build the board: categories, forums, their order, permissions and removal."""

from __future__ import annotations

import re

import pytest

from tests.forum.conftest import (
    Board,
    Client,
    add_category,
    add_forum,
    log_in,
    seed_topic,
    submit,
)

STRUCTURE = "/admin/forums"


def forum_form(board: Board, name: str, **overrides: str) -> dict[str, str]:
    return {
        "category_id": str(board.category),
        "name": name,
        "description": "About things",
        "view_role": "guest",
        "topic_role": "user",
        "reply_role": "user",
        "download_role": "user",
        **overrides,
    }


def index_forum_names(client: Client) -> list[str]:
    return re.findall(r'class="forum-name" href="/forums/\d+">([^<]+)</a>', client.get("/").text)


def test_an_admin_creates_a_category_and_a_forum(client: Client, board: Board) -> None:
    log_in(client, board.admin)

    assert submit(client, STRUCTURE, "/admin/categories", {"name": "Media"}).status_code == 303
    media = board.value("SELECT id FROM categories WHERE name = 'Media'")
    form = forum_form(board, "Films", category_id=str(media), allows_releases="on")
    response = submit(client, "/admin/forums/new", "/admin/forums/new", form)

    assert response.status_code == 303
    assert board.rows(
        "SELECT category_id, description, allows_releases FROM forums WHERE name = 'Films'"
    ) == [(media, "About things", 1)]
    assert "Films" in index_forum_names(client)


def test_a_release_forum_offers_a_new_release_link(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    edit = f"/admin/forums/{board.public_forum}/edit"
    submit(client, edit, edit, forum_form(board, "Chat", allows_releases="on"))

    page = client.get(f"/forums/{board.public_forum}").text

    assert f'href="/forums/{board.public_forum}/releases/new"' in page
    assert (
        f'href="/forums/{board.other_forum}/releases/new"'
        not in client.get(f"/forums/{board.other_forum}").text
    )


def test_editing_permissions_hides_a_forum_from_guests(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    edit = f"/admin/forums/{board.public_forum}/edit"

    submit(client, edit, edit, forum_form(board, "Members' chat", view_role="user"))

    assert board.rows("SELECT name, view_role FROM forums WHERE id = ?", (board.public_forum,)) == [
        ("Members' chat", "user")
    ]
    client.cookies.clear()
    assert client.get(f"/forums/{board.public_forum}").status_code == 404


def test_an_unknown_role_is_refused(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    edit = f"/admin/forums/{board.public_forum}/edit"

    response = submit(client, edit, edit, forum_form(board, "Chat", view_role="everyone"))

    assert response.status_code == 400
    assert (
        board.value("SELECT view_role FROM forums WHERE id = ?", (board.public_forum,)) == "guest"
    )


def test_forums_move_up_and_down(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    assert index_forum_names(client) == ["Chat", "Elsewhere", "Staff room"]

    move = f"/admin/forums/{board.other_forum}/move"
    submit(client, STRUCTURE, move, {"direction": "up"})
    assert index_forum_names(client) == ["Elsewhere", "Chat", "Staff room"]

    submit(client, STRUCTURE, move, {"direction": "down"})
    assert index_forum_names(client) == ["Chat", "Elsewhere", "Staff room"]


def test_categories_move_up(client: Client, board: Board) -> None:
    second = add_category(board.settings, "Second")
    add_forum(board.settings, second, "Other")
    log_in(client, board.admin)

    submit(client, STRUCTURE, f"/admin/categories/{second}/move", {"direction": "up"})

    headings = re.findall(r'<h2 id="category-\d+">([^<]+)</h2>', client.get("/").text)
    assert headings == ["Second", "General"]


def test_only_an_empty_category_can_be_deleted(client: Client, board: Board) -> None:
    empty = add_category(board.settings, "Empty")
    log_in(client, board.admin)

    submit(client, STRUCTURE, f"/admin/categories/{board.category}/delete", {})
    submit(client, STRUCTURE, f"/admin/categories/{empty}/delete", {})

    assert board.rows("SELECT name FROM categories") == [("General",)]


def test_deleting_a_forum_needs_confirmation_and_takes_its_topics(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Going", replies=2)
    log_in(client, board.admin)
    delete = f"/admin/forums/{board.public_forum}/delete"

    question = client.get(delete)
    assert question.status_code == 200
    assert "Its 1 topic and every post in it are deleted for good" in question.text
    assert f'action="{delete}"' in question.text
    assert submit(client, STRUCTURE, delete, {}).headers["location"] == delete
    assert board.value("SELECT COUNT(*) FROM forums WHERE id = ?", (board.public_forum,)) == 1

    submit(client, STRUCTURE, delete, {"confirm": "yes"})
    assert board.value("SELECT COUNT(*) FROM forums WHERE id = ?", (board.public_forum,)) == 0
    assert board.value("SELECT COUNT(*) FROM posts WHERE topic_id = ?", (topic.topic_id,)) == 0
    assert board.post_count(board.user) == 0
    assert board.rows("SELECT action, target_type FROM moderation_log") == [("delete", "forum")]


@pytest.mark.parametrize("role_holder", ["user", "moderator"])
def test_structure_pages_are_refused_to_non_admins(
    client: Client, board: Board, role_holder: str
) -> None:
    log_in(client, board.user if role_holder == "user" else board.moderator)

    assert client.get(STRUCTURE).status_code == 403
    assert client.get(f"/admin/forums/{board.public_forum}/edit").status_code == 403
    page = f"/topics/{seed_topic(board.settings, board.public_forum, board.user, 'x').topic_id}"
    response = submit(client, page, "/admin/categories", {"name": "Sneaky"})
    assert response.status_code == 403
    delete = submit(client, page, f"/admin/forums/{board.public_forum}/delete", {"confirm": "yes"})
    assert delete.status_code == 403
    assert board.value("SELECT COUNT(*) FROM categories") == 1
    assert board.value("SELECT COUNT(*) FROM forums WHERE id = ?", (board.public_forum,)) == 1


def test_guests_are_sent_to_log_in_from_the_structure_page(client: Client, board: Board) -> None:
    response = client.get(STRUCTURE, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
