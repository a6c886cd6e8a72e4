"""The members list and profiles: members only, honest numbers, no private forum leaks."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import Board, add_release, add_reply, add_topic, build_board, sql
from tests.helpers import add_member, login
from tinypier.forum.members import MEMBERS_PER_PAGE
from tinypier.settings import Settings

Client = TestClient[Litestar]


@pytest.fixture
def board(client: Client, settings: Settings) -> Board:
    return build_board(settings)


def set_transfer(settings: Settings, member_id: int, uploaded: int, downloaded: int) -> None:
    sql(
        settings,
        "UPDATE users SET uploaded = ?, downloaded = ? WHERE id = ?",
        (uploaded, downloaded, member_id),
    )


def listed_names(page: str) -> list[str]:
    return re.findall(r'<td><a href="/members/\d+">([^<]+)</a>', page)


@pytest.mark.parametrize("path", ["/members", "/members/1", "/members?sort=posts&page=2"])
def test_guests_are_sent_to_the_login_page(client: Client, board: Board, path: str) -> None:
    response = client.get(path, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/members")


def test_the_list_shows_each_members_numbers(
    client: Client, settings: Settings, board: Board
) -> None:
    set_transfer(settings, board.alice.id, 3 * 1024**3, 2 * 1024**3)
    add_topic(settings, board.lobby, board.alice, "Hello", "first post")
    login(client, board.bob.name)

    page = client.get("/members").text
    alice_row = page[page.index(">alice</a>") :].split("</tr>")[0]

    assert listed_names(page) == ["alice", "bob", "mira"]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", alice_row)
    assert cells[:6] == ["user", cells[1], "1", "3.0 GiB", "2.0 GiB", "1.50"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", cells[1])


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["alice", "bob", "mira", "zed"]),
        ("joined", ["alice", "bob", "mira", "zed"]),
        ("uploaded", ["zed", "bob", "alice", "mira"]),
        ("posts", ["bob", "alice", "mira", "zed"]),
        ("password_hash", ["alice", "bob", "mira", "zed"]),
    ],
)
def test_the_list_sorts_by_the_chosen_column(
    client: Client, settings: Settings, board: Board, sort: str, expected: list[str]
) -> None:
    zed = add_member(settings, "zed")
    set_transfer(settings, zed.id, 900, 0)
    set_transfer(settings, board.bob.id, 500, 0)
    set_transfer(settings, board.alice.id, 100, 0)
    topic = add_topic(settings, board.lobby, board.bob, "Bob's", "one")
    add_reply(settings, topic, board.bob, "two")
    add_reply(settings, topic, board.alice, "three")
    login(client, board.alice.name)

    assert listed_names(client.get("/members", params={"sort": sort}).text) == expected


def test_the_list_is_paginated(client: Client, settings: Settings, board: Board) -> None:
    for number in range(MEMBERS_PER_PAGE - 2):
        add_member(settings, f"member{number:03d}")
    login(client, board.alice.name)

    first = client.get("/members").text
    second = client.get("/members", params={"page": 2}).text

    assert len(listed_names(first)) == MEMBERS_PER_PAGE
    assert listed_names(second) == ["mira"]
    assert 'rel="next"' in first and 'rel="next"' not in second


def test_disabled_members_are_marked_for_moderators_only(
    client: Client, settings: Settings, board: Board
) -> None:
    sql(settings, "UPDATE users SET disabled = 1 WHERE id = ?", (board.bob.id,))

    login(client, board.alice.name)
    assert "member-disabled" not in client.get("/members").text
    assert "member-disabled" not in client.get(f"/members/{board.bob.id}").text

    login(client, board.moderator.name)
    assert "member-disabled" in client.get("/members").text
    assert "member-disabled" in client.get(f"/members/{board.bob.id}").text


def test_a_profile_shows_numbers_releases_and_recent_posts(
    client: Client, settings: Settings, board: Board
) -> None:
    set_transfer(settings, board.alice.id, 1536, 0)
    release = add_topic(settings, board.lobby, board.alice, "Big Buck Bunny 1080p", "the film")
    add_release(settings, release, board.alice, 734 * 1024**2)
    chat = add_topic(settings, board.lobby, board.bob, "Chat", "hello")
    reply = add_reply(settings, chat, board.alice, "hi bob")
    login(client, board.bob.name)

    page = client.get(f"/members/{board.alice.id}").text

    assert "<h1>alice</h1>" in page
    assert "<dt>Posts</dt><dd>2</dd>" in page
    assert "<dt>Uploaded</dt><dd>1.5 KiB</dd>" in page
    assert "<dt>Ratio</dt><dd>∞</dd>" in page
    assert "Big Buck Bunny 1080p" in page and "734.0 MiB" in page
    assert f'href="/posts/{reply.post_id}">Chat</a>' in page


def test_a_profile_hides_releases_and_posts_of_forums_the_viewer_cannot_view(
    client: Client, settings: Settings, board: Board
) -> None:
    secret = add_topic(settings, board.staff_only, board.moderator, "Staff release", "secret")
    add_release(settings, secret, board.moderator, 1024)
    add_topic(settings, board.staff_only, board.moderator, "Staff chat", "secret too")

    login(client, board.alice.name)
    as_member = client.get(f"/members/{board.moderator.id}").text
    login(client, board.moderator.name)
    as_moderator = client.get(f"/members/{board.moderator.id}").text

    assert "Staff release" not in as_member and "Staff chat" not in as_member
    assert "Staff release" in as_moderator and "Staff chat" in as_moderator


def test_only_the_member_sees_their_own_feed_links(
    client: Client, settings: Settings, board: Board
) -> None:
    token = sql(settings, "SELECT feed_token FROM users WHERE id = ?", (board.alice.id,))[0][0]

    login(client, board.alice.name)
    own = client.get(f"/members/{board.alice.id}").text
    login(client, board.moderator.name)
    other = client.get(f"/members/{board.alice.id}").text

    assert f"{settings.base_url}/feeds/releases.atom?token={token}" in own
    assert token not in other and "Your feeds" not in other


def test_an_unknown_member_is_not_found(client: Client, settings: Settings, board: Board) -> None:
    login(client, board.alice.name)

    assert client.get("/members/999999").status_code == 404
    assert client.get("/members/99999999999999999999999").status_code in (400, 404)
