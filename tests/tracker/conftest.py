"""A board with a tracker, a few members and registered torrents, driven on raw bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.enums import ScopeType
from litestar.testing import TestClient
from litestar.types import Receive, Scope, Send

from tests.helpers import Member, add_member
from tests.tracker.wire import ADDRESS_HEADER, announce, peer_id
from tinypier.app import create_app
from tinypier.settings import Settings, load_settings
from tinypier.tracker.engine import Tracker

UNCAPPED_RATES: dict[str, Any] = {"max_upload_rate": 2**53, "max_download_rate": 2**53}
"""Rate caps no test client reaches: announces milliseconds apart are credited in full.
The tests of this directory are about deltas, swarms and refusals; the caps themselves
are held by ``test_credit_rules.py``, on boards with the default rates."""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data", environ={}, **UNCAPPED_RATES)


class ChosenAddress:
    """The test client always connects from "testclient"; this lets a request say which
    address the connection comes from (as a socket would), via a test-only header."""

    def __init__(self, app: Litestar) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            chosen = dict(scope["headers"]).get(ADDRESS_HEADER, b"127.0.0.1")
            scope["client"] = (chosen.decode(), 50000)
        await self.app(scope, receive, send)


@pytest.fixture
def tracker_client(app: Litestar) -> Iterator[TestClient[Any]]:
    with TestClient(ChosenAddress(app), base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture
def tracker(app: Litestar) -> Tracker:
    engine: Tracker = app.state.tracker
    return engine


@pytest.fixture
def alice(settings: Settings) -> Member:
    return add_member(settings, "alice")


@pytest.fixture
def bob(settings: Settings) -> Member:
    return add_member(settings, "bob")


@pytest.fixture
def downloader(settings: Settings, tracker_client: TestClient[Any]) -> Callable[[bytes], None]:
    """Puts a leecher of another member ("dana", from 10.9.9.9) in a torrent's swarm:
    upload is credited only where someone could have downloaded it."""
    dana = add_member(settings, "dana")

    def join(torrent: bytes) -> None:
        announce(tracker_client, dana.passkey, torrent, peer_id(label="dana"), "10.9.9.9", left=1)

    return join


@dataclass
class Board:
    settings: Settings
    app: Litestar
    client: TestClient[Any]


@pytest.fixture
def make_board(tmp_path: Path) -> Iterator[Callable[..., Board]]:
    """A board with settings of the test's choosing, served until the test ends."""
    with ExitStack() as stack:
        boards: list[Board] = []

        def make(**overrides: Any) -> Board:
            data_dir = tmp_path / f"board{len(boards)}"
            settings = load_settings(data_dir, environ={}, **(UNCAPPED_RATES | overrides))
            app = create_app(settings)
            client = stack.enter_context(TestClient(ChosenAddress(app), base_url="http://t.local"))
            boards.append(Board(settings, app, client))
            return boards[-1]

        yield make
