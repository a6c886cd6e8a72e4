"""A member's profile: avatar, rank and signature, and a way to write to them for those
the private-message policy lets write."""

from __future__ import annotations

from tests.forum.board import sql
from tests.forum.conftest import Board, Client, log_in

SEND = '<a class="button secondary send-message" href="/messages/new?to='


def test_a_member_may_send_another_a_message_from_the_profile(client: Client, board: Board) -> None:
    log_in(client, board.user)

    page = client.get(f"/members/{board.other_user.id}").text

    assert f"{SEND}bob" in page
    compose = client.get("/messages/new?to=bob")
    assert compose.status_code == 200 and 'value="bob"' in compose.text


def test_no_message_link_to_oneself_or_to_a_disabled_member(client: Client, board: Board) -> None:
    sql(board.settings, "UPDATE users SET disabled = 1 WHERE id = ?", (board.other_user.id,))
    log_in(client, board.user)

    assert SEND not in client.get(f"/members/{board.user.id}").text
    assert SEND not in client.get(f"/members/{board.other_user.id}").text


def test_ones_own_profile_leads_to_the_avatar_and_signature_page(
    client: Client, board: Board
) -> None:
    log_in(client, board.user)

    page = client.get(f"/members/{board.user.id}").text

    assert 'href="/profile"' in page
    assert client.get("/profile").status_code == 200
