"""Upgrading a board re-renders posts stored with English words, even across a crash.

Migration 0009 requests the ``rerender`` repair in its own transaction; the repair runs
right after the migrations, before the board is served, and its request is struck off
only when it has finished.
"""

from __future__ import annotations

from tests.repair.board import holds_english, legacy_board, opened, stored_html
from tinypier.app import create_app
from tinypier.db.migrations import migrate
from tinypier.settings import Settings


def _pending(settings: Settings) -> list[str]:
    with opened(settings.database_path) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM pending_repairs")]


def test_serving_an_old_board_rerenders_its_posts_first(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    legacy_board(settings.database_path, version=7)
    assert all(map(holds_english, stored_html(settings.database_path)[::2]))

    create_app(settings)

    assert not any(holds_english(html) for html in stored_html(settings.database_path))
    assert _pending(settings) == []


def test_an_upgrade_cut_short_after_migrating_repairs_at_the_next_start(
    settings: Settings,
) -> None:
    settings.data_dir.mkdir(parents=True)
    legacy_board(settings.database_path, version=7)
    migrate(settings.database_path, settings.backups_dir)  # the crash: no repairs ran
    assert _pending(settings) == ["rerender", "search"]

    create_app(settings)

    assert not any(holds_english(html) for html in stored_html(settings.database_path))
    assert _pending(settings) == []


def test_migrating_a_board_without_posts_requests_no_repair(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)

    migrate(settings.database_path, settings.backups_dir)

    assert _pending(settings) == []
