"""The JSON API for uploaders' scripts: bearer tokens, JSON answers, JSON errors."""

from __future__ import annotations

import pytest

from tests.forum.board import sql
from tests.helpers import Member, add_member
from tests.torrents.releases import (
    Client,
    api_token,
    bearer,
    post_release_api,
    release_forum,
    row_counts,
    shared_torrent,
)
from tinypier.settings import Settings

HYBRID = "hybrid-libtorrent-multi.torrent"


@pytest.fixture
def scripted(client: Client, settings: Settings) -> tuple[Member, str, int]:
    member = add_member(settings, "script")
    return member, api_token(settings, member), release_forum(settings)


def test_posting_answers_201_with_where_the_release_lives(
    client: Client, settings: Settings, scripted: tuple[Member, str, int]
) -> None:
    _, token, forum = scripted

    response = post_release_api(client, token, forum, shared_torrent(HYBRID), title="Album")

    assert response.status_code == 201
    body = response.json()
    torrent_id, topic_id = sql(settings, "SELECT id, topic_id FROM torrents")[0]
    assert body == {
        "topic_id": topic_id,
        "torrent_id": torrent_id,
        "info_hash": "fb2b937dfe9d88492da68549ca12e6ed608d3340",
        "info_hash_v2": "28f2880dcd5e2376b950f13406d3293d08daf28e52af0d870408bac03c50a23a",
        "made_private": False,
        "topic_url": f"{settings.base_url}/topics/{topic_id}",
        "download_url": f"{settings.base_url}/api/torrents/{torrent_id}/download",
    }


def test_one_release_has_its_size_files_and_swarm(
    client: Client, settings: Settings, scripted: tuple[Member, str, int]
) -> None:
    _, token, forum = scripted
    torrent_id = post_release_api(client, token, forum, shared_torrent(HYBRID)).json()["torrent_id"]
    sql(settings, "UPDATE torrents SET seeders = 4, leechers = 2, completed = 9")

    body = client.get(f"/api/torrents/{torrent_id}").json()

    assert (body["size"], body["file_count"]) == (2_400_057, 4)
    assert (body["seeders"], body["leechers"], body["completed"]) == (4, 2, 9)
    assert body["files"][0] == {"path": "info.txt", "size": 6}
    assert sum(file["size"] for file in body["files"]) == 2_400_057


@pytest.mark.parametrize("web_seeds", [True, False])
def test_a_release_says_whether_members_copies_keep_its_web_seeds(
    client: Client, settings: Settings, scripted: tuple[Member, str, int], web_seeds: bool
) -> None:
    """The field is named as the upload takes it, in the listing and the release alike."""
    _, token, forum = scripted
    posted = post_release_api(client, token, forum, shared_torrent(HYBRID), web_seeds=web_seeds)
    torrent_id = posted.json()["torrent_id"]

    assert client.get(f"/api/torrents/{torrent_id}").json()["web_seeds"] is web_seeds
    [listed] = client.get("/api/torrents").json()["releases"]
    assert listed["web_seeds"] is web_seeds


def test_me_tells_a_member_their_figures_and_passkey(
    client: Client, settings: Settings, scripted: tuple[Member, str, int]
) -> None:
    member, token, _ = scripted
    sql(settings, "UPDATE users SET uploaded = 3000, downloaded = 2000 WHERE id = ?", (member.id,))

    body = client.get("/api/me", headers=bearer(token)).json()

    assert (body["uploaded"], body["downloaded"], body["ratio"]) == (3000, 2000, 1.5)
    assert body["passkey"] == member.passkey
    assert body["announce_url"] == settings.announce_base + member.passkey


def test_a_member_who_never_downloaded_has_no_ratio(
    client: Client, scripted: tuple[Member, str, int]
) -> None:
    _, token, _ = scripted

    assert client.get("/api/me", headers=bearer(token)).json()["ratio"] is None


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}]
)
def test_without_a_valid_token_me_and_posting_answer_401_json(
    client: Client, settings: Settings, scripted: tuple[Member, str, int], headers: dict[str, str]
) -> None:
    _, _, forum = scripted

    me = client.get("/api/me", headers=headers)
    posted = client.post(
        "/api/torrents",
        data={"title": "t", "description": "d", "forum_id": str(forum)},
        files={"torrent": ("a.torrent", shared_torrent(HYBRID))},
        headers=headers,
    )

    assert me.status_code == posted.status_code == 401
    assert me.json()["error"] and posted.json()["error"]
    assert row_counts(settings)["torrents"] == 0


def test_a_disabled_members_token_stops_working(
    client: Client, settings: Settings, scripted: tuple[Member, str, int]
) -> None:
    member, token, _ = scripted
    sql(settings, "UPDATE users SET disabled = 1 WHERE id = ?", (member.id,))

    assert client.get("/api/me", headers=bearer(token)).status_code == 401


def test_a_refused_torrent_is_a_400_with_the_reason(
    client: Client, settings: Settings, scripted: tuple[Member, str, int]
) -> None:
    _, token, forum = scripted

    response = post_release_api(client, token, forum, b"d4:infoi1ee")

    assert response.status_code == 400
    assert response.json()["error"] == "The .torrent's 'info' is not a dictionary."


def test_a_duplicate_is_a_409_naming_the_existing_release(
    client: Client, settings: Settings, scripted: tuple[Member, str, int]
) -> None:
    _, token, forum = scripted
    first = post_release_api(client, token, forum, shared_torrent(HYBRID)).json()

    again = post_release_api(client, token, forum, shared_torrent(HYBRID))

    assert again.status_code == 409
    assert first["topic_url"] in again.json()["error"]


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"title": "t", "description": "d", "forum_id": "999"}, 404),
        ({"title": "t", "description": "d", "forum_id": "x"}, 400),
        ({"title": "t", "description": "d"}, 400),
    ],
)
def test_a_bad_forum_is_refused_as_json(
    client: Client,
    settings: Settings,
    scripted: tuple[Member, str, int],
    form: dict[str, str],
    status: int,
) -> None:
    _, token, _ = scripted

    response = client.post(
        "/api/torrents",
        data=form,
        files={"torrent": ("a.torrent", shared_torrent(HYBRID))},
        headers=bearer(token),
    )

    assert response.status_code == status
    assert response.json()["error"]


def test_a_forum_the_member_may_not_post_in_is_refused(client: Client, settings: Settings) -> None:
    member = add_member(settings, "member")
    staff_only = release_forum(settings, "Staff uploads")
    sql(settings, "UPDATE forums SET topic_role = 'moderator' WHERE id = ?", (staff_only,))

    response = post_release_api(
        client, api_token(settings, member), staff_only, shared_torrent(HYBRID)
    )

    assert response.status_code == 403
    assert row_counts(settings)["topics"] == 0


def test_the_openapi_schema_describes_the_release_api(client: Client) -> None:
    schema = client.get("/api/schema/openapi.json")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/torrents", "/api/torrents/{torrent_id}", "/api/me"} <= set(paths)
    assert "post" in paths["/api/torrents"] and "get" in paths["/api/torrents"]
    release = schema.json()["components"]["schemas"]["ApiRelease"]
    assert release["properties"]["web_seeds"]["type"] == "boolean"
