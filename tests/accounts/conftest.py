"""Boards with members on them, and boards in each registration mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar import Litestar

from tests.helpers import Member, add_member
from tinypier.settings import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """The shared board settings, or ``request.param`` overrides via ``board_with``."""
    overrides = getattr(request, "param", {})
    return load_settings(tmp_path / "data", environ={}, **overrides)


def board_with(**overrides: object) -> pytest.MarkDecorator:
    """Run a test on a board configured with ``overrides``."""
    return pytest.mark.parametrize("settings", [overrides], indirect=True, ids=[str(overrides)])


@pytest.fixture
def alice(app: Litestar, settings: Settings) -> Member:
    return add_member(settings, "alice")


@pytest.fixture
def admin(app: Litestar, settings: Settings) -> Member:
    return add_member(settings, "root", role="admin")


@pytest.fixture
def user_changes(app: Litestar) -> list[int]:
    """Ids of members the tracker was told about, in order."""
    changed: list[int] = []
    app.state.changes.on_user_changed(changed.append)
    return changed
