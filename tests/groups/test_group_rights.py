"""A group's forum rights add to a member's role on every surface, and only there.

A staff forum (moderators view and download) holds a release and a reply. Four members
of the user role: one in no group, and one in each of three groups granting that forum
``view``, ``read`` or ``download``. Each surface must agree with what was granted:
the index and forum page (view), the topic page, search, the forum's feed and the API
(read), the info hash, the .torrent, the release feed, announce and scrape (download).
Where the tracker refuses, its reply is byte for byte the reply to a hash nobody
registered, so a hidden release's existence never leaks.

Then the tracker follows changes at once: a grant revoked, a group left, a request
approved (``changes.user_changed`` drops the member it cached).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import bencodepy
import pytest
from litestar.testing import TestClient

from tests.forum.board import add_reply, add_topic, sql
from tests.groups.board import act_as, add_group, grant, post_form, put_in_group
from tests.helpers import Member, add_member
from tests.permissions.test_tracker_parity import (
    SEEDER_ADDRESS,
    UNKNOWN_HASH,
    Release,
    announce_reply,
    become,
    register,
    scrape_reply,
)
from tests.roles import session_for
from tests.torrents.releases import api_token, bearer, release_forum
from tests.tracker.conftest import ChosenAddress
from tests.tracker.wire import peer_id
from tinypier.app import create_app
from tinypier.settings import Settings, load_settings

Client = TestClient[Any]
# What each member's group grants in the staff forum; "plain" is in no group.
GRANTED = {"plain": None, "viewer": "view", "reader": "read", "downloader": "download"}
WORD = "grantedword"


def may(name: str, right: str) -> bool:
    """Spelled out here: download implies read, read implies view."""
    order = ["view", "read", "download"]
    held = GRANTED[name]
    return held is not None and order.index(held) >= order.index(right)


@dataclass(frozen=True)
class Board:
    settings: Settings
    client: Client
    forum_id: int
    release: Release
    members: dict[str, Member]
    sessions: dict[str, str]
    tokens: dict[str, str]
    feed_tokens: dict[str, str]


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Board]:
    settings = load_settings(tmp_path_factory.mktemp("grants") / "data", environ={})
    app = create_app(settings)
    staff = release_forum(
        settings, "Staff releases", view_role="moderator", download_role="moderator"
    )
    uploader = add_member(settings, "uploader", "admin")
    release = register(settings, staff, uploader, seed=101)
    topic = add_topic(settings, staff, uploader, "Staff topic", f"The {WORD} first post.")
    add_reply(settings, topic, uploader, f"A {WORD} reply.")
    members = {name: add_member(settings, name) for name in GRANTED}
    for name, right in GRANTED.items():
        if right is not None:
            group = add_group(settings, f"{right} group")
            put_in_group(settings, group, members[name])
            grant(settings, group, staff, right)
    feed_tokens = {
        name: str(sql(settings, "SELECT feed_token FROM users WHERE id = ?", (m.id,))[0][0])
        for name, m in members.items()
    }
    with TestClient(ChosenAddress(app), base_url="http://testserver.local") as client:
        client.follow_redirects = False
        announce_reply(
            client, uploader.passkey, release.info_hash, peer_id(label="seeder"), SEEDER_ADDRESS
        )
        yield Board(
            settings,
            client,
            staff,
            release,
            members,
            {name: session_for(settings, m) for name, m in members.items()},
            {name: api_token(settings, m) for name, m in members.items()},
            feed_tokens,
        )


NAMES = list(GRANTED)


@pytest.mark.parametrize("name", NAMES)
def test_view_lists_the_forum_and_its_topics(board: Board, name: str) -> None:
    become(board.client, board.sessions[name])
    index = board.client.get("/")
    assert ("Staff releases" in index.text) == may(name, "view")
    forum = board.client.get(f"/forums/{board.forum_id}")
    assert forum.status_code == (200 if may(name, "view") else 404)


@pytest.mark.parametrize("name", NAMES)
def test_read_opens_topics_search_feeds_and_the_api(board: Board, name: str) -> None:
    client, release = board.client, board.release
    become(client, board.sessions[name])
    readable = may(name, "read")

    assert client.get(f"/topics/{release.topic_id}").status_code == (200 if readable else 404)
    found = client.get("/search", params={"q": WORD}).text
    assert (f"{WORD} reply" in found.replace("<mark>", "").replace("</mark>", "")) == readable
    feed = client.get(
        f"/feeds/forums/{board.forum_id}.atom", params={"token": board.feed_tokens[name]}
    )
    assert feed.status_code == (200 if readable else 404)
    api = client.get(f"/api/torrents/{release.torrent_id}", headers=bearer(board.tokens[name]))
    assert api.status_code == (200 if readable else 404)


@pytest.mark.parametrize("name", NAMES)
def test_download_shows_the_hash_gives_the_torrent_and_the_swarm(board: Board, name: str) -> None:
    client, release, member = board.client, board.release, board.members[name]
    become(client, board.sessions[name])
    downloadable = may(name, "download")

    page = client.get(f"/topics/{release.topic_id}")
    assert (release.info_hash.hex() in page.text) == downloadable
    download = client.get(f"/torrents/{release.torrent_id}/download")
    assert (download.status_code == 200) == downloadable
    if may(name, "read"):
        api = client.get(
            f"/api/torrents/{release.torrent_id}", headers=bearer(board.tokens[name])
        ).json()
        assert (api["info_hash"] is not None) == downloadable
    feed = client.get("/feeds/releases.rss", params={"token": board.feed_tokens[name]})
    assert (f"/torrents/{release.torrent_id}/download.torrent" in feed.text) == downloadable

    peer = peer_id(label=name)
    reply = announce_reply(client, member.passkey, release.info_hash, peer)
    answer = bencodepy.decode(reply)
    assert (socket.inet_aton(SEEDER_ADDRESS) in answer.get(b"peers", b"")) == downloadable
    scraped = scrape_reply(client, member.passkey, release.info_hash)
    if downloadable:
        assert b"failure reason" not in answer
        assert release.info_hash in bencodepy.decode(scraped)[b"files"]
    else:
        assert reply == announce_reply(client, member.passkey, UNKNOWN_HASH, peer)
        assert scraped == scrape_reply(client, member.passkey, UNKNOWN_HASH)


def test_the_cases_reach_every_outcome() -> None:
    """Each right is held by some members and not by others, or the cases prove nothing."""
    for right in ("view", "read", "download"):
        assert {may(name, right) for name in NAMES} == {True, False}


# -- the tracker follows a change of groups or grants at once --------------------------


@dataclass(frozen=True)
class Small:
    settings: Settings
    client: Client
    release: Release
    forum_id: int
    admin: Member
    member: Member
    group_id: int


@pytest.fixture
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Small]:
    settings = load_settings(tmp_path_factory.mktemp("follow") / "data", environ={})
    app = create_app(settings)
    staff = release_forum(settings, "Staff", view_role="moderator", download_role="moderator")
    admin, member = add_member(settings, "boss", "admin"), add_member(settings, "member")
    release = register(settings, staff, admin, seed=202)
    group = add_group(settings, "Uploaders", "request")
    with TestClient(ChosenAddress(app), base_url="http://testserver.local") as client:
        client.follow_redirects = False
        yield Small(settings, client, release, staff, admin, member, group)


def refused_as_unknown(small: Small) -> bool:
    peer = peer_id(label="follow")
    passkey = small.member.passkey
    reply = announce_reply(small.client, passkey, small.release.info_hash, peer)
    return reply == announce_reply(small.client, passkey, UNKNOWN_HASH, peer)


def test_approving_a_request_lets_the_member_announce_at_once(small: Small) -> None:
    grant(small.settings, small.group_id, small.forum_id, "download")
    put_in_group(small.settings, small.group_id, small.member, "pending")
    assert refused_as_unknown(small), "a pending request holds no rights"

    act_as(small.client, small.admin)
    approve = f"/groups/{small.group_id}/requests/{small.member.id}/approve"
    assert post_form(small.client, approve).status_code == 303

    assert not refused_as_unknown(small)


def test_revoking_a_grant_stops_the_announces_at_once(small: Small) -> None:
    grant(small.settings, small.group_id, small.forum_id, "download")
    put_in_group(small.settings, small.group_id, small.member)
    assert not refused_as_unknown(small)

    act_as(small.client, small.admin)
    rights = f"/admin/groups/{small.group_id}/rights"
    assert post_form(small.client, rights, {"grant": f"{small.forum_id}:read"}).status_code == 303

    assert refused_as_unknown(small)


def test_leaving_the_group_stops_the_announces_at_once(small: Small) -> None:
    grant(small.settings, small.group_id, small.forum_id, "download")
    put_in_group(small.settings, small.group_id, small.member)
    assert not refused_as_unknown(small)

    act_as(small.client, small.member)
    assert post_form(small.client, f"/groups/{small.group_id}/leave").status_code == 303

    assert refused_as_unknown(small)


def test_deleting_the_group_stops_the_announces_at_once(small: Small) -> None:
    grant(small.settings, small.group_id, small.forum_id, "download")
    put_in_group(small.settings, small.group_id, small.member)
    assert not refused_as_unknown(small)

    act_as(small.client, small.admin)
    delete = f"/admin/groups/{small.group_id}/delete"
    assert post_form(small.client, delete, {"confirm": "yes"}).status_code == 303

    assert refused_as_unknown(small)


def test_rights_outside_the_forums_are_refused_and_nothing_changes(small: Small) -> None:
    act_as(small.client, small.admin)
    rights = f"/admin/groups/{small.group_id}/rights"
    for bad in (f"{small.forum_id}:fly", "999999:view", "view", ":"):
        refused = post_form(small.client, rights, {"grant": bad})
        assert refused.status_code == 400, bad
    count = sql(small.settings, "SELECT COUNT(*) FROM group_grants")[0][0]
    assert count == 0
