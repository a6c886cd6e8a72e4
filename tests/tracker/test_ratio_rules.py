"""The ratio rules at the tracker: below the minimum (past the grace amount) a member may
not start leeching, nor leech more releases at once than their ratio band allows; seeding,
``stopped`` and a download already under way always go on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.helpers import Member, add_member
from tests.torrents.releases import (
    api_token,
    bearer,
    post_release_api,
    release_forum,
    shared_torrent,
)
from tests.tracker.conftest import UNCAPPED_RATES
from tests.tracker.test_live_settings import save_as_admin
from tests.tracker.test_refusals import reason
from tests.tracker.wire import announce, execute, peer_id, register_torrent
from tinypier.settings import Settings, load_settings
from tinypier.tracker.engine import Tracker

GIB = 1024**3
RATIO_RULES: dict[str, Any] = {
    "min_download_ratio": "0.5",
    "ratio_grace_bytes": str(GIB),
    "leech_slots_below_ratio": "1.0:2",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data", environ={}, **UNCAPPED_RATES, **RATIO_RULES)


def give_figures(settings: Settings, member: Member, uploaded: int, downloaded: int) -> None:
    """The member's totals as the credit log's folds would have left them."""
    execute(
        settings,
        "UPDATE users SET uploaded = ?, downloaded = ? WHERE id = ?",
        uploaded,
        downloaded,
        member.id,
    )


def is_peer_list(reply: Any) -> bool:
    return b"failure reason" not in reply and b"interval" in reply


def test_below_the_minimum_starting_to_leech_is_refused_with_the_ratio_and_what_to_do(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "wanted").key
    give_figures(settings, bob, uploaded=GIB // 4, downloaded=GIB)

    refusal = reason(announce(tracker_client, bob.passkey, torrent, peer_id(), left=1000))

    assert refusal == (
        b"your ratio is 0.25 and this tracker asks for at least 0.50 to start downloading:"
        b" seed what you have (seeding is always allowed) to raise it"
    )


def test_below_the_minimum_seeding_and_stopping_still_work(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "seeded").key
    give_figures(settings, bob, uploaded=0, downloaded=2 * GIB)

    seeding = announce(tracker_client, bob.passkey, torrent, peer_id(), left=0, event="started")
    stopping = announce(tracker_client, bob.passkey, torrent, peer_id(), left=0, event="stopped")

    assert is_peer_list(seeding)
    assert is_peer_list(stopping)


def test_within_the_grace_amount_a_member_with_no_upload_may_leech(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "newcomer").key
    give_figures(settings, bob, uploaded=0, downloaded=GIB - 1)

    assert is_peer_list(announce(tracker_client, bob.passkey, torrent, peer_id(), left=1000))


def test_a_download_under_way_goes_on_when_the_ratio_drops_but_a_new_one_is_refused(
    settings: Settings,
    tracker_client: TestClient[Any],
    tracker: Tracker,
    alice: Member,
    bob: Member,
) -> None:
    started = register_torrent(settings, alice.id, "started").key
    other = register_torrent(settings, alice.id, "other").key
    assert is_peer_list(announce(tracker_client, bob.passkey, started, peer_id(), left=1000))

    give_figures(settings, bob, uploaded=0, downloaded=2 * GIB)
    tracker.forget_member(bob.id)

    assert is_peer_list(announce(tracker_client, bob.passkey, started, peer_id(), left=500))
    assert b"your ratio is 0.00" in reason(
        announce(tracker_client, bob.passkey, other, peer_id(), left=1000)
    )


def test_leech_slots_by_ratio_band_limit_releases_leeched_at_once(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    first, second, third = (register_torrent(settings, alice.id, f"r{n}").key for n in range(3))
    give_figures(settings, bob, uploaded=3 * GIB // 4, downloaded=GIB)
    for torrent in (first, second):
        assert is_peer_list(announce(tracker_client, bob.passkey, torrent, peer_id(), left=9))
    second_client = peer_id(label="2")
    assert is_peer_list(announce(tracker_client, bob.passkey, first, second_client, left=9)), (
        "a second client on a release already leeched takes no new slot"
    )

    refusal = reason(announce(tracker_client, bob.passkey, third, peer_id(), left=9))
    assert refusal == (
        b"with your ratio 0.75 you may download 2 torrents at once: finish or stop one first,"
        b" and seed to raise your ratio for more"
    )

    assert is_peer_list(announce(tracker_client, bob.passkey, second, peer_id(), left=0))
    assert is_peer_list(announce(tracker_client, bob.passkey, third, peer_id(), left=9)), (
        "a finished download frees its slot"
    )


def test_a_member_above_every_band_leeches_without_a_limit(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    give_figures(settings, bob, uploaded=GIB, downloaded=GIB)
    for n in range(4):
        torrent = register_torrent(settings, alice.id, f"many{n}").key
        assert is_peer_list(announce(tracker_client, bob.passkey, torrent, peer_id(), left=9))


def test_a_minimum_saved_on_the_web_refuses_the_next_new_leech_without_a_restart(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    first, second = (register_torrent(settings, alice.id, f"live{n}").key for n in range(2))
    give_figures(settings, bob, uploaded=3 * GIB // 5, downloaded=GIB)
    assert is_peer_list(announce(tracker_client, bob.passkey, first, peer_id(), left=9))

    save_as_admin(
        tracker_client, add_member(settings, "root", role="admin"), "min_download_ratio", "0.7"
    )

    assert b"at least 0.70" in reason(
        announce(tracker_client, bob.passkey, second, peer_id(), left=9)
    )


@pytest.mark.parametrize(
    ("uploaded", "downloaded", "allowed"),
    [
        (0, GIB - 1, True),
        (GIB // 2, GIB, True),
        (GIB // 2 - 1, GIB, False),
        (0, 4 * GIB, False),
    ],
)
def test_the_web_and_the_tracker_give_the_same_answer_for_the_same_figures(
    settings: Settings,
    tracker_client: TestClient[Any],
    alice: Member,
    bob: Member,
    uploaded: int,
    downloaded: int,
    allowed: bool,
) -> None:
    created = post_release_api(
        tracker_client,
        api_token(settings, alice),
        release_forum(settings),
        shared_torrent("v1-libtorrent-single.torrent"),
    ).json()
    give_figures(settings, bob, uploaded, downloaded)

    download = tracker_client.get(
        f"/api/torrents/{created['torrent_id']}/download", headers=bearer(api_token(settings, bob))
    )
    reply = announce(
        tracker_client, bob.passkey, bytes.fromhex(created["info_hash"]), peer_id(), left=9
    )

    assert download.is_success is allowed
    assert is_peer_list(reply) is allowed
