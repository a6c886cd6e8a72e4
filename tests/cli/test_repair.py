"""``tinypier repair rerender|recount|search`` on a board, and ``migrate`` running the
repairs an upgrade requested."""

from __future__ import annotations

from pathlib import Path

from tests.repair.board import holds_english, legacy_board, opened, stored_html
from tinypier.settings import load_settings

from .runner import run_cli


def _board(tmp_path: Path, version: int | None = None) -> tuple[Path, Path]:
    """(data dir, database) of a board whose posts hold the old renderer's HTML."""
    data_dir = tmp_path / "board"
    data_dir.mkdir()
    database = load_settings(data_dir, environ={}).database_path
    legacy_board(database, version)
    return data_dir, database


def _repair(data_dir: Path, name: str) -> str:
    result = run_cli(data_dir, "repair", name)
    assert result.exit_code == 0, result.output
    return result.output


def test_repair_rerender_rewrites_old_html_once(tmp_path: Path) -> None:
    data_dir, database = _board(tmp_path)

    first = _repair(data_dir, "rerender")
    second = _repair(data_dir, "rerender")

    assert first == "repaired rerender: 3 posts examined, 2 corrected\n"
    assert second == "repaired rerender: 3 posts examined, 0 corrected\n"
    assert not any(holds_english(html) for html in stored_html(database))


def test_repair_recount_corrects_counters_once(tmp_path: Path) -> None:
    data_dir, database = _board(tmp_path)
    with opened(database) as connection:
        connection.execute("UPDATE forums SET post_count = 0")
        connection.execute("UPDATE users SET post_count = 9")

    first = _repair(data_dir, "recount")
    second = _repair(data_dir, "recount")

    assert first == "repaired recount: 3 topics, forums and members examined, 2 corrected\n"
    assert second == "repaired recount: 3 topics, forums and members examined, 0 corrected\n"
    with opened(database) as connection:
        counts = connection.execute("SELECT f.post_count, u.post_count FROM forums f, users u")
        assert tuple(counts.fetchone()) == (3, 3)


def test_repair_search_reindexes_every_post(tmp_path: Path) -> None:
    data_dir, database = _board(tmp_path)
    with opened(database) as connection:
        connection.execute("INSERT INTO post_search (post_search) VALUES ('delete-all')")

    outputs = [_repair(data_dir, "search") for _ in range(2)]

    assert outputs == ["repaired search: 3 posts examined, 3 re-indexed\n"] * 2
    with opened(database) as connection:
        found = connection.execute("SELECT rowid FROM post_search WHERE post_search MATCH 'plums'")
        assert [row[0] for row in found] == [1, 2, 3]


def test_a_repair_refuses_a_directory_without_a_board(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "nothing-here", "repair", "recount")

    assert result.exit_code != 0
    assert "no board in" in result.output
    assert not (tmp_path / "nothing-here").exists()


def test_migrate_rerenders_the_posts_of_a_board_stored_before_version_9(
    tmp_path: Path,
) -> None:
    data_dir, database = _board(tmp_path, version=7)

    result = run_cli(data_dir, "migrate")

    assert result.exit_code == 0, result.output
    assert "applied 0009_post_words" in result.output
    assert "repaired rerender: 3 posts examined, 2 corrected" in result.output
    assert not any(holds_english(html) for html in stored_html(database))
    with opened(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM pending_repairs").fetchone()[0] == 0
