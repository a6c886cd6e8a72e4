"""A board with a tracker, a few members and registered torrents, driven on raw bytes."""

from __future__ import annotations

import http.client
import os
import signal
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.enums import ScopeType
from litestar.testing import TestClient
from litestar.types import Receive, Scope, Send

from tests.helpers import Member, add_member
from tests.servers import TINYPIER, free_port, serve_command, wait_until_accepting
from tests.tracker.wire import ADDRESS_HEADER, announce, peer_id
from tinypier.app import create_app
from tinypier.settings import Settings, load_settings
from tinypier.tracker.engine import Tracker

UNCAPPED_RATES: dict[str, Any] = {"max_upload_rate": 2**53, "max_download_rate": 2**53}
"""Rate caps no test client reaches: announces milliseconds apart are credited in full.
The tests of this directory are about deltas, swarms and refusals; the caps themselves
are held by ``test_credit_rules.py``, on boards with the default rates."""


UNCAPPED_RATE_VARIABLES = {
    "TINYPIER_MAX_UPLOAD_RATE": str(2**53),
    "TINYPIER_MAX_DOWNLOAD_RATE": str(2**53),
}
"""The same for a server in its own process: the crash tests send a megabyte per announce,
milliseconds apart, and are about durability, so nothing may be withheld."""


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


HOUR_MS = 3_600_000


@pytest.fixture
def quiet_settings(tmp_path: Path) -> Settings:
    """A board that folds only when it stops (or starts)."""
    return load_settings(
        tmp_path / "quiet", environ={}, credit_fold_interval_ms=HOUR_MS, **UNCAPPED_RATES
    )


def serve(settings: Settings) -> TestClient[Any]:
    """A test client of the board in ``settings``; its tracker starts on entering."""
    return TestClient(ChosenAddress(create_app(settings)), base_url="http://t.local")


def copy_database(source_path: Path, target_path: Path) -> None:
    """Copy an SQLite database (the board's, or the credit log) from one snapshot, as a
    backup or a crash would leave it, while it may be written."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


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


@dataclass
class Server:
    """``tinypier serve`` in its own process, which the crash tests kill and restart;
    ``environment`` adds variables for the next start."""

    data_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    log: list[Path] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        log_path = self.data_dir.parent / f"serve{len(self.log)}.log"
        self.log.append(log_path)
        with log_path.open("wb") as output:
            self.process = subprocess.Popen(
                serve_command(self.data_dir, self.port),
                stdout=output,
                stderr=subprocess.STDOUT,
                env={
                    **os.environ,
                    "TINYPIER_COMMIT_INTERVAL_MS": "2",
                    **UNCAPPED_RATE_VARIABLES,
                    **self.environment,
                },
            )
        wait_until_accepting(self.port, self.process, log_path)

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    data_dir = tmp_path / "board"
    subprocess.run(
        [str(TINYPIER), "--data-dir", str(data_dir), "migrate"], check=True, capture_output=True
    )
    running = Server(data_dir, free_port())
    try:
        yield running
    finally:
        running.stop()
