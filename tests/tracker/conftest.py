"""A board with a tracker, a few members and registered torrents, driven on raw bytes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from litestar.types import Receive, Scope, Send

from tests.tracker.wire import ADDRESS_HEADER


class ChosenAddress:
    """The test client always connects from "testclient"; this lets a request say which
    address the connection comes from (as a socket would), via a test-only header."""

    def __init__(self, app: Litestar) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            chosen = dict(scope["headers"]).get(ADDRESS_HEADER, b"127.0.0.1")
            scope["client"] = (chosen.decode(), 50000)
        await self.app(scope, receive, send)


@pytest.fixture
def tracker_client(app: Litestar) -> Iterator[TestClient[Any]]:
    with TestClient(ChosenAddress(app), base_url="http://testserver.local") as test_client:
        yield test_client
