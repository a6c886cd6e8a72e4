"""At ``hnr_max`` active hit-and-runs every way to a .torrent refuses it with the count,
the limit and what to do: the page, the API and the autodownload feed's link. Cleared
ones do not count, and turning the rules off lifts the block at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import sql
from tests.helpers import Member, add_member, login
from tests.torrents.releases import (
    api_token,
    bearer,
    post_release_api,
    release_forum,
    shared_torrent,
)
from tests.tracker.test_live_settings import save_as_admin
from tests.tracker.wire import register_torrent
from tinypier.settings import Settings, load_settings

Client = TestClient[Litestar]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data", environ={}, hnr_seed_hours="24", hnr_max="2")


def owe(settings: Settings, member: Member, uploader: Member, cleared: bool = False) -> None:
    torrent_id = register_torrent(
        settings, uploader.id, f"owed by {member.name} to {uploader.name}, cleared {cleared}"
    ).id
    sql(
        settings,
        "INSERT OR IGNORE INTO hit_and_runs (user_id, torrent_id, completed_at, recorded_at,"
        " cleared_at) VALUES (?, ?, 0, 0, ?)",
        (member.id, torrent_id, 1 if cleared else None),
    )


def statuses(client: Client, settings: Settings, member: Member, torrent_id: int) -> list[int]:
    """The page's, the API's and the feed link's answers to the member's download."""
    login(client, member.name)
    token = sql(settings, "SELECT feed_token FROM users WHERE id = ?", (member.id,))[0][0]
    return [
        client.get(f"/torrents/{torrent_id}/download").status_code,
        client.get(
            f"/api/torrents/{torrent_id}/download", headers=bearer(api_token(settings, member))
        ).status_code,
        client.get(
            f"/feeds/torrents/{torrent_id}/download.torrent", params={"token": token}
        ).status_code,
    ]


def test_every_way_to_the_torrent_refuses_at_the_limit_not_below(
    client: Client, settings: Settings
) -> None:
    uploader = add_member(settings, "uploader")
    torrent_id = post_release_api(
        client,
        api_token(settings, uploader),
        release_forum(settings),
        shared_torrent("v1-libtorrent-single.torrent"),
    ).json()["torrent_id"]
    member = add_member(settings, "owing")
    owe(settings, member, uploader)
    owe(settings, member, uploader, cleared=True)
    assert statuses(client, settings, member, torrent_id) == [200, 200, 200]

    owe(settings, member, add_member(settings, "another uploader"))
    assert statuses(client, settings, member, torrent_id) == [403, 403, 403]
    feed = client.get(
        f"/feeds/torrents/{torrent_id}/download.torrent",
        params={"token": sql(settings, "SELECT feed_token FROM users WHERE id = ?",
                             (member.id,))[0][0]},
    )  # fmt: skip
    assert "You have 2 active hit-and-runs and this board refuses downloads from 2 on" in feed.text

    save_as_admin(client, add_member(settings, "root", role="admin"), "hnr_seed_hours", "0")
    assert statuses(client, settings, member, torrent_id) == [200, 200, 200]
