"""A release's peer and snatch lists: under its block on the topic (first page) and on
their own paginated pages, for members who may download from its forum; addresses and
ports for moderators only."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.forum.board import sql
from tests.helpers import Member, add_member, login
from tests.torrents.releases import Client
from tests.tracker.wire import register_torrent
from tinypier.settings import Settings, load_settings

ADDRESS = "203.0.113.7 :51413"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data", environ={}, torrent_list_page_size="2")


def in_forum(settings: Settings, torrent_id: int, view_role: str, download_role: str) -> None:
    sql(settings, "INSERT INTO forums (category_id, name, description, position,"
        " allows_releases, view_role, topic_role, reply_role, download_role, topic_count,"
        " post_count) VALUES (1, 'Other', '', 1, 1, ?, 'user', 'user', ?, 0, 0)",
        (view_role, download_role))  # fmt: skip
    sql(settings, "UPDATE topics SET forum_id = (SELECT MAX(id) FROM forums)"
        " WHERE id = (SELECT topic_id FROM torrents WHERE id = ?)", (torrent_id,))  # fmt: skip


def a_swarm(settings: Settings, peers: int) -> tuple[int, int, list[Member]]:
    """A release with ``peers`` members in its swarm, each also having completed it, the
    i-th uploading more than the next; returns its id, its topic and the members."""
    uploader = add_member(settings, "uploader")
    torrent_id = register_torrent(settings, uploader.id, "swarmed").id
    now = int(time.time())
    members = [add_member(settings, f"peer{n}") for n in range(peers)]
    for n, member in enumerate(members):
        sql(settings, "INSERT INTO peers (torrent_id, user_id, peer_id, ipv4, ipv6, port,"
            " uploaded, downloaded, left, client, started_at, last_announce_at) VALUES"
            " (?, ?, ?, '203.0.113.7', NULL, 51413, ?, 0, 0, 'qBittorrent 4.6.2', ?, ?)",
            (torrent_id, member.id, bytes(20), 1000 - n, now, now))  # fmt: skip
        sql(settings, "INSERT INTO snatches (torrent_id, user_id, completed_at) VALUES (?, ?, ?)",
            (torrent_id, member.id, now - n))  # fmt: skip
    sql(settings, "UPDATE torrents SET seeders = ?, completed = ? WHERE id = ?",
        (peers, peers, torrent_id))  # fmt: skip
    topic_id: int = sql(settings, "SELECT topic_id FROM torrents WHERE id = ?", (torrent_id,))[0][0]
    return torrent_id, topic_id, members


def test_members_who_may_download_see_the_first_page_on_the_topic_and_the_rest_paged(
    client: Client, settings: Settings
) -> None:
    torrent_id, topic_id, members = a_swarm(settings, 3)
    login(client, add_member(settings, "reader").name)

    topic = client.get(f"/topics/{topic_id}").text
    first = client.get(f"/torrents/{torrent_id}/peers").text
    second = client.get(f"/torrents/{torrent_id}/peers?page=2").text
    snatches = client.get(f"/torrents/{torrent_id}/snatches?page=2").text

    assert ">peer0<" in topic and ">peer1<" in topic and ">peer2<" not in topic
    assert f'href="/torrents/{torrent_id}/peers"' in topic, "a link to all peers"
    assert ">peer0<" in first and ">peer2<" not in first and "page=2" in first
    assert ">peer2<" in second and ">peer0<" not in second
    assert ">peer2<" in snatches, "the oldest completion is on the second page"
    assert ADDRESS not in topic + first + second
    assert members[0].passkey not in topic + first


def test_moderators_also_see_addresses_and_ports(client: Client, settings: Settings) -> None:
    torrent_id, topic_id, _ = a_swarm(settings, 1)
    login(client, add_member(settings, "mod", "moderator").name)

    assert ADDRESS in client.get(f"/topics/{topic_id}").text
    assert ADDRESS in client.get(f"/torrents/{torrent_id}/peers").text


def test_who_may_not_download_from_the_forum_sees_no_lists(
    client: Client, settings: Settings
) -> None:
    torrent_id, topic_id, _ = a_swarm(settings, 1)
    in_forum(settings, torrent_id, view_role="guest", download_role="moderator")
    login(client, add_member(settings, "reader").name)

    topic = client.get(f"/topics/{topic_id}")
    refused = client.get(f"/torrents/{torrent_id}/peers")

    assert topic.status_code == 200 and ">peer0<" not in topic.text
    assert refused.status_code == 403
    assert ">peer0<" not in refused.text


def test_a_release_in_a_hidden_forum_has_no_lists_at_all(
    client: Client, settings: Settings
) -> None:
    torrent_id, _, _ = a_swarm(settings, 1)
    in_forum(settings, torrent_id, view_role="moderator", download_role="moderator")
    login(client, add_member(settings, "reader").name)

    assert client.get(f"/torrents/{torrent_id}/snatches").status_code == 404


def test_guests_see_no_names_and_are_sent_to_log_in_for_the_lists(
    client: Client, settings: Settings
) -> None:
    torrent_id, topic_id, _ = a_swarm(settings, 1)

    topic = client.get(f"/topics/{topic_id}").text
    lists = client.get(f"/torrents/{torrent_id}/peers", follow_redirects=False)

    assert ">peer0<" not in topic
    assert lists.status_code == 303
    assert lists.headers["location"].startswith("/login")
