"""Thanks for a release: one per member, never by its uploader, listed on the release,
counted in the listing and the API."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from litestar.testing import TestClient

from tests.forum.board import sql
from tests.forum.conftest import submit
from tests.helpers import Member, add_member, login
from tests.torrents.releases import (
    Client,
    api_token,
    bearer,
    post_release_api,
    release_forum,
    shared_torrent,
)
from tinypier.app import create_app
from tinypier.settings import Settings, load_settings


@dataclass(frozen=True)
class Release:
    torrent_id: int
    topic_id: int
    uploader: Member
    uploader_token: str


def publish(client: Client, settings: Settings, view_role: str = "guest") -> Release:
    """A release by a member who may post where ``view_role`` lets them in."""
    uploader = add_member(settings, "uploader", "user" if view_role == "guest" else view_role)
    token = api_token(settings, uploader)
    forum = release_forum(settings, view_role=view_role)
    created = post_release_api(client, token, forum, shared_torrent("v1-mktorrent-single.torrent"))
    assert created.status_code == 201, created.text
    return Release(created.json()["torrent_id"], created.json()["topic_id"], uploader, token)


@pytest.fixture
def release(client: Client, settings: Settings) -> Release:
    return publish(client, settings)


def thanks_rows(settings: Settings) -> list[tuple[int, int]]:
    return [tuple(row) for row in sql(settings, "SELECT torrent_id, user_id FROM thanks")]


def thank_by_api(client: Client, settings: Settings, release: Release, name: str) -> int:
    token = api_token(settings, add_member(settings, name))
    url = f"/api/torrents/{release.torrent_id}/thanks"
    return client.post(url, headers=bearer(token)).status_code


def test_the_api_answers_201_for_a_first_thanks_and_200_for_a_repeat(
    client: Client, settings: Settings, release: Release
) -> None:
    member = add_member(settings, "grateful")
    headers = bearer(api_token(settings, member))
    url = f"/api/torrents/{release.torrent_id}/thanks"

    first = client.post(url, headers=headers)
    again = client.post(url, headers=headers)

    assert (first.status_code, first.json()) == (201, {"thanks": 1, "thanked": True})
    assert (again.status_code, again.json()) == (200, {"thanks": 1, "thanked": True})
    assert thanks_rows(settings) == [(release.torrent_id, member.id)]
    assert client.get(f"/api/torrents/{release.torrent_id}").json()["thanks"] == 1


def test_the_uploader_cannot_thank_their_own_release(
    client: Client, settings: Settings, release: Release
) -> None:
    response = client.post(
        f"/api/torrents/{release.torrent_id}/thanks", headers=bearer(release.uploader_token)
    )

    assert response.status_code == 403
    assert "own release" in response.json()["error"]
    assert thanks_rows(settings) == []


def test_a_guest_and_a_disabled_member_cannot_thank(
    client: Client, settings: Settings, release: Release
) -> None:
    disabled = add_member(settings, "disabled")
    token = api_token(settings, disabled)
    sql(settings, "UPDATE users SET disabled = 1 WHERE id = ?", (disabled.id,))
    url = f"/api/torrents/{release.torrent_id}/thanks"

    assert client.post(url).status_code == 401
    assert client.post(url, headers=bearer(token)).status_code == 401
    assert thanks_rows(settings) == []


def test_a_release_the_member_may_not_view_does_not_exist_for_thanks(
    client: Client, settings: Settings
) -> None:
    hidden = publish(client, settings, view_role="moderator")

    assert thank_by_api(client, settings, hidden, "outsider") == 404
    assert thanks_rows(settings) == []


def test_the_release_lists_who_thanked_newest_first_and_the_listing_counts_them(
    client: Client, settings: Settings, release: Release
) -> None:
    for name in ("first", "second", "third"):
        assert thank_by_api(client, settings, release, name) == 201
    sql(settings, "UPDATE thanks SET created_at = created_at + user_id")

    page = client.get(f"/topics/{release.topic_id}").text
    listing = client.get("/tracker").text

    assert "Thanked by 3 members" in page
    assert page.index(">third<") < page.index(">second<") < page.index(">first<")
    assert '<td class="num optional thanks">3</td>' in listing
    assert client.get("/api/torrents").json()["releases"][0]["thanks"] == 3


def test_the_list_of_thankers_is_bounded_and_says_how_many_more(
    client: Client, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = load_settings(
        tmp_path_factory.mktemp("bounded") / "data", environ={"TINYPIER_THANKS_SHOWN_MAX": "2"}
    )
    with TestClient(create_app(settings), base_url="http://testserver.local") as bounded:
        release = publish(bounded, settings)
        for name in ("first", "second", "third"):
            assert thank_by_api(bounded, settings, release, name) == 201

        page = bounded.get(f"/topics/{release.topic_id}").text

    assert "Thanked by 3 members" in page
    assert "and 1 more" in page
    assert ">first<" not in page


def test_a_member_thanks_with_the_form_button_once(
    client: Client, settings: Settings, release: Release
) -> None:
    member = add_member(settings, "reader")
    login(client, member.name)
    topic = f"/topics/{release.topic_id}"
    action = f"/torrents/{release.torrent_id}/thanks"
    assert f'action="{action}"' in client.get(topic).text

    thanked = submit(client, topic, action, {})
    page = client.get(topic).text

    assert thanked.status_code == 303
    assert "Thanked by 1 member" in page
    assert f'action="{action}"' not in page, "the button is gone once thanked"
    assert client.post(action, data={}).status_code == 403, "no thanks without the CSRF token"
    assert thanks_rows(settings) == [(release.torrent_id, member.id)]


def test_the_uploader_is_offered_no_button(
    client: Client, settings: Settings, release: Release
) -> None:
    login(client, release.uploader.name)

    page = client.get(f"/topics/{release.topic_id}").text

    assert "Nobody has thanked the uploader yet." in page
    assert f"/torrents/{release.torrent_id}/thanks" not in page


@pytest.mark.parametrize(
    ("thankers", "russian"),
    [(1, "Поблагодарил 1 участник"), (3, "Поблагодарили 3 участника")],
)
def test_the_count_of_thanks_speaks_russian_with_its_plural_form(
    client: Client, settings: Settings, release: Release, thankers: int, russian: str
) -> None:
    for number in range(thankers):
        assert thank_by_api(client, settings, release, f"member{number}") == 201

    page = client.get(f"/topics/{release.topic_id}", headers={"Accept-Language": "ru"}).text

    assert russian in page
