"""The tracker answers a member exactly where the site would let them take the release.

Every member role x forum setting (``view_role``, ``download_role``) x release status,
and four ways to reach a release: its topic page, its .torrent, an announce and a scrape
of its hash. The page 404s what the role may not view; the download also asks for the
forum's download role and a status no moderator froze. The tracker must answer (peers,
counts) exactly when the download is allowed, and must tell a member whose role may not
download the very bytes it tells anyone about a hash nobody registered, so a hidden
release's existence, swarm and staff addresses never leak. The topic page and the API
show the info hash on the same condition, since a hash is all a client needs.

Guests have no passkey, so they never reach the tracker; their pages are covered by the
page matrix (tests/forum/test_permission_matrix.py).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bencodepy
import pytest
from litestar.testing import TestClient

from tests.forum.board import register_upload, sql
from tests.helpers import Member, add_member, csrf_token, login
from tests.roles import session_for
from tests.torrents.releases import api_token, bearer, release_forum
from tests.torrents.test_metainfo import build, content, encode
from tests.tracker.conftest import ChosenAddress
from tests.tracker.wire import ADDRESS_HEADER, announce_fields, info_hash, peer_id, query
from tinypier.accounts.sessions import SESSION_COOKIE
from tinypier.app import create_app
from tinypier.settings import Settings, load_settings
from tinypier.torrents.registration import ReleaseUpload

Client = TestClient[Any]

RANK = {"guest": 0, "user": 1, "moderator": 2, "admin": 3}
MEMBER_ROLES = ("user", "moderator", "admin")
VIEW_ROLES = ("guest", "user", "moderator", "admin")
DOWNLOAD_ROLES = ("user", "moderator", "admin")
# Checked and "needs editing" keep a release open; closed is one of the frozen verdicts.
STATUSES = ("checked", "needs_editing", "closed")
FROZEN = {"closed"}
SEEDER_ADDRESS = "10.9.9.9"
UNKNOWN_HASH = info_hash("a hash nobody registered")


@dataclass(frozen=True)
class Setting:
    view_role: str
    download_role: str
    status: str

    @property
    def label(self) -> str:
        return f"view:{self.view_role}-download:{self.download_role}-{self.status}"


SETTINGS = [
    Setting(view, download, status)
    for view in VIEW_ROLES
    for download in DOWNLOAD_ROLES
    for status in STATUSES
]


def may_view(role: str, setting: Setting) -> bool:
    return RANK[role] >= RANK[setting.view_role]


def may_download(role: str, setting: Setting) -> bool:
    """Spelled out here, not asked of the code under test: view, download role, open status."""
    return (
        may_view(role, setting)
        and RANK[role] >= RANK[setting.download_role]
        and setting.status not in FROZEN
    )


@dataclass(frozen=True)
class Release:
    torrent_id: int
    topic_id: int
    forum_id: int
    info_hash: bytes


@dataclass(frozen=True)
class Board:
    settings: Settings
    client: Client
    members: dict[str, Member]
    sessions: dict[str, str]
    tokens: dict[str, str]
    releases: dict[Setting, Release]


def unique_torrent(seed: int) -> bytes:
    return encode(build({"file.bin": content(4096, seed=seed)}, name=f"parity {seed}".encode()))


def register(settings: Settings, forum_id: int, uploader: Member, seed: int) -> Release:
    upload = ReleaseUpload(
        forum_id, uploader.id, f"Parity release {seed}", "A release.", unique_torrent(seed)
    )
    registered = register_upload(settings, upload)
    assert registered.info_hash_v1 is not None
    return Release(registered.torrent_id, registered.topic_id, forum_id, registered.info_hash_v1)


def tracker_reply(client: Client, path: str, address: str = "127.0.0.1") -> bytes:
    """The raw bytes the tracker answers: a hidden release must look like an unknown
    hash byte for byte, not merely carry the same failure reason."""
    response = client.get(path, headers={ADDRESS_HEADER.decode(): address})
    assert response.status_code == 200
    return response.content


def announce_reply(
    client: Client, passkey: str, torrent: bytes, peer: bytes, address: str = "127.0.0.1"
) -> bytes:
    """A leecher's compact announce (a seeder's when it comes from the seeder's address)."""
    left = 0 if address == SEEDER_ADDRESS else 1
    fields = announce_fields(torrent, peer, left=left, compact=1)
    return tracker_reply(client, f"/announce/{passkey}?{query(**fields)}", address)


def scrape_reply(client: Client, passkey: str, torrent: bytes) -> bytes:
    return tracker_reply(client, f"/scrape/{passkey}?{query(info_hash=torrent)}")


def become(client: Client, session: str) -> None:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, session)


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Board]:
    """One forum per (view, download) pair, one release per status in each, and an admin
    seeding every open release from ``SEEDER_ADDRESS``: the staff address a member who
    may not download must never receive."""
    settings = load_settings(tmp_path_factory.mktemp("parity") / "data", environ={})
    app = create_app(settings)
    members = {role: add_member(settings, role, role) for role in MEMBER_ROLES}
    uploader = add_member(settings, "uploader", "admin")
    releases: dict[Setting, Release] = {}
    forums: dict[tuple[str, str], int] = {}
    for seed, setting in enumerate(SETTINGS, start=1):
        pair = (setting.view_role, setting.download_role)
        if pair not in forums:
            name = f"Forum {setting.view_role} {setting.download_role}"
            forums[pair] = release_forum(settings, name, view_role=pair[0], download_role=pair[1])
        release = releases[setting] = register(settings, forums[pair], uploader, seed)
        sql(
            settings,
            "UPDATE torrents SET status = ? WHERE id = ?",
            (setting.status, release.torrent_id),
        )
    with TestClient(ChosenAddress(app), base_url="http://testserver.local") as client:
        client.follow_redirects = False
        for release in releases.values():
            seeder = peer_id(label="seeder")
            announce_reply(client, uploader.passkey, release.info_hash, seeder, SEEDER_ADDRESS)
        yield Board(
            settings,
            client,
            members,
            {role: session_for(settings, member) for role, member in members.items()},
            {role: api_token(settings, member) for role, member in members.items()},
            releases,
        )


