"""Every change made with the ``tinypier`` command is in the moderation log, by "(shell)".

Nobody is logged in on a shell, yet admins reading /moderation must see that a member
was disabled or promoted, and that it was done from the server's command line.
"""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from tests.helpers import login
from tinypier.app import create_app
from tinypier.db.connection import connect_sync
from tinypier.settings import load_settings

from .runner import run_cli

PASSWORD = "a long enough password\n"


def _log(board: Path) -> list[tuple[object, ...]]:
    connection = connect_sync(board / "tinypier.sqlite3")
    try:
        rows = connection.execute(
            "SELECT actor_id, from_shell, action, target_type, target_id, details"
            " FROM moderation_log ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
    return [tuple(row) for row in rows]


def _user_id(board: Path, name: str) -> int:
    connection = connect_sync(board / "tinypier.sqlite3")
    try:
        user_id: int = connection.execute(
            "SELECT id FROM users WHERE name = ?", (name,)
        ).fetchone()[0]
    finally:
        connection.close()
    return user_id


def _run(board: Path, *args: str, stdin: str | None = None) -> str:
    result = run_cli(board, *args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_each_admin_command_is_logged_with_the_shell_as_actor(tmp_path: Path) -> None:
    board = tmp_path / "board"
    _run(board, "user", "create", "root", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    _run(board, "user", "create", "erin", "--password-stdin", stdin=PASSWORD)
    _run(board, "user", "set-role", "erin", "moderator")
    _run(board, "user", "disable", "erin")
    _run(board, "forum", "create", "Movies", "--category", "Releases")
    root, erin = _user_id(board, "root"), _user_id(board, "erin")

    [forum_id] = [entry[4] for entry in _log(board) if entry[3] == "forum"]
    assert _log(board) == [
        (None, 1, "create user", "user", root, "root"),
        (None, 1, "create user", "user", erin, "erin"),
        (None, 1, "set role", "user", erin, "user -> moderator"),
        (None, 1, "disable user", "user", erin, "erin"),
        (None, 1, "create", "forum", forum_id, "Movies"),
    ]


def test_the_log_page_shows_shell_changes_by_the_shell(tmp_path: Path) -> None:
    board = tmp_path / "board"
    _run(board, "user", "create", "root", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    _run(board, "user", "create", "erin", "--password-stdin", stdin=PASSWORD)
    _run(board, "user", "disable", "erin")

    settings = load_settings(board, environ={})
    with TestClient(create_app(settings), base_url="http://testserver.local") as client:
        login(client, "root", PASSWORD.strip())
        page = client.get("/moderation").text

    assert page.count("(shell)") == 3
    assert "(deleted member)" not in page


def test_a_command_that_changes_nothing_logs_nothing(tmp_path: Path) -> None:
    board = tmp_path / "board"
    _run(board, "forum", "create", "Movies", "--category", "Releases")
    _run(board, "user", "create", "erin", "--password-stdin", stdin=PASSWORD)
    logged = _log(board)

    _run(board, "forum", "create", "Movies", "--category", "Releases")
    _run(board, "user", "create", "erin", "--if-missing", "--password-stdin", stdin=PASSWORD)

    assert _log(board) == logged
