"""Feeds and profiles read through indexes: their cost does not grow with the board."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from tests.forum.board import PlanRecorder, empty_board_connection
from tinypier.accounts.viewer import GUEST
from tinypier.db.connection import Database
from tinypier.forum.feeds import forum_topics
from tinypier.forum.members import POSTS_SQL, RELEASES_SQL, newest_visible

Read = Callable[[Database], Coroutine[Any, Any, object]]


def recorded_plans(tmp_path: Path, *reads: Read) -> list[list[str]]:
    recorder = PlanRecorder(empty_board_connection(tmp_path))
    for read in reads:
        asyncio.run(read(recorder.as_database()))
    return recorder.plans


def recorded_plan(tmp_path: Path, read: Read) -> list[str]:
    [plan] = recorded_plans(tmp_path, read)
    return plan


def test_a_forum_feed_sorts_only_the_forums_topic_ids(tmp_path: Path) -> None:
    plan = recorded_plan(tmp_path, lambda db: forum_topics(db, 1, 30))

    assert "SEARCH topics USING COVERING INDEX ix_topics_forum_last_post (forum_id=?)" in plan
    assert not [step for step in plan if step.startswith("SCAN") and step != "SCAN newest"]


def test_a_profile_reads_releases_and_posts_through_the_owner_index(tmp_path: Path) -> None:
    releases, posts = recorded_plans(
        tmp_path,
        lambda db: newest_visible(db, GUEST, RELEASES_SQL, 1, 20),
        lambda db: newest_visible(db, GUEST, POSTS_SQL, 1, 10),
    )

    assert releases[0] == "SEARCH x USING INDEX ix_torrents_uploader_id (uploader_id=?)"
    assert posts[0] == "SEARCH x USING INDEX ix_posts_author_order (author_id=?)"
    assert not any("TEMP B-TREE" in step for step in releases + posts)
