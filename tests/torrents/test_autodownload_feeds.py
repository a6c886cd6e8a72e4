"""Autodownload feeds: a member's RSS/Atom of releases, each with their own .torrent.

A BitTorrent client's RSS downloader fetches the feed and then the enclosure, both
without a cookie: the feed token in the URL is the only credential, and it must never
reach further than the member's own downloads.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import bencodepy
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import on_board, register_upload, sql
from tests.helpers import Member, add_member, login
from tests.torrents.releases import api_token, bearer, release_forum
from tests.torrents.test_metainfo import build, content, encode
from tinypier.accounts.queries import regenerate_feed_token
from tinypier.app import create_app
from tinypier.release_statuses import DUPLICATE
from tinypier.settings import Settings, load_settings
from tinypier.torrents.registration import ReleaseUpload

Client = TestClient[Litestar]
ATOM = "{http://www.w3.org/2005/Atom}"
TORRENT = "{http://xmlns.ezrss.it/0.1/}"


@dataclass(frozen=True)
class FeedBoard:
    settings: Settings
    public: int
    staff_downloads: int
    staff_only: int
    other_category: int
    alice: Member
    mira: Member
    releases: dict[str, int]


def register(settings: Settings, forum_id: int, uploader: Member, title: str, seed: int) -> int:
    torrent = encode(build({"file.bin": content(4096 + seed, seed=seed)}, name=title.encode()))
    upload = ReleaseUpload(forum_id, uploader.id, title, f"[b]{title}[/b] described.", torrent)
    return register_upload(settings, upload).torrent_id


@pytest.fixture
def board(settings: Settings) -> FeedBoard:
    public = release_forum(settings, "Films")
    staff_downloads = release_forum(settings, "Staff picks", download_role="moderator")
    staff_only = release_forum(settings, "Staff room", view_role="moderator")
    other_category = release_forum(settings, "Albums", category="Music")
    alice = add_member(settings, "alice")
    mira = add_member(settings, "mira", role="moderator")
    releases = {
        "public": register(settings, public, alice, "Golden river", 1),
        "staff picks": register(settings, staff_downloads, mira, "Staff pick", 2),
        "staff room": register(settings, staff_only, mira, "Staff secret", 3),
        "album": register(settings, other_category, alice, "Quiet album", 4),
        "duplicate": register(settings, public, alice, "Duplicate river", 5),
    }
    sql(settings, "UPDATE torrents SET status = ? WHERE id = ?", (DUPLICATE, releases["duplicate"]))
    return FeedBoard(
        settings, public, staff_downloads, staff_only, other_category, alice, mira, releases
    )


def feed_token(settings: Settings, member: Member) -> str:
    token: str = sql(settings, "SELECT feed_token FROM users WHERE id = ?", (member.id,))[0][0]
    return token


def passkey(settings: Settings, member: Member) -> str:
    key: str = sql(settings, "SELECT passkey FROM users WHERE id = ?", (member.id,))[0][0]
    return key


def local(url: str) -> str:
    """A board URL as the test client requests it (the board's base URL is elsewhere)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def rss(client: Client, token: str | None, **filters: str | int) -> ET.Element:
    params = {**filters, **({"token": token} if token is not None else {})}
    response = client.get("/feeds/releases.rss", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert (root.tag, root.get("version")) == ("rss", "2.0")
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title") and channel.findtext("link") is not None
    assert channel.findtext("description")
    return channel


def item_titles(channel: ET.Element) -> list[str]:
    return [item.findtext("title", "") for item in channel.iter("item")]


def test_an_rss_item_carries_the_members_own_torrent_as_enclosure(
    client: Client, board: FeedBoard
) -> None:
    settings = board.settings
    token = feed_token(settings, board.alice)

    channel = rss(client, token, q="golden")

    [item] = channel.iter("item")
    enclosure = item.find("enclosure")
    assert enclosure is not None
    url = enclosure.get("url", "")
    assert enclosure.get("type") == "application/x-bittorrent"
    assert item.findtext("link") == url
    assert passkey(settings, board.alice) not in ET.tostring(channel, encoding="unicode")
    download = client.get(local(url))
    assert download.status_code == 200, download.text
    assert int(enclosure.get("length", "-1")) == len(download.content)
    announce = bencodepy.decode(download.content)[b"announce"].decode()
    assert announce == settings.announce_base + passkey(settings, board.alice)
    topic_id = sql(
        settings, "SELECT topic_id FROM torrents WHERE id = ?", (board.releases["public"],)
    )
    assert item.findtext("guid") == f"{settings.base_url}/topics/{topic_id[0][0]}"
    assert parsedate_to_datetime(item.findtext("pubDate", "")).tzinfo is not None
    size = sql(
        settings, "SELECT total_size FROM torrents WHERE id = ?", (board.releases["public"],)
    )
    assert item.findtext(f"{TORRENT}contentLength") == str(size[0][0])
    assert item.findtext("category") == "Films"


def test_the_feed_download_is_the_same_file_as_the_pages_download(
    client: Client, board: FeedBoard
) -> None:
    torrent_id = board.releases["public"]
    token = feed_token(board.settings, board.alice)

    by_feed = client.get(f"/feeds/torrents/{torrent_id}/download.torrent", params={"token": token})
    login(client, board.alice.name)
    by_page = client.get(f"/torrents/{torrent_id}/download")

    assert by_feed.status_code == by_page.status_code == 200
    assert by_feed.content == by_page.content
    assert by_feed.headers["cache-control"] == "private, no-store"


def test_an_atom_entry_links_its_torrent_as_an_enclosure(client: Client, board: FeedBoard) -> None:
    token = feed_token(board.settings, board.alice)

    response = client.get("/feeds/releases.atom", params={"token": token, "forum": board.public})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}updated")
    # The feed's identity names its filters, not the token a member may renew.
    assert feed.findtext(f"{ATOM}id") == (
        f"{board.settings.base_url}/feeds/releases.atom?forum={board.public}"
    )
    assert passkey(board.settings, board.alice).encode() not in response.content
    [entry] = feed.iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Golden river"
    assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}content") == "<strong>Golden river</strong> described."
    [link] = [link for link in entry.iter(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert link.get("type") == "application/x-bittorrent"
    download = client.get(local(link.get("href", "")))
    assert int(link.get("length", "-1")) == len(download.content)


def test_a_feed_lists_only_what_its_member_may_download(client: Client, board: FeedBoard) -> None:
    settings = board.settings

    as_user = item_titles(rss(client, feed_token(settings, board.alice)))
    as_moderator = item_titles(rss(client, feed_token(settings, board.mira)))
    as_guest = rss(client, None)

    assert as_user == ["Quiet album", "Golden river"]
    assert as_moderator == ["Quiet album", "Staff secret", "Staff pick", "Golden river"]
    # A guest's feed shows what guests may view, with topic links and nothing to download.
    assert item_titles(as_guest) == ["Quiet album", "Staff pick", "Golden river"]
    assert not list(as_guest.iter("enclosure"))


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({"category": "music"}, ["Quiet album"]),
        ({"q": "river"}, ["Golden river"]),
        ({"mine": "1"}, ["Quiet album", "Golden river"]),
        ({"sort": "title", "order": "asc", "page": "9"}, ["Quiet album", "Golden river"]),
    ],
)
def test_a_feed_takes_the_tracker_pages_filters(
    client: Client, board: FeedBoard, filters: dict[str, str], titles: list[str]
) -> None:
    if filters.get("category") == "music":
        category = sql(
            board.settings, "SELECT category_id FROM forums WHERE id = ?", (board.other_category,)
        )
        filters = {"category": str(category[0][0])}

    assert item_titles(rss(client, feed_token(board.settings, board.alice), **filters)) == titles


