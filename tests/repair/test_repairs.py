"""The repairs as functions: what each corrects, that a second run corrects nothing, and
that a requested repair cut short resumes where it stopped."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinypier.forum.bbcode import render_bbcode
from tinypier.repair import posts
from tinypier.repair.counters import recount_counters
from tinypier.repair.pending import (
    UnknownRepair,
    pending_repair_names,
    request_repair,
    run_pending_repairs,
)
from tinypier.repair.posts import rerender_posts
from tinypier.repair.search import rebuild_search

from .board import LEGACY_POSTS, holds_english, legacy_board, opened, stored_html

COUNTERS = (
    "SELECT t.post_count, t.last_post_id, t.last_post_at, f.topic_count, f.post_count,"
    " f.last_post_id, u.post_count FROM topics t, forums f, users u"
)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "board.sqlite3"
    legacy_board(path)
    return path


def test_rerender_replaces_old_html_and_a_second_run_changes_nothing(database: Path) -> None:
    with opened(database) as connection:
        first = rerender_posts(connection)
        second = rerender_posts(connection)

    assert stored_html(database) == [render_bbcode(body) for body in LEGACY_POSTS]
    assert not any(holds_english(html) for html in stored_html(database))
    assert (first.examined, first.changed) == (3, 2)
    assert (second.examined, second.changed) == (3, 0)


def test_a_requested_rerender_resumes_after_the_last_post_it_finished(database: Path) -> None:
    with opened(database) as connection:
        request_repair(connection, "rerender")
        connection.execute("UPDATE pending_repairs SET progress = 1")

    [report] = run_pending_repairs(database)

    assert report.examined == 2  # posts 2 and 3; post 1 was done before the "crash"
    assert holds_english(stored_html(database)[0])
    assert not holds_english(stored_html(database)[2])
    with opened(database) as connection:
        assert pending_repair_names(connection) == []


def test_a_crash_mid_rerender_keeps_the_request_and_its_progress(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash_on_spoilers(body: str) -> str:
        if "spoiler" in body:
            raise MemoryError("simulated crash")
        return render_bbcode(body)

    monkeypatch.setattr(posts, "RERENDER_BATCH_POSTS", 1)
    monkeypatch.setattr(posts, "render_bbcode", crash_on_spoilers)
    with opened(database) as connection:
        request_repair(connection, "rerender")
    with pytest.raises(MemoryError):
        run_pending_repairs(database)
    with opened(database) as connection:
        progress = connection.execute("SELECT name, progress FROM pending_repairs").fetchall()
    assert [tuple(row) for row in progress] == [("rerender", 2)]
    assert not holds_english(stored_html(database)[0])

    monkeypatch.setattr(posts, "render_bbcode", render_bbcode)
    [report] = run_pending_repairs(database)

    assert report.examined == 1
    assert not any(holds_english(html) for html in stored_html(database))


def test_recount_restores_every_counter_and_a_second_run_changes_nothing(
    database: Path,
) -> None:
    with opened(database) as connection:
        right = tuple(connection.execute(COUNTERS).fetchone())
        connection.execute("UPDATE topics SET post_count = 99, last_post_id = 1, last_post_at = 0")
        connection.execute("UPDATE forums SET topic_count = 0, post_count = 7, last_post_id = NULL")
        connection.execute("UPDATE users SET post_count = 42")

        first = recount_counters(connection)
        second = recount_counters(connection)
        recounted = tuple(connection.execute(COUNTERS).fetchone())

    assert recounted == right == (3, 3, 1002, 1, 3, 3, 3)
    assert (first.changed, second.changed) == (3, 0)


def _finds(database: Path, word: str) -> list[int]:
    with opened(database) as connection:
        return [
            row[0]
            for row in connection.execute(
                "SELECT rowid FROM post_search WHERE post_search MATCH ?", (word,)
            )
        ]


def test_search_rebuild_restores_a_post_the_index_lost(database: Path) -> None:
    with opened(database) as connection:
        connection.execute(
            "INSERT INTO post_search"
            " (post_search, rowid, title_words, body_words, title_stems, body_stems)"
            " SELECT 'delete', id, title_words, body_words, title_stems, body_stems"
            " FROM post_search_source WHERE id = 2"
        )
    assert _finds(database, "plain") == []

    with opened(database) as connection:
        report = rebuild_search(connection)
        rebuild_search(connection)
        connection.execute("INSERT INTO post_search (post_search) VALUES ('integrity-check')")

    assert _finds(database, "plain") == [2]
    assert (report.examined, report.changed) == (3, 3)


def test_an_unknown_repair_is_refused_by_name(database: Path) -> None:
    with opened(database) as connection, pytest.raises(UnknownRepair, match="no repair named"):
        request_repair(connection, "defragment")
