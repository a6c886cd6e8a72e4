"""Who gets a .torrent, a passkey or even a glimpse of a release, and who never does.

The board: a public forum, a forum anyone may read but only moderators download from,
and a private forum for moderators. A private release's title carries a word found
nowhere else, so every place that could leak it (/tracker, the API, search, the feeds)
is searched for that word.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.forum.board import sql
from tests.helpers import Member, add_member, csrf_token, login
from tests.torrents.releases import Client, api_token, bearer, post_release_api, release_forum
from tests.torrents.test_metainfo import build, content, encode
from tinypier.release_statuses import FROZEN_STATUSES, NEEDS_EDITING
from tinypier.settings import Settings

SECRET_WORD = "Zanzibarquartz"


@dataclass(frozen=True)
class Board:
    public: int
    restricted: int
    private: int
    member: Member
    moderator: Member
    member_token: str
    moderator_token: str


def upload(client: Client, token: str, forum: int, title: str, seed: int) -> int:
    torrent = encode(build({"file.bin": content(20_000, seed=seed)}, name=f"r{seed}".encode()))
    response = post_release_api(client, token, forum, torrent, title=title)
    assert response.status_code == 201, response.text
    torrent_id: int = response.json()["torrent_id"]
    return torrent_id


@pytest.fixture
def board(client: Client, settings: Settings) -> Board:
    admin = add_member(settings, "admin", "admin")
    admin_token = api_token(settings, admin)
    public = release_forum(settings, "Public")
    restricted = release_forum(settings, "Look only", download_role="moderator")
    private = release_forum(settings, "Staff", view_role="moderator", category="Staff")
    upload(client, admin_token, public, "Open release", 1)
    upload(client, admin_token, restricted, "Look but not take", 2)
    upload(client, admin_token, private, f"{SECRET_WORD} staff release", 3)
    member = add_member(settings, "member")
    moderator = add_member(settings, "moderator", "moderator")
    return Board(
        public, restricted, private, member, moderator,
        api_token(settings, member), api_token(settings, moderator),
    )  # fmt: skip


def release_id(settings: Settings, forum: int) -> tuple[int, int]:
    torrent_id, topic_id = sql(
        settings, "SELECT id, topic_id FROM torrents WHERE forum_id = ?", (forum,)
    )[0]
    return torrent_id, topic_id


def every_passkey(settings: Settings) -> list[str]:
    return [row[0] for row in sql(settings, "SELECT passkey FROM users")]


def assert_no_secret(page: str, settings: Settings) -> None:
    assert "magnet:" not in page
    assert "/download" not in page
    for passkey in every_passkey(settings):
        assert passkey not in page


def test_a_guest_gets_no_torrent_and_no_passkey(
    client: Client, settings: Settings, board: Board
) -> None:
    torrent_id, topic_id = release_id(settings, board.public)

    page = client.get(f"/topics/{topic_id}")
    download = client.get(f"/torrents/{torrent_id}/download", follow_redirects=False)
    api_download = client.get(f"/api/torrents/{torrent_id}/download")

    assert page.status_code == 200
    assert_no_secret(page.text, settings)
    assert download.status_code == 303
    assert download.headers["location"].startswith("/login")
    assert api_download.status_code == 401
    assert api_download.json()["error"]
    assert client.get("/api/me").status_code == 401


def test_a_member_without_the_download_role_gets_no_torrent_and_no_passkey(
    client: Client, settings: Settings, board: Board
) -> None:
    torrent_id, topic_id = release_id(settings, board.restricted)
    login(client, board.member.name)

    page = client.get(f"/topics/{topic_id}")
    download = client.get(f"/torrents/{torrent_id}/download")
    api_download = client.get(
        f"/api/torrents/{torrent_id}/download", headers=bearer(board.member_token)
    )

    assert page.status_code == 200
    assert_no_secret(page.text, settings)
    assert "You may not download" in page.text
    assert download.status_code == 403
    assert board.member.passkey not in download.text
    assert api_download.status_code == 403


def test_a_member_with_the_download_role_gets_their_own_passkey_only(
    client: Client, settings: Settings, board: Board
) -> None:
    torrent_id, topic_id = release_id(settings, board.public)
    login(client, board.member.name)

    page = client.get(f"/topics/{topic_id}").text
    download = client.get(f"/torrents/{torrent_id}/download")

    assert f"/torrents/{torrent_id}/download" in page
    assert f"announce%2F{board.member.passkey}" in page
    assert download.status_code == 200
    assert f"/announce/{board.member.passkey}".encode() in download.content
    others = [key for key in every_passkey(settings) if key != board.member.passkey]
    assert not any(key in page or key.encode() in download.content for key in others)


def set_status(client: Client, torrent_id: int, topic_id: int, status: str) -> None:
    token = csrf_token(client.get(f"/topics/{topic_id}").text)
    response = client.post(
        f"/torrents/{torrent_id}/status",
        data={"_csrf_token": token, "status": status},
        follow_redirects=False,
    )
    assert response.status_code == 303


@pytest.mark.parametrize("status", sorted(FROZEN_STATUSES))
def test_a_frozen_release_cannot_be_downloaded_by_anyone(
    client: Client, settings: Settings, board: Board, status: str
) -> None:
    torrent_id, topic_id = release_id(settings, board.public)
    login(client, board.moderator.name)
    set_status(client, torrent_id, topic_id, status)

    moderator_download = client.get(f"/torrents/{torrent_id}/download")
    page = client.get(f"/topics/{topic_id}").text
    login(client, board.member.name)
    member_download = client.get(f"/torrents/{torrent_id}/download")
    api_download = client.get(
        f"/api/torrents/{torrent_id}/download", headers=bearer(board.member_token)
    )

    assert moderator_download.status_code == member_download.status_code == 403
    assert api_download.status_code == 403
    assert "cannot be downloaded" in page
    assert "magnet:" not in page


def test_needs_editing_keeps_the_release_downloadable(
    client: Client, settings: Settings, board: Board
) -> None:
    torrent_id, topic_id = release_id(settings, board.public)
    login(client, board.moderator.name)
    set_status(client, torrent_id, topic_id, NEEDS_EDITING)
    login(client, board.member.name)

    assert client.get(f"/torrents/{torrent_id}/download").status_code == 200


def test_private_releases_never_appear_on_the_tracker_page_for_outsiders(
    client: Client, settings: Settings, board: Board
) -> None:
    private_query = f"/tracker?forum={board.private}&q={SECRET_WORD}"
    category = sql(settings, "SELECT category_id FROM forums WHERE id = ?", (board.private,))[0][0]

    as_guest = [
        client.get(path).text
        for path in ("/tracker", private_query, f"/tracker?category={category}")
    ]
    login(client, board.member.name)
    as_member = [
        client.get(path).text for path in ("/tracker", private_query, "/tracker?sort=title")
    ]
    login(client, board.moderator.name)
    as_moderator = client.get("/tracker").text

    # The searched word is echoed in the search box; the release's title and forum are not.
    assert all("staff release" not in page and "Staff" not in page for page in as_guest + as_member)
    assert "staff release" in as_moderator


def test_private_releases_never_appear_in_the_api_for_outsiders(
    client: Client, settings: Settings, board: Board
) -> None:
    torrent_id, _ = release_id(settings, board.private)
    listing = f"/api/torrents?forum={board.private}"

    guest_list = client.get("/api/torrents").json()["releases"]
    member_list = client.get("/api/torrents", headers=bearer(board.member_token)).json()["releases"]
    member_forum = client.get(listing, headers=bearer(board.member_token)).json()["releases"]
    guest_detail = client.get(f"/api/torrents/{torrent_id}")
    member_detail = client.get(f"/api/torrents/{torrent_id}", headers=bearer(board.member_token))
    moderator_list = client.get("/api/torrents", headers=bearer(board.moderator_token)).json()[
        "releases"
    ]

    assert {release["title"] for release in guest_list} == {"Open release", "Look but not take"}
    assert {release["title"] for release in member_list} == {"Open release", "Look but not take"}
    assert member_forum == []
    assert guest_detail.status_code == member_detail.status_code == 404
    assert any(SECRET_WORD in release["title"] for release in moderator_list)


def test_the_session_cookie_does_not_open_the_api(
    client: Client, settings: Settings, board: Board
) -> None:
    login(client, board.moderator.name)

    releases = client.get("/api/torrents").json()["releases"]

    assert all(SECRET_WORD not in release["title"] for release in releases)
    assert client.get("/api/me").status_code == 401


def test_private_releases_never_appear_in_search_for_outsiders(
    client: Client, settings: Settings, board: Board
) -> None:
    search = f"/search?q={SECRET_WORD}"

    as_guest = client.get(search)
    login(client, board.member.name)
    as_member = client.get(search)
    login(client, board.moderator.name)
    as_moderator = client.get(search)

    assert as_guest.status_code == as_member.status_code == 200
    # The searched word is echoed back on the page; the release's title is not.
    assert "staff release" not in as_guest.text
    assert "staff release" not in as_member.text
    assert "staff release" in as_moderator.text


def feed_token(settings: Settings, member: Member) -> str:
    token: str = sql(settings, "SELECT feed_token FROM users WHERE id = ?", (member.id,))[0][0]
    return token


def test_private_releases_never_appear_in_the_release_feed_for_outsiders(
    client: Client, settings: Settings, board: Board
) -> None:
    feed = "/feeds/releases.atom"

    as_guest = client.get(feed)
    as_member = client.get(f"{feed}?token={feed_token(settings, board.member)}")
    as_moderator = client.get(f"{feed}?token={feed_token(settings, board.moderator)}")

    assert as_guest.status_code == as_member.status_code == 200
    assert "Open release" in as_guest.text
    assert SECRET_WORD not in as_guest.text
    assert SECRET_WORD not in as_member.text
    assert SECRET_WORD in as_moderator.text
