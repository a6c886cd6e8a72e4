"""A hit-and-run's whole life on a running board, on a frozen clock: a member completes a
release through the tracker, seeds too little, the sweep records it; at ``hnr_max`` the
.torrent is refused on the page and the API and the tracker refuses a new download (while
seeding goes on); seeding the owed hours clears it and lifts the block. The seeding time
is what the tracker credited from announces spaced on its clock, never a claim."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.helpers import Member, add_member, login
from tests.hit_and_run.obligations import DAY, HOUR, hit_and_runs, start_of_rules
from tests.torrents.releases import (
    api_token,
    bearer,
    post_release_api,
    release_forum,
    shared_torrent,
)
from tests.tracker.conftest import UNCAPPED_RATES, ChosenAddress
from tests.tracker.test_refusals import reason
from tests.tracker.wire import announce, fetch, peer_id, register_torrent
from tinypier.app import create_app
from tinypier.hit_and_run.sweep import sweep
from tinypier.settings import Settings, load_settings
from tinypier.tracker.engine import Tracker

INTERVAL = 1800
REFUSED_ANNOUNCE = (
    b"active hit-and-runs: 1, and from 1 on you may not start downloading: seed the releases"
    b" you completed for the hours you owe (seeding is always allowed)"
)
REFUSED_DOWNLOAD = (
    "You have 1 active hit-and-run and this board refuses downloads from 1 on. Seed the"
    " releases listed on your torrents page for the hours you owe (seeding is always"
    " allowed): each one seeded off lifts the count."
)


class FrozenClock:
    """Unix seconds that move only when the test says."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        tmp_path / "data",
        environ={},
        **UNCAPPED_RATES,
        announce_interval=str(INTERVAL),
        hnr_seed_hours="2",
        hnr_window_days="1",
        hnr_max="1",
    )


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Any]]:
    with TestClient(ChosenAddress(app), base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture
def clock(app: Litestar, client: TestClient[Any]) -> FrozenClock:
    tracker: Tracker = app.state.tracker
    frozen = FrozenClock(start_of_rules())
    tracker.clock = frozen
    return frozen


class Swarm:
    """One member's client in one release's swarm, announcing on the frozen clock."""

    def __init__(self, client: TestClient[Any], clock: FrozenClock, member: Member) -> None:
        self.client, self.clock, self.member = client, clock, member

    def announce(self, torrent: bytes, left: int, **fields: Any) -> Any:
        return announce(self.client, self.member.passkey, torrent, peer_id(), left=left, **fields)

    def seed(self, torrent: bytes, seconds: int) -> None:
        """Seed for ``seconds``: a start, then an announce every interval."""
        assert b"failure reason" not in self.announce(torrent, 0, event="started")
        for _ in range(seconds // INTERVAL):
            self.clock.now += INTERVAL
            assert b"failure reason" not in self.announce(torrent, 0)
        self.announce(torrent, 0, event="stopped")


def run_sweep(app: Litestar, client: TestClient[Any], now: float) -> int:
    """The sweep as the jobs framework runs it: the app's database and settings, the
    tracker told of each member whose count changed."""
    state = app.state
    recorded: int = client.blocking_portal.call(
        sweep, state.db, int(now), state.settings, state.changes.user_changed
    )
    return recorded


def test_too_little_seeding_is_recorded_blocks_at_the_limit_and_seeding_it_off_lifts_it(
    settings: Settings, app: Litestar, client: TestClient[Any], clock: FrozenClock
) -> None:
    uploader, bob = add_member(settings, "uploader"), add_member(settings, "bob")
    forum = release_forum(settings)
    created = post_release_api(
        client, api_token(settings, uploader), forum, shared_torrent("v1-libtorrent-single.torrent")
    ).json()
    torrent_id = created["torrent_id"]
    [(wanted, size)] = fetch(
        settings, "SELECT info_hash, total_size FROM torrents WHERE id = ?", torrent_id
    )
    other = register_torrent(settings, uploader.id, "the next one").key
    swarm = Swarm(client, clock, bob)

    swarm.announce(wanted, size, event="started")
    completed_at = clock.now
    swarm.announce(wanted, 0, event="completed")
    swarm.seed(wanted, HOUR)
    fetch(settings, "SELECT 1")  # the credit log folded, as the writer does every half second
    assert run_sweep(app, client, completed_at + DAY - 1) == 0, "a day to seed in"
    assert run_sweep(app, client, completed_at + DAY) == 1
    assert hit_and_runs(settings) == [(bob.id, torrent_id, 0)]

    clock.now = completed_at + DAY + HOUR
    assert reason(swarm.announce(other, 1000, event="started")) == REFUSED_ANNOUNCE
    login(client, bob.name)
    page = client.get(f"/torrents/{torrent_id}/download")
    api = client.get(
        f"/api/torrents/{torrent_id}/download", headers=bearer(api_token(settings, bob))
    )
    assert (page.status_code, api.status_code) == (403, 403)
    assert REFUSED_DOWNLOAD in page.text
    assert api.json()["error"] == REFUSED_DOWNLOAD

    swarm.seed(wanted, HOUR)  # seeding is always allowed: the hour still owed
    fetch(settings, "SELECT 1")
    assert run_sweep(app, client, clock.now) == 1
    assert hit_and_runs(settings) == [(bob.id, torrent_id, 1)]
    assert b"failure reason" not in swarm.announce(other, 1000, event="started")
    assert client.get(f"/torrents/{torrent_id}/download").status_code == 200


def test_the_tracker_refuses_new_leeching_from_the_limit_on_not_below_it(
    tmp_path: Path,
) -> None:
    settings = load_settings(
        tmp_path / "data", environ={}, **UNCAPPED_RATES, hnr_seed_hours="2", hnr_max="2"
    )
    app = create_app(settings)
    with TestClient(ChosenAddress(app), base_url="http://t.local") as client:
        uploader, bob = add_member(settings, "uploader"), add_member(settings, "bob")
        other = register_torrent(settings, uploader.id, "other").key

        def record_one(label: str) -> None:
            owed = register_torrent(settings, uploader.id, label)
            fetch(
                settings,
                "INSERT INTO hit_and_runs (user_id, torrent_id, completed_at, recorded_at)"
                " VALUES (?, ?, 0, 0)",
                bob.id,
                owed.id,
            )
            app.state.changes.user_changed(bob.id)

        def start(label: str) -> Any:
            return announce(client, bob.passkey, other, peer_id(label=label), left=1000)

        record_one("first owed")
        assert b"failure reason" not in start("a"), "one active hit-and-run, the limit is two"
        announce(client, bob.passkey, other, peer_id(label="a"), left=1000, event="stopped")
        record_one("second owed")
        assert reason(start("b")).startswith(b"active hit-and-runs: 2, and from 2 on")
