"""The /tracker page and GET /api/torrents: every filter, every sort, and the pages."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from bench.tracker_page import seed_releases
from tests.forum.board import sql
from tests.helpers import Member, add_member
from tests.torrents.releases import Client, api_token, bearer, post_release_api, release_forum
from tests.torrents.test_metainfo import build, content, encode
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings

DAY = 86_400
# Each row links its release by its engine-v1 address, /torrents/{id}-{slug}.
RELEASE_LINK = r'<a href="/torrents/\d+-[a-z0-9-]+">([^<]+)</a>'
RELEASE_ID = r'<a href="/torrents/(\d+)-[a-z0-9-]+">'


@dataclass(frozen=True)
class Catalogue:
    member: Member
    token: str
    music: int
    video: int


def release(
    client: Client, token: str, forum: int, title: str, size: int, **columns: object
) -> None:
    torrent = encode(build({"f.bin": content(size, seed=size % 250)}, name=title.encode()))
    created = post_release_api(client, token, forum, torrent, title=title)
    assert created.status_code == 201, created.text
    assignments = ", ".join(f"{column} = ?" for column in columns)
    sql(
        client.app.state.settings,
        f"UPDATE torrents SET {assignments} WHERE id = ?",
        (*columns.values(), created.json()["torrent_id"]),
    )


@pytest.fixture
def catalogue(client: Client, settings: Settings) -> Catalogue:
    member = add_member(settings, "member")
    other = add_member(settings, "other")
    mine, theirs = api_token(settings, member), api_token(settings, other)
    music = release_forum(settings, "Lossless", category="Music")
    video = release_forum(settings, "Films", category="Video")
    now = int(time.time())
    release(
        client,
        mine,
        music,
        "Golden River",
        1_000,
        seeders=5,
        leechers=0,
        completed=10,
        created_at=now - DAY,
        status="checked",
        freeleech="gold",
    )
    release(
        client,
        theirs,
        video,
        "Silent Night",
        30_000,
        seeders=0,
        leechers=3,
        completed=2,
        created_at=now - 10 * DAY,
    )
    release(
        client, theirs, music, "Golden Hour", 9_000,
        seeders=1, leechers=1, completed=5, created_at=now - 40 * DAY, status="needs_editing",
        freeleech="silver",
    )  # fmt: skip
    golden_hour = sql(settings, "SELECT id FROM torrents WHERE title = 'Golden Hour'")[0][0]
    sql(
        settings,
        "INSERT INTO snatches (torrent_id, user_id, completed_at) VALUES (?, ?, ?)",
        (golden_hour, member.id, now),
    )
    return Catalogue(member, mine, music, video)


def titles(client: Client, catalogue: Catalogue, **query: object) -> list[str]:
    response = client.get("/api/torrents?" + urlencode(query), headers=bearer(catalogue.token))
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["releases"]]


def test_the_newest_release_comes_first_by_default(client: Client, catalogue: Catalogue) -> None:
    assert titles(client, catalogue) == ["Golden River", "Silent Night", "Golden Hour"]


@pytest.mark.parametrize(
    ("sort", "descending"),
    [
        ("added", ["Golden River", "Silent Night", "Golden Hour"]),
        ("title", ["Silent Night", "Golden River", "Golden Hour"]),
        ("size", ["Silent Night", "Golden Hour", "Golden River"]),
        ("seeders", ["Golden River", "Golden Hour", "Silent Night"]),
        ("leechers", ["Silent Night", "Golden Hour", "Golden River"]),
        ("completed", ["Golden River", "Golden Hour", "Silent Night"]),
    ],
)
def test_each_sort_goes_both_ways(
    client: Client, catalogue: Catalogue, sort: str, descending: list[str]
) -> None:
    assert titles(client, catalogue, sort=sort) == descending
    assert titles(client, catalogue, sort=sort, order="asc") == descending[::-1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "golden"}, {"Golden River", "Golden Hour"}),
        ({"q": "gold riv"}, {"Golden River"}),
        ({"q": "night OR golden"}, set()),
        ({"q": '"; DROP TABLE torrents; --'}, set()),
        ({"status": "needs_editing"}, {"Golden Hour"}),
        ({"freeleech": "gold"}, {"Golden River"}),
        ({"freeleech": "any"}, {"Golden River", "Golden Hour"}),
        ({"seeded": "1"}, {"Golden River", "Golden Hour"}),
        ({"mine": "1"}, {"Golden River"}),
        ({"snatched": "1"}, {"Golden Hour"}),
        ({"days": "7"}, {"Golden River"}),
        ({"days": "30"}, {"Golden River", "Silent Night"}),
        (
            {"status": "nonsense", "sort": "nonsense"},
            {"Golden River", "Silent Night", "Golden Hour"},
        ),
    ],
)
def test_each_filter_keeps_only_what_it_names(
    client: Client, catalogue: Catalogue, query: dict[str, str], expected: set[str]
) -> None:
    assert set(titles(client, catalogue, **query)) == expected


def test_forum_and_category_filters(
    client: Client, settings: Settings, catalogue: Catalogue
) -> None:
    music_category = sql(
        settings, "SELECT category_id FROM forums WHERE id = ?", (catalogue.music,)
    )[0][0]

    assert set(titles(client, catalogue, forum=catalogue.music)) == {"Golden River", "Golden Hour"}
    assert titles(client, catalogue, forum=catalogue.video) == ["Silent Night"]
    assert set(titles(client, catalogue, category=music_category)) == {
        "Golden River",
        "Golden Hour",
    }


def test_a_guest_has_no_releases_of_their_own(client: Client, catalogue: Catalogue) -> None:
    assert client.get("/api/torrents?mine=1").json()["releases"] == []
    assert client.get("/api/torrents?snatched=1").json()["releases"] == []


def test_the_page_lists_the_releases_with_links_sizes_and_swarm(
    client: Client, catalogue: Catalogue
) -> None:
    page = client.get("/tracker?sort=seeders").text

    rows = re.findall(RELEASE_LINK, page)
    assert rows == ["Golden River", "Golden Hour", "Silent Night"]
    assert "29.3 KiB" in page
    assert 'aria-sort="descending"' in page
    assert "sort=seeders&amp;order=asc" in page or "order=asc&amp;sort=seeders" in page
    assert ">gold<" in page
    assert "Needs editing" in page


def test_the_filter_form_keeps_what_was_asked(client: Client, catalogue: Catalogue) -> None:
    page = client.get(f"/tracker?q=golden&forum={catalogue.music}&seeded=1&days=30").text

    assert 'value="golden"' in page
    assert f'<option value="{catalogue.music}" selected>' in page
    assert 'name="seeded" value="1" checked' in page
    assert 'value="30"' in page
    assert re.findall(RELEASE_LINK, page) == ["Golden River"]


def test_releases_come_fifty_to_a_page(client: Client, settings: Settings) -> None:
    connection = connect_sync(settings.database_path)
    seed_releases(connection, 120)
    connection.close()

    first = client.get("/tracker").text
    second = client.get("/tracker?page=2").text

    first_rows = re.findall(RELEASE_ID, first)
    second_rows = re.findall(RELEASE_ID, second)
    # 100 of the 120 releases lie in forums guests may view.
    assert len(first_rows) == len(second_rows) == 50
    assert not set(first_rows) & set(second_rows)
    assert 'rel="next" href="/tracker?page=2"' in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get("/api/torrents?page=2").json()["has_next"] is False


def test_the_title_index_follows_renames_and_deletions(
    client: Client, settings: Settings, catalogue: Catalogue
) -> None:
    sql(settings, "UPDATE topics SET title = 'Amber Sea' WHERE title = 'Golden River'")
    sql(settings, "DELETE FROM topics WHERE title = 'Silent Night'")

    assert titles(client, catalogue, q="amber") == ["Amber Sea"]
    assert titles(client, catalogue, q="golden") == ["Golden Hour"]
    assert titles(client, catalogue, q="silent") == []
    sql(settings, "INSERT INTO release_titles (release_titles) VALUES ('integrity-check')")
