"""Fixtures shared by every test: a board in a temporary directory, served for real."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tinypier.accounts.rate_limit import AttemptLimiter
from tinypier.app import create_app
from tinypier.flood import FloodLimiter
from tinypier.forum import flood
from tinypier.messages import sending as message_sending
from tinypier.settings import Settings, load_settings

ACTUAL_LIMITER_OF = flood.limiter_of
ACTUAL_PREVIEW_LIMITER_OF = flood.preview_limiter_of
ACTUAL_MESSAGE_LIMITER_OF = message_sending.limiter_of


@pytest.fixture(scope="session", autouse=True)
def posts_unthrottled() -> Iterator[None]:
    """Tests (and module-wide boards) post, preview and send messages far faster than a
    member may: flood control is off for the session, and on again in tests marked
    ``flood_control``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flood, "limiter_of", _unlimited)
        patch.setattr(flood, "preview_limiter_of", _unlimited_previews)
        patch.setattr(message_sending, "limiter_of", _unlimited_messages)
        yield


@pytest.fixture(autouse=True)
def flood_control_where_marked(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if request.node.get_closest_marker("flood_control") is not None:
        monkeypatch.setattr(flood, "limiter_of", ACTUAL_LIMITER_OF)
        monkeypatch.setattr(flood, "preview_limiter_of", ACTUAL_PREVIEW_LIMITER_OF)
        monkeypatch.setattr(message_sending, "limiter_of", ACTUAL_MESSAGE_LIMITER_OF)


def _unlimited(_state: object, _settings: Settings) -> flood.PostLimiter:
    return flood.PostLimiter(interval=0, per_hour=sys.maxsize)


def _unlimited_messages(_state: object, _settings: Settings) -> FloodLimiter:
    return FloodLimiter(interval=0, cap=sys.maxsize, window=message_sending.DAY_SECONDS)


def _unlimited_previews(_state: object, _settings: Settings) -> AttemptLimiter:
    return AttemptLimiter(sys.maxsize)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data", environ={})


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app, base_url="http://testserver.local") as test_client:
        yield test_client