CASES = [
    pytest.param(role, setting, id=f"{role}-{setting.label}")
    for role in MEMBER_ROLES
    for setting in SETTINGS
]


@pytest.mark.parametrize(("role", "setting"), CASES)
def test_the_tracker_answers_exactly_where_the_page_and_download_allow(
    board: Board, role: str, setting: Setting
) -> None:
    client, release, member = board.client, board.releases[setting], board.members[role]
    viewable, downloadable = may_view(role, setting), may_download(role, setting)
    become(client, board.sessions[role])

    page = client.get(f"/topics/{release.topic_id}")
    assert page.status_code == (200 if viewable else 404)
    assert (release.info_hash.hex() in page.text) == downloadable, "info hash on the page"

    download = client.get(f"/torrents/{release.torrent_id}/download")
    assert (download.status_code == 200) == downloadable
    assert download.status_code in ((200,) if downloadable else (403, 404))

    api = client.get(f"/api/torrents/{release.torrent_id}", headers=bearer(board.tokens[role]))
    assert api.status_code == (200 if viewable else 404)
    listed = client.get(
        "/api/torrents", params={"forum": release.forum_id}, headers=bearer(board.tokens[role])
    ).json()["releases"]
    assert [entry["id"] for entry in listed].count(release.torrent_id) == int(viewable)
    if viewable:
        assert (api.json()["info_hash"] is not None) == downloadable, "info hash in the API"
        shown = [entry["info_hash"] for entry in listed if entry["id"] == release.torrent_id]
        assert (shown != [None]) == downloadable, "info hash in the API's list"

    peer = peer_id(label=role)
    reply = announce_reply(client, member.passkey, release.info_hash, peer)
    answer = bencodepy.decode(reply)
    assert (b"failure reason" not in answer) == downloadable, answer
    seeder = socket.inet_aton(SEEDER_ADDRESS)
    assert (seeder in answer.get(b"peers", b"")) == downloadable
    role_may_download = may_view(role, setting) and RANK[role] >= RANK[setting.download_role]
    if not role_may_download:
        unknown = announce_reply(client, member.passkey, UNKNOWN_HASH, peer)
        assert reply == unknown, "a hidden release must answer as an unknown hash does"

    scraped = scrape_reply(client, member.passkey, release.info_hash)
    assert (release.info_hash in bencodepy.decode(scraped)[b"files"]) == downloadable
    if not downloadable:
        assert scraped == scrape_reply(client, member.passkey, UNKNOWN_HASH)


def test_the_matrix_reaches_every_outcome() -> None:
    """The cases above mean something only if every role meets releases it may take,
    releases it may only look at, and (below admin) releases hidden from it."""
    for role in MEMBER_ROLES:
        outcomes = {(may_view(role, s), may_download(role, s)) for s in SETTINGS}
        expected = {(True, True), (True, False)} | ({(False, False)} if role != "admin" else set())
        assert outcomes == expected


# -- the tracker's cache follows the forum: role changes and moves count at once ------------


@pytest.fixture
def small_board(tmp_path: Path) -> Iterator[tuple[Settings, Client]]:
    settings = load_settings(tmp_path / "data", environ={})
    app = create_app(settings)
    with TestClient(ChosenAddress(app), base_url="http://testserver.local") as client:
        yield settings, client


def refused_as_unknown(client: Client, member: Member, release: Release) -> bool:
    peer = peer_id(label="follow")
    reply = announce_reply(client, member.passkey, release.info_hash, peer)
    return reply == announce_reply(client, member.passkey, UNKNOWN_HASH, peer)


def test_raising_a_forums_roles_stops_its_announces_at_once(
    small_board: tuple[Settings, Client],
) -> None:
    settings, client = small_board
    forum = release_forum(settings, "Open forum")
    admin, member = add_member(settings, "boss", "admin"), add_member(settings, "member")
    release = register(settings, forum, admin, seed=1)
    assert not refused_as_unknown(client, member, release)

    login(client, admin.name)
    token = csrf_token(client.get(f"/admin/forums/{forum}/edit").text)
    category = sql(settings, "SELECT category_id FROM forums WHERE id = ?", (forum,))[0][0]
    saved = client.post(
        f"/admin/forums/{forum}/edit",
        data={"_csrf_token": token, "category_id": category, "name": "Now staff only",
              "view_role": "guest", "topic_role": "user", "reply_role": "user",
              "download_role": "moderator", "allows_releases": "on"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303, saved.text

    assert refused_as_unknown(client, member, release)


def test_moving_a_release_into_a_staff_forum_stops_its_announces_at_once(
    small_board: tuple[Settings, Client],
) -> None:
    settings, client = small_board
    public = release_forum(settings, "Open forum")
    staff = release_forum(settings, "Staff forum", view_role="moderator")
    moderator, member = add_member(settings, "mod", "moderator"), add_member(settings, "member")
    release = register(settings, public, moderator, seed=2)
    assert not refused_as_unknown(client, member, release)

    login(client, moderator.name)
    token = csrf_token(client.get(f"/topics/{release.topic_id}").text)
    moved = client.post(
        f"/topics/{release.topic_id}/move",
        data={"_csrf_token": token, "forum_id": str(staff)},
        follow_redirects=False,
    )
    assert moved.status_code == 303, moved.text

    assert refused_as_unknown(client, member, release)
