"""The first hour on a new board: an admin is led from the empty front page to a first
forum, a registration mode and the announce URL; everyone else is told the board is
being set up; empty pages say what to do next."""

from __future__ import annotations

import html

import pytest
from litestar import Litestar

from tests.accounts.browser import query
from tests.forum.conftest import Board, Client, add_category, add_forum, log_in, submit
from tests.helpers import Member, add_member
from tinypier.settings import Settings

FIRST_RUN = "/admin/first-run"


@pytest.fixture
def empty_admin(app: Litestar, settings: Settings) -> Member:
    """The only member of a board with no category and no forum."""
    return add_member(settings, "founder", role="admin")


def forums_of(board_settings: Settings) -> list[tuple[str, str, int]]:
    rows = query(
        board_settings,
        "SELECT c.name, f.name, f.allows_releases FROM forums f"
        " JOIN categories c ON c.id = f.category_id ORDER BY f.id",
    )
    return [(row[0], row[1], row[2]) for row in rows]


def test_the_empty_front_page_leads_an_admin_to_the_first_run_page(
    client: Client, empty_admin: Member
) -> None:
    log_in(client, empty_admin)

    page = client.get("/").text

    assert f'href="{FIRST_RUN}"' in page
    assert "Set up the board" in page


def test_guests_and_members_of_an_empty_board_are_told_it_is_being_set_up(
    client: Client, settings: Settings, empty_admin: Member
) -> None:
    assert "This board is being set up." in client.get("/").text
    log_in(client, add_member(settings, "early"))

    page = client.get("/").text

    assert "This board is being set up." in page
    assert FIRST_RUN not in page


def test_the_first_run_page_creates_a_category_and_a_release_forum(
    client: Client, settings: Settings, empty_admin: Member
) -> None:
    log_in(client, empty_admin)
    fields = {"category": "Video", "forum": "Films", "allows_releases": "on"}

    response = submit(client, FIRST_RUN, f"{FIRST_RUN}/forum", fields)

    assert response.status_code == 303
    assert response.headers["location"] == FIRST_RUN
    assert forums_of(settings) == [("Video", "Films", 1)]
    assert "Set up the board" not in client.get("/").text
    assert "The board has 1 forum." in client.get(FIRST_RUN).text


def test_a_first_forum_without_a_name_is_refused_and_nothing_is_created(
    client: Client, settings: Settings, empty_admin: Member
) -> None:
    log_in(client, empty_admin)

    response = submit(client, FIRST_RUN, f"{FIRST_RUN}/forum", {"category": "Video", "forum": " "})

    assert response.status_code == 400
    assert "Forum: The name is empty." in response.text
    assert forums_of(settings) == []


def test_the_first_run_page_sets_the_registration_mode_and_comes_back(
    client: Client, empty_admin: Member
) -> None:
    log_in(client, empty_admin)
    fields = {"name": "registration_mode", "value": "invite", "next": f"{FIRST_RUN}#x"}

    response = submit(client, FIRST_RUN, "/admin/settings", fields)

    assert response.headers["location"] == f"{FIRST_RUN}#x"
    assert '<option value="invite" selected>' in client.get(FIRST_RUN).text


def test_the_first_run_page_shows_the_announce_url_and_explains_passkeys(
    client: Client, empty_admin: Member
) -> None:
    log_in(client, empty_admin)

    page = html.unescape(client.get(FIRST_RUN).text)

    assert 'value="http://127.0.0.1:8080/announce/<passkey>"' in page
    assert "Each member has a secret passkey" in page


def test_an_empty_forum_invites_those_who_may_post_to_start_a_topic(
    client: Client, board: Board
) -> None:
    new_topic = f'href="/forums/{board.public_forum}/new"'
    assert new_topic not in client.get(f"/forums/{board.public_forum}").text
    log_in(client, board.user)

    page = client.get(f"/forums/{board.public_forum}").text

    assert f"No topics yet — <a {new_topic}>start the first one</a>." in page


def test_an_empty_tracker_says_where_releases_come_from(client: Client, settings: Settings) -> None:
    add_forum(settings, add_category(settings, "Video"), "Chat")
    release_forum = add_forum(settings, add_category(settings, "Files"), "Software")
    query(settings, "UPDATE forums SET allows_releases = 1 WHERE id = ?", (release_forum,))

    listing = client.get("/tracker").text
    filtered = client.get("/tracker", params={"q": "nothing"}).text

    assert "No releases yet." in listing
    assert f'<a href="/forums/{release_forum}">Software</a>' in listing
    assert 'No releases match. <a href="/tracker">Show all releases</a>.' in filtered


def test_empty_search_and_member_pages_say_what_to_try(client: Client, board: Board) -> None:
    log_in(client, board.user)

    search = client.get("/search", params={"q": "zzyzx"}).text
    members = client.get("/members", params={"page": "99"}).text

    assert "Try other or fewer words" in search
    assert 'No members on this page. <a href="/members">Back to the first page</a>.' in members
