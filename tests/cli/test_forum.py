"""``tinypier forum create``: provisioning a board's structure from scripts."""

from __future__ import annotations

import json
from pathlib import Path

from tinypier.db.connection import connect_sync

from .runner import run_cli


def _forum_create(data_dir: Path, *args: str) -> dict[str, object]:
    result = run_cli(data_dir, "forum", "create", *args, "--json")
    assert result.exit_code == 0, result.output
    created: dict[str, object] = json.loads(result.output)
    return created


def test_forum_create_prints_the_id_and_makes_the_category_once(tmp_path: Path) -> None:
    board = tmp_path / "board"

    movies = _forum_create(board, "Movies", "--category", "Releases", "--releases")
    talk = _forum_create(board, "Talk about releases", "--category", "Releases")

    connection = connect_sync(board / "tinypier.sqlite3")
    try:
        categories = connection.execute("SELECT id, name FROM categories").fetchall()
        forums = connection.execute(
            "SELECT id, name, category_id, allows_releases FROM forums ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
    [(category_id, category_name)] = [tuple(row) for row in categories]
    assert category_name == "Releases"
    assert [tuple(row) for row in forums] == [
        (movies["id"], "Movies", category_id, 1),
        (talk["id"], "Talk about releases", category_id, 0),
    ]


def test_forum_create_requires_a_category(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "board", "forum", "create", "Movies")

    assert result.exit_code != 0
    assert "--category" in result.output


def test_forum_create_run_twice_returns_the_same_forum(tmp_path: Path) -> None:
    board = tmp_path / "board"

    first = _forum_create(board, "Movies", "--category", "Releases", "--releases")
    again = _forum_create(board, "Movies", "--category", "Releases", "--releases")

    assert again == {**first, "created": False}
    assert first["created"] is True
    connection = connect_sync(board / "tinypier.sqlite3")
    try:
        assert connection.execute("SELECT COUNT(*) FROM forums").fetchone()[0] == 1
    finally:
        connection.close()


def test_forum_create_of_an_existing_forum_says_so_in_words(tmp_path: Path) -> None:
    board = tmp_path / "board"
    created = _forum_create(board, "Movies", "--category", "Releases")

    result = run_cli(board, "forum", "create", "Movies", "--category", "Releases")

    assert result.exit_code == 0, result.output
    assert f"(id {created['id']}) exists" in result.output


def test_the_same_name_in_another_category_is_another_forum(tmp_path: Path) -> None:
    board = tmp_path / "board"

    movies = _forum_create(board, "Movies", "--category", "Releases")
    talk = _forum_create(board, "Movies", "--category", "Talk")

    assert movies["id"] != talk["id"] and talk["created"] is True
