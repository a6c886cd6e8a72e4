"""No page is wider than the screen, on a phone (390 px) or a laptop (1280 px), even on a
board whose titles, names, file names and posts hold words far longer than a line.

The board is ``tinypier demo`` plus one of each pathological thing a member can write:
a 200-character title with no space, a 32-character name, a forum and a category named
with one long word, a post with a long link, a long word and a wide code block, a release
whose files have long names. Every main page is opened as the admin (who sees every
column and tool) and must not scroll sideways: ``scrollWidth <= innerWidth``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.test_walkthrough import (
    BROWSER_TEST,
    Walk,
    chromium,
    screenshots,
    tinypier,
)
from tests.browser.viewport import WIDTHS, too_wide
from tests.forum.board import on_board, register_upload
from tests.helpers import add_member
from tests.servers import serving
from tinypier.db.connection import Database, connect_sync
from tinypier.demo.metainfo import DemoContent, DemoFile, build_torrent
from tinypier.events import ChangeNotifier
from tinypier.forum.posting import create_topic
from tinypier.forum.queries import create_forum, ensure_category
from tinypier.release_statuses import NEEDS_EDITING
from tinypier.settings import Settings, load_settings
from tinypier.torrents.moderation import set_status
from tinypier.torrents.registration import ReleaseUpload
from tinypier.tracker.accounting import NO_LEECHER, WithheldCredit
from tinypier.tracker.store import Batch, save_and_fold

pytestmark = BROWSER_TEST
__all__ = ["screenshots"]  # a fixture shared with the walkthrough

LONG_WORD = "Unbreakable" * 18  # 198 characters, no place to wrap
LONG_NAME = "W" * 32  # the longest name allowed, in the widest letter
WIDE_POST = (
    f"A word: {LONG_WORD}\n"
    f"A link: https://example.org/{'path' * 60}\n"
    f"[quote={LONG_NAME}]{LONG_WORD}[/quote]\n"
    f"[code]{'wide_code_line_' * 30}[/code]\n"
    "Search for marmalade."
)


@dataclass(frozen=True)
class LongBoard:
    url: str
    admin_password: str
    forum_id: int
    topic_id: int
    release_topic_id: int
    member_id: int


def _log_cheat(settings: Settings, torrent_id: int, member_id: int) -> None:
    """A cheat-log line naming the long member and release, as the tracker writes one."""
    batch = Batch()
    claimed = WithheldCredit(10**12, 0, 0, 0, NO_LEECHER)
    batch.entry().withhold(torrent_id, member_id, claimed, 1_700_000_000)
    save_and_fold(
        settings.database_path, settings.credit_log_path, batch, settings.cheat_log_max_rows
    )


def _add_long_things(settings: Settings) -> tuple[int, int, int, int]:
    """(forum, topic, release topic, member) of the pathological kind."""
    member = add_member(settings, LONG_NAME, role="moderator")  # named in the logs too

    async def forum(db: Database) -> int:
        category_id = await ensure_category(db, f"Category{LONG_WORD}")
        return await create_forum(db, category_id, f"Forum{LONG_WORD}", allows_releases=True)

    forum_id = on_board(settings, forum)
    topic = on_board(
        settings, lambda db: create_topic(db, forum_id, member.id, LONG_WORD, WIDE_POST)
    )
    files = tuple(DemoFile((f"{LONG_WORD}{number}.mkv",), 20_000) for number in range(3))
    torrent = build_torrent(DemoContent(LONG_WORD[:150], files, seed=1), 1_700_000_000)
    release = register_upload(
        settings,
        ReleaseUpload(forum_id, member.id, f"Release{LONG_WORD}"[:200], WIDE_POST, torrent),
    )
    on_board(
        settings,
        lambda db: set_status(
            db, member.id, release.torrent_id, NEEDS_EDITING, changes=ChangeNotifier()
        ),
    )
    _log_cheat(settings, release.torrent_id, member.id)
    _notify_and_bookmark(settings, member.id, topic.topic_id, topic.post_id)
    return forum_id, topic.topic_id, release.topic_id, member.id


def _notify_and_bookmark(settings: Settings, member_id: int, topic_id: int, post_id: int) -> None:
    """The admin is quoted by the long member in the long topic, and bookmarked it."""
    connection = connect_sync(settings.database_path)
    try:
        admin_id = connection.execute("SELECT id FROM users WHERE name = 'admin'").fetchone()[0]
        connection.execute(
            "INSERT INTO notifications (user_id, kind, actor_id, topic_id, post_id, count,"
            " created_at) VALUES (?, 'quote', ?, ?, ?, 1, 1700000000)",
            (admin_id, member_id, topic_id, post_id),
        )
        connection.execute(
            "INSERT INTO bookmarks (user_id, topic_id, created_at) VALUES (?, ?, 1700000000)",
            (admin_id, topic_id),
        )
    finally:
        connection.close()


@pytest.fixture
def long_board(tmp_path: Path) -> Iterator[LongBoard]:
    data_dir = tmp_path / "data"
    demo = json.loads(tinypier(data_dir, "demo", "--members", "10", "--json").stdout)
    settings = load_settings(data_dir, environ={})
    forum_id, topic_id, release_topic_id, member_id = _add_long_things(settings)
    with serving(data_dir, tmp_path / "tinypier.log", dict(os.environ)) as url:
        yield LongBoard(
            url, demo["admin_password"], forum_id, topic_id, release_topic_id, member_id
        )


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    with chromium(tmp_path / "chromium-profile", WIDTHS[-1], 900) as driver:
        yield driver


def _pages(board: LongBoard) -> dict[str, str]:
    return {
        "index": "/",
        "forum": f"/forums/{board.forum_id}",
        "topic": f"/topics/{board.topic_id}",
        "release": f"/topics/{board.release_topic_id}",
        "tracker": "/tracker",
        "members": "/members",
        "profile": f"/members/{board.member_id}",
        "search": "/search?q=marmalade",
        "admin": "/admin",
        "admin-users": "/admin/users",
        "admin-forums": "/admin/forums",
        "cheat-log": "/admin/cheats",
        "moderation-log": "/moderation",
        "settings": "/settings",
        "new-topic": f"/forums/{board.forum_id}/new",
        "new-release": f"/forums/{board.forum_id}/releases/new",
        "notifications": "/notifications",
        "bookmarks": "/bookmarks",
        "notification-settings": "/notifications/settings",
    }


def test_no_page_is_wider_than_a_phone_or_a_laptop_screen(
    browser: WebDriver, long_board: LongBoard, screenshots: Path
) -> None:
    Walk(browser, long_board.url, screenshots).log_in("admin", long_board.admin_password)
    failures = []
    for width in WIDTHS:
        browser.set_window_size(width, 900)
        assert browser.execute_script("return window.innerWidth") == width
        for name, path in _pages(long_board).items():
            browser.get(long_board.url + path)
            assert "Internal" not in browser.title, f"{path}: {browser.title}"
            browser.save_screenshot(str(screenshots / f"width-{width}-{name}.png"))
            problem = too_wide(browser)
            if problem:
                failures.append(f"{path}: {problem}")
    assert not failures, "\n".join(failures)
