"""The engine-v1 addresses: ``/torrents`` lists releases, ``/torrents/{id}-{slug}`` shows one.

Scripts and old links use them. The slug is made from the title (Cyrillic written in
Latin letters), only the id finds the release, and a stale or missing slug is sent on
to the current address. A release hidden from the viewer is as unknown there as
anywhere. The listing links each release by that address, and offers members who may
download it a download link on its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.forum.board import sql
from tests.helpers import Member, add_member, login
from tests.torrents.releases import Client, api_token, post_release_api, release_forum
from tests.torrents.test_metainfo import build, content, encode
from tinypier.settings import Settings
from tinypier.torrents.addresses import MAX_SLUG_CHARS, release_slug


@dataclass(frozen=True)
class Posted:
    member: Member
    torrent_id: int
    topic_id: int


def post_release(
    client: Client, settings: Settings, forum: int, title: str, role: str = "user"
) -> Posted:
    member = add_member(settings, f"uploader{forum}", role)
    torrent = encode(build({"f.bin": content(1000, seed=forum)}, name=b"files"))
    created = post_release_api(
        client, api_token(settings, member), forum, torrent, title=title, description="Notes."
    )
    assert created.status_code == 201, created.text
    return Posted(member, created.json()["torrent_id"], created.json()["topic_id"])


@pytest.fixture
def posted(client: Client, settings: Settings) -> Posted:
    return post_release(client, settings, release_forum(settings), "Тихий Дон (1957) BDRip")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Тихий Дон (1957) BDRip", "tikhiy-don-1957-bdrip"),
        ("Ёлки 2: Щедрый вечер", "yolki-2-shchedryy-vecher"),
        ("Café del Mar — Volumen Uno", "cafe-del-mar-volumen-uno"),
        ("Київ та Ґанок", "kiyiv-ta-ganok"),
        ("★ ☆ ★", "release"),
    ],
)
def test_the_slug_is_the_title_in_latin_letters(title: str, slug: str) -> None:
    assert release_slug(title) == slug


def test_a_long_titles_slug_ends_at_a_whole_word() -> None:
    slug = release_slug("word " * 40)

    assert len(slug) <= MAX_SLUG_CHARS
    assert slug.split("-") == ["word"] * len(slug.split("-"))


def test_torrents_is_the_release_listing(client: Client, posted: Posted) -> None:
    listing = client.get("/torrents")

    assert listing.status_code == 200
    assert "Тихий Дон (1957) BDRip" in listing.text
    assert client.get("/tracker").status_code == 200


def test_the_listing_links_each_release_by_its_address(client: Client, posted: Posted) -> None:
    listing = client.get("/torrents").text

    assert f'href="/torrents/{posted.torrent_id}-tikhiy-don-1957-bdrip"' in listing


def test_the_release_address_shows_its_page(client: Client, posted: Posted) -> None:
    page = client.get(f"/torrents/{posted.torrent_id}-tikhiy-don-1957-bdrip")

    assert page.status_code == 200
    assert "Тихий Дон (1957) BDRip" in page.text
    assert "Notes." in page.text


@pytest.mark.parametrize("stale", ["", "-old-title", "-TIKHIY-DON-1957-BDRIP"])
def test_a_stale_or_missing_slug_moves_to_the_current_address(
    client: Client, posted: Posted, stale: str
) -> None:
    moved = client.get(f"/torrents/{posted.torrent_id}{stale}?page=1", follow_redirects=False)

    assert moved.status_code == 301
    assert (
        moved.headers["location"] == f"/torrents/{posted.torrent_id}-tikhiy-don-1957-bdrip?page=1"
    )


def test_a_renamed_release_keeps_its_old_address_working(
    client: Client, settings: Settings, posted: Posted
) -> None:
    sql(
        settings,
        "UPDATE torrents SET title = 'Quiet Flows the Don' WHERE id = ?",
        (posted.torrent_id,),
    )

    moved = client.get(
        f"/torrents/{posted.torrent_id}-tikhiy-don-1957-bdrip", follow_redirects=False
    )

    assert moved.headers["location"] == f"/torrents/{posted.torrent_id}-quiet-flows-the-don"


@pytest.mark.parametrize("address", ["999-nothing", "0-zero", "abc", "1x", "99999999999999999999"])
def test_an_unknown_release_is_not_found(client: Client, posted: Posted, address: str) -> None:
    assert client.get(f"/torrents/{address}", follow_redirects=False).status_code == 404


def test_a_hidden_release_is_as_unknown_as_a_missing_one(
    client: Client, settings: Settings
) -> None:
    staff = release_forum(settings, "Staff", view_role="moderator")
    hidden = post_release(client, settings, staff, "Staff only", role="moderator")

    for address in (f"{hidden.torrent_id}-staff-only", f"{hidden.torrent_id}"):
        assert client.get(f"/torrents/{address}", follow_redirects=False).status_code == 404


def _download_links(client: Client) -> list[str]:
    return re.findall(r'class="row-download" href="([^"]+)"', client.get("/tracker").text)


def test_members_who_may_download_get_a_download_link_per_row(
    client: Client, settings: Settings, posted: Posted
) -> None:
    assert _download_links(client) == []  # a guest may not download

    login(client, posted.member.name)

    assert _download_links(client) == [f"/torrents/{posted.torrent_id}/download"]
    assert client.get(_download_links(client)[0]).status_code == 200


def test_a_frozen_release_offers_no_download_link(
    client: Client, settings: Settings, posted: Posted
) -> None:
    sql(settings, "UPDATE torrents SET status = 'closed' WHERE id = ?", (posted.torrent_id,))
    login(client, posted.member.name)

    assert _download_links(client) == []
