"""The ratio rules on the web: below the minimum (past the grace amount) the .torrent is
refused on the page and the API with the member's ratio, the board's minimum and what to
do; the member is warned on their profile before it comes to that."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.forum.board import sql
from tests.helpers import Member, add_member, login
from tests.torrents.releases import (
    Client,
    api_token,
    bearer,
    post_release_api,
    release_forum,
    shared_torrent,
)
from tests.tracker.test_live_settings import save_as_admin
from tinypier.permissions.ratio import leech_slots, shown_ratio
from tinypier.settings import Settings, SettingsError, load_settings, parse_setting

GIB = 1024**3
REFUSAL = (
    "Your ratio is 0.25; this board asks for at least 0.50 to download once you have"
    " downloaded 1.0 GiB. Seed the releases you have (seeding is always allowed) and"
    " download again when your ratio reaches the minimum."
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        tmp_path / "data",
        environ={},
        min_download_ratio="0.5",
        ratio_grace_bytes=str(GIB),
        ratio_warning="0.8",
    )


def a_release(client: Client, settings: Settings) -> int:
    uploader = add_member(settings, "uploader")
    created = post_release_api(
        client,
        api_token(settings, uploader),
        release_forum(settings),
        shared_torrent("v1-libtorrent-single.torrent"),
    ).json()
    torrent_id: int = created["torrent_id"]
    return torrent_id


def member_with(settings: Settings, name: str, uploaded: int, downloaded: int) -> Member:
    member = add_member(settings, name)
    sql(
        settings,
        "UPDATE users SET uploaded = ?, downloaded = ? WHERE id = ?",
        (uploaded, downloaded, member.id),
    )
    return member


def test_below_the_minimum_the_page_and_the_api_refuse_the_torrent_saying_why(
    client: Client, settings: Settings
) -> None:
    torrent_id = a_release(client, settings)
    member = member_with(settings, "taker", uploaded=GIB // 2, downloaded=2 * GIB)
    login(client, member.name)

    page = client.get(f"/torrents/{torrent_id}/download")
    api = client.get(
        f"/api/torrents/{torrent_id}/download", headers=bearer(api_token(settings, member))
    )

    assert page.status_code == 403
    assert REFUSAL in page.text
    assert member.passkey not in page.text
    assert api.status_code == 403
    assert api.json()["error"] == REFUSAL


def test_within_the_grace_amount_and_at_the_minimum_the_torrent_is_given(
    client: Client, settings: Settings
) -> None:
    torrent_id = a_release(client, settings)
    newcomer = member_with(settings, "newcomer", uploaded=0, downloaded=GIB - 1)
    keeper = member_with(settings, "keeper", uploaded=GIB, downloaded=2 * GIB)

    for member in (newcomer, keeper):
        response = client.get(
            f"/api/torrents/{torrent_id}/download", headers=bearer(api_token(settings, member))
        )
        assert response.status_code == 200
        assert member.passkey.encode() in response.content


def test_a_minimum_saved_on_the_web_applies_to_the_next_download(
    client: Client, settings: Settings
) -> None:
    torrent_id = a_release(client, settings)
    member = member_with(settings, "taker", uploaded=GIB, downloaded=2 * GIB)
    token = api_token(settings, member)
    assert client.get(f"/api/torrents/{torrent_id}/download", headers=bearer(token)).is_success

    save_as_admin(client, add_member(settings, "root", role="admin"), "min_download_ratio", "0.6")

    refused = client.get(f"/api/torrents/{torrent_id}/download", headers=bearer(token))
    assert refused.status_code == 403
    assert "at least 0.60" in refused.json()["error"]


def test_a_member_below_the_warning_threshold_is_warned_on_their_own_profile_only(
    client: Client, settings: Settings
) -> None:
    member = member_with(settings, "low", uploaded=GIB + GIB // 2, downloaded=2 * GIB)
    login(client, member.name)

    own = client.get(f"/members/{member.id}").text
    assert (
        "Your ratio is 0.75. Below 0.50 you can no longer download releases or start new"
        " downloads: seed the releases you have to raise it."
    ) in own
    login(client, add_member(settings, "other").name)
    assert "Your ratio is" not in client.get(f"/members/{member.id}").text


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("", ""), (" 0.5:1 , 1.0:3 ", "0.5:1, 1:3"), ("2:10", "2:10")],
)
def test_leech_slot_bands_read_as_written(text: str, canonical: str) -> None:
    assert parse_setting("leech_slots_below_ratio", text) == canonical


@pytest.mark.parametrize("text", ["0.5", "a:1", "0.5:0", "1:3,0.5:1", "0.5:3,1:2", "inf:2"])
def test_leech_slot_bands_refuse_what_an_admin_could_misread(text: str) -> None:
    with pytest.raises(SettingsError, match="leech_slots_below_ratio: expected bands"):
        parse_setting("leech_slots_below_ratio", text)


@pytest.mark.parametrize("text", ["-1", "nan", "inf", "half", "true"])
def test_a_ratio_setting_must_be_a_number_zero_or_more(text: str) -> None:
    with pytest.raises(SettingsError, match="min_download_ratio: expected a ratio"):
        parse_setting("min_download_ratio", text)


def test_the_band_a_ratio_falls_in_gives_its_slots(tmp_path: Path) -> None:
    settings = load_settings(
        tmp_path, environ={}, ratio_grace_bytes="0", leech_slots_below_ratio="0.5:1, 1.0:3"
    )
    assert leech_slots(settings, uploaded=1, downloaded=4) == 1
    assert leech_slots(settings, uploaded=1, downloaded=2) == 3
    assert leech_slots(settings, uploaded=1, downloaded=1) is None
    assert leech_slots(settings, uploaded=5, downloaded=0) is None, "nothing downloaded"


def test_a_shown_ratio_is_rounded_down_never_up() -> None:
    assert shown_ratio(0.499) == 0.49
    assert shown_ratio(0.29) == 0.29
