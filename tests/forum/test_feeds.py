"""Atom feeds: well-formed, a guest's view by default, a member's view with their token."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import Board, add_release, add_topic, build_board, sql
from tests.helpers import Member, login
from tinypier.release_statuses import DUPLICATE
from tinypier.settings import Settings

Client = TestClient[Litestar]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def board(client: Client, settings: Settings) -> Board:
    return build_board(settings)


def feed_token(settings: Settings, member: Member) -> str:
    token: str = sql(settings, "SELECT feed_token FROM users WHERE id = ?", (member.id,))[0][0]
    return token


def fetch_feed(client: Client, path: str, token: str | None = None) -> ET.Element:
    response = client.get(path, params={"token": token} if token is not None else {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entry_titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title", "") for entry in feed.iter(f"{ATOM}entry")]


def test_a_forum_feed_lists_its_newest_topics_as_atom(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.lobby, board.alice, "First", "one")
    second = add_topic(settings, board.lobby, board.bob, "Second", "[b]two[/b]")
    add_topic(settings, board.members_only, board.bob, "Elsewhere", "three")

    feed = fetch_feed(client, f"/feeds/forums/{board.lobby}.atom")

    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == f"{settings.base_url}/feeds/forums/{board.lobby}.atom"
    assert feed.findtext(f"{ATOM}updated")
    assert entry_titles(feed) == ["Second", "First"]
    newest = next(feed.iter(f"{ATOM}entry"))
    topic_url = f"{settings.base_url}/topics/{second.topic_id}"
    assert newest.findtext(f"{ATOM}id") == topic_url
    assert newest.find(f"{ATOM}link").get("href") == topic_url  # type: ignore[union-attr]
    assert newest.findtext(f"{ATOM}author/{ATOM}name") == "bob"
    assert newest.findtext(f"{ATOM}published") and newest.findtext(f"{ATOM}updated")
    assert newest.findtext(f"{ATOM}content") == "<strong>two</strong>"


def test_member_text_cannot_break_the_xml(client: Client, settings: Settings, board: Board) -> None:
    topic = add_topic(settings, board.lobby, board.alice, "a", "]]> <x> & \" ' <script>")
    sql(
        settings,
        "UPDATE topics SET title = ? WHERE id = ?",
        ("Tom & Jerry </title><evil/> \x01\x0b", topic.topic_id),
    )

    feed = fetch_feed(client, f"/feeds/forums/{board.lobby}.atom")

    assert entry_titles(feed) == ["Tom & Jerry </title><evil/> "]
    content = feed.findtext(f"{ATOM}entry/{ATOM}content") or ""
    assert "<script>" not in content and "&lt;script&gt;" in content


def test_a_forum_guests_cannot_view_has_no_feed_without_a_token(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.staff_only, board.moderator, "Staff only", "secret")

    assert client.get(f"/feeds/forums/{board.staff_only}.atom").status_code == 404
    assert client.get(f"/feeds/forums/{board.members_only}.atom").status_code == 404
    assert client.get("/feeds/forums/999999.atom").status_code == 404
    assert client.get(f"/feeds/forums/{board.lobby}.rss").status_code == 404


def test_a_session_cookie_does_not_widen_a_feed(
    client: Client, settings: Settings, board: Board
) -> None:
    login(client, board.moderator.name)

    assert client.get(f"/feeds/forums/{board.staff_only}.atom").status_code == 404


def test_a_moderators_token_shows_the_staff_forum(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.staff_only, board.moderator, "Staff only", "secret")
    token = feed_token(settings, board.moderator)

    feed = fetch_feed(client, f"/feeds/forums/{board.staff_only}.atom", token)

    assert entry_titles(feed) == ["Staff only"]
    assert feed.findtext(f"{ATOM}id") == f"{settings.base_url}/feeds/forums/{board.staff_only}.atom"


def test_a_users_token_does_not_open_the_staff_forum(
    client: Client, settings: Settings, board: Board
) -> None:
    token = feed_token(settings, board.alice)

    assert (
        client.get(f"/feeds/forums/{board.members_only}.atom", params={"token": token}).status_code
        == 200
    )
    assert (
        client.get(f"/feeds/forums/{board.staff_only}.atom", params={"token": token}).status_code
        == 404
    )


@pytest.mark.parametrize(("token", "status"), [("", 404), ("not-a-token", 404), ("x" * 500, 400)])
def test_a_bad_token_is_refused_rather_than_given_a_smaller_feed(
    client: Client, board: Board, token: str, status: int
) -> None:
    releases = client.get("/feeds/releases.atom", params={"token": token})
    forum = client.get(f"/feeds/forums/{board.lobby}.atom", params={"token": token})

    assert (releases.status_code, forum.status_code) == (status, status)


def test_a_disabled_members_token_stops_working(
    client: Client, settings: Settings, board: Board
) -> None:
    token = feed_token(settings, board.moderator)
    sql(settings, "UPDATE users SET disabled = 1 WHERE id = ?", (board.moderator.id,))

    assert client.get("/feeds/releases.atom", params={"token": token}).status_code == 404


def test_the_guests_releases_feed_lists_visible_releases_newest_first(
    client: Client, settings: Settings, board: Board
) -> None:
    public = add_topic(settings, board.lobby, board.alice, "Public release", "desc")
    add_release(settings, public, board.alice, 3 * 1024**3)
    add_topic(settings, board.lobby, board.alice, "Just talk", "no torrent")
    staff = add_topic(settings, board.staff_only, board.moderator, "Staff release", "desc")
    add_release(settings, staff, board.moderator, 1024)
    dupe = add_topic(settings, board.lobby, board.bob, "Duplicate release", "desc")
    add_release(settings, dupe, board.bob, 1024, status=DUPLICATE)

    as_guest = fetch_feed(client, "/feeds/releases.atom")

    # A member's feed (with their token) is the autodownload feed:
    # tests/torrents/test_autodownload_feeds.py.
    assert entry_titles(as_guest) == ["Public release"]
    entry = next(as_guest.iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}summary") == "3.0 GiB in Lobby"
    assert entry.find(f"{ATOM}category").get("term") == "Lobby"  # type: ignore[union-attr]