def test_a_feed_is_bounded_by_the_feed_entries_setting(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data", environ={"TINYPIER_FEED_ENTRIES": "1"})
    with TestClient(create_app(settings), base_url="http://testserver.local") as client:
        forum = release_forum(settings)
        alice = add_member(settings, "alice")
        register(settings, forum, alice, "Older", 1)
        register(settings, forum, alice, "Newer", 2)

        assert item_titles(rss(client, feed_token(settings, alice))) == ["Newer"]


def test_a_feed_link_refuses_a_guest_and_a_release_beyond_the_member(
    client: Client, board: FeedBoard
) -> None:
    token = feed_token(board.settings, board.alice)

    def download(name: str, **params: str) -> int:
        path = f"/feeds/torrents/{board.releases[name]}/download.torrent"
        return client.get(path, params=params).status_code

    no_token = client.get(f"/feeds/torrents/{board.releases['public']}/download.torrent")
    assert no_token.status_code == 403 and "feed token" in no_token.text
    assert download("public", token="not-a-token") == 404
    assert download("staff picks", token=token) == 403
    assert download("staff room", token=token) == 404
    assert download("duplicate", token=token) == 403


def test_a_new_feed_token_or_a_disabled_member_stops_the_old_links(
    client: Client, board: FeedBoard
) -> None:
    settings = board.settings
    old = feed_token(settings, board.alice)
    path = f"/feeds/torrents/{board.releases['public']}/download.torrent"
    on_board(settings, lambda db: regenerate_feed_token(db, board.alice.id))

    assert client.get(path, params={"token": old}).status_code == 404
    assert client.get("/feeds/releases.rss", params={"token": old}).status_code == 404
    new = feed_token(settings, board.alice)
    assert client.get(path, params={"token": new}).status_code == 200
    sql(settings, "UPDATE users SET disabled = 1 WHERE id = ?", (board.alice.id,))
    assert client.get(path, params={"token": new}).status_code == 404
    assert client.get("/feeds/releases.rss", params={"token": new}).status_code == 404


def test_the_member_finds_their_feed_urls(client: Client, board: FeedBoard) -> None:
    settings = board.settings
    token = feed_token(settings, board.alice)
    assert "feed-rss" not in client.get("/tracker").text

    me = client.get("/api/me", headers=bearer(api_token(settings, board.alice))).json()
    login(client, board.alice.name)
    tracker = client.get("/tracker", params={"forum": board.public, "sort": "size"}).text
    settings_page = client.get("/settings/").text

    assert me["feed_url"] == f"{settings.base_url}/feeds/releases.rss?token={token}"
    assert f"/feeds/releases.rss?forum={board.public}&amp;token={token}" in tracker
    assert f"/feeds/releases.atom?forum={board.public}&amp;token={token}" in tracker
    assert f"/feeds/releases.rss?token={token}" in settings_page
    client.cookies.clear()
    assert item_titles(rss(client, token)) == item_titles(
        ET.fromstring(client.get(local(me["feed_url"])).content).find("channel")  # type: ignore[arg-type]
    )
