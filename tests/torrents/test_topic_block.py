"""The release block on its topic: files, hashes, swarm figures, peers and snatches."""

from __future__ import annotations

import re
import time

import pytest

from tests.forum.board import sql
from tests.helpers import Member, add_member, login
from tests.torrents.releases import (
    Client,
    api_token,
    post_release_api,
    release_forum,
    shared_torrent,
)
from tests.torrents.test_metainfo import build, content, encode
from tinypier.settings import Settings


def post(client: Client, settings: Settings, torrent: bytes) -> tuple[int, int, Member]:
    uploader = add_member(settings, "uploader")
    created = post_release_api(
        client, api_token(settings, uploader), release_forum(settings), torrent
    )
    assert created.status_code == 201, created.text
    return created.json()["torrent_id"], created.json()["topic_id"], uploader


def test_a_hybrid_shows_both_hashes_and_its_files_without_pad_files(
    client: Client, settings: Settings
) -> None:
    """Seen by a member who may download it: the hashes are shown to nobody else."""
    _, topic_id, uploader = post(
        client, settings, shared_torrent("hybrid-libtorrent-multi.torrent")
    )
    login(client, uploader.name)

    page = client.get(f"/topics/{topic_id}").text

    assert "fb2b937dfe9d88492da68549ca12e6ed608d3340" in page
    assert "28f2880dcd5e2376b950f13406d3293d08daf28e52af0d870408bac03c50a23a" in page
    assert "Files (4)" in page
    assert "track 3.flac" in page
    assert ".pad" not in page


def test_folders_are_collapsible_and_carry_the_size_of_what_they_hold(
    client: Client, settings: Settings
) -> None:
    files = {
        "disc 1/a.bin": content(1024),
        "disc 1/extras/b.bin": content(2048),
        "c.bin": content(10),
    }
    _, topic_id, _ = post(client, settings, encode(build(files, name=b"box")))

    page = client.get(f"/topics/{topic_id}").text

    assert re.search(r"<details><summary>disc 1/ <span class=\"muted\">3(\.0)? KiB</span>", page)
    assert re.search(r"<details><summary>extras/ <span class=\"muted\">2(\.0)? KiB</span>", page)
    assert "c.bin" in page
    assert page.index("disc 1/") < page.index("c.bin"), "folders come before files"


def test_file_names_are_shown_escaped(client: Client, settings: Settings) -> None:
    files = {"<img src=x onerror=alert(1)>.txt": content(10)}
    _, topic_id, _ = post(client, settings, encode(build(files, name=b"<b>name")))

    page = client.get(f"/topics/{topic_id}").text

    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page
    assert "&lt;b&gt;name" in page
    assert "<b>name" not in page


def add_peer(settings: Settings, torrent_id: int, member: Member, left: int) -> None:
    now = int(time.time())
    sql(
        settings,
        "INSERT INTO peers (torrent_id, user_id, peer_id, ipv4, ipv6, port, uploaded, downloaded,"
        " left, client, started_at, last_announce_at) VALUES (?, ?, ?, '203.0.113.7', NULL, 51413,"
        " 1048576, 524288, ?, 'Transmission 4.0.5', ?, ?)",
        (torrent_id, member.id, b"-TR4050-" + bytes(12), left, now, now),
    )


@pytest.fixture
def swarm(client: Client, settings: Settings) -> tuple[int, int]:
    torrent_id, topic_id, uploader = post(
        client, settings, shared_torrent("v1-mktorrent-single.torrent")
    )
    leecher = add_member(settings, "leecher")
    add_peer(settings, torrent_id, leecher, left=750_000)
    sql(
        settings,
        "INSERT INTO snatches (torrent_id, user_id, completed_at) VALUES (?, ?, ?)",
        (torrent_id, uploader.id, 1_700_000_000),
    )
    sql(
        settings,
        "UPDATE torrents SET seeders = 3, leechers = 1, completed = 7, last_seeder_at = ?"
        " WHERE id = ?",
        (1_700_000_000, torrent_id),
    )
    return torrent_id, topic_id


def test_members_see_the_swarm_the_peers_and_who_completed(
    client: Client, settings: Settings, swarm: tuple[int, int]
) -> None:
    _, topic_id = swarm
    login(client, add_member(settings, "reader").name)

    page = client.get(f"/topics/{topic_id}").text

    assert "3 seeders" in page
    assert "1 leecher" in page, "English counts agree in number"
    assert "7 completed" in page
    assert "2023-11-14 22:13 UTC" in page, "when a seeder was last seen"
    assert "leecher" in page
    assert "Transmission 4.0.5" in page
    assert "75.0%" in page, "3,000,000 bytes with 750,000 left"
    assert "1.0 MiB" in page and "512.0 KiB" in page
    assert "Completed by (1 of 7)" in page
    assert "203.0.113.7" not in page
    assert "51413" not in page


def test_moderators_also_see_peer_addresses(
    client: Client, settings: Settings, swarm: tuple[int, int]
) -> None:
    _, topic_id = swarm
    login(client, add_member(settings, "mod", "moderator").name)

    page = client.get(f"/topics/{topic_id}").text

    assert "203.0.113.7 :51413" in page


def test_guests_see_the_figures_but_no_member_names(
    client: Client, settings: Settings, swarm: tuple[int, int]
) -> None:
    _, topic_id = swarm

    page = client.get(f"/topics/{topic_id}").text

    assert "3 seeders" in page
    assert "Transmission 4.0.5" not in page
    assert ">leecher<" not in page


def test_an_ordinary_topic_has_no_release_block(client: Client, settings: Settings) -> None:
    member = add_member(settings, "writer")
    forum = release_forum(settings)
    sql(
        settings,
        "INSERT INTO topics (forum_id, author_id, title, created_at, last_post_at, post_count,"
        " pin, locked) VALUES (?, ?, 'Chat', 1, 1, 0, 0, 0)",
        (forum, member.id),
    )

    page = client.get("/topics/1").text

    assert 'class="release card"' not in page
