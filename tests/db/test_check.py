"""``tinypier check``: one readable report of everything wrong with a board, exit 1 if any."""

from __future__ import annotations

from pathlib import Path

from tinypier.db.connection import connect_sync
from tinypier.db.migrations import code_version, migrate
from tinypier.settings import load_settings

from ..cli.runner import run_cli
from .board import add_attachment, forget_attachment_row, new_board


def test_a_clean_board_passes(tmp_path: Path) -> None:
    settings = new_board(tmp_path)
    add_attachment(settings, b"first file")
    add_attachment(settings, b"second file")

    result = run_cli(settings.data_dir, "check")

    assert result.exit_code == 0, result.output
    assert f"schema version: version {code_version()}" in result.output
    assert "attachments: 2 file(s) present and intact" in result.output
    assert "FAIL" not in result.output
    assert result.output.rstrip().endswith("No problems found.")


def test_a_missing_and_a_corrupted_attachment_are_both_reported(tmp_path: Path) -> None:
    settings = new_board(tmp_path)
    add_attachment(settings, b"intact")
    missing_id, missing_path = add_attachment(settings, b"will be deleted")
    corrupted_id, corrupted_path = add_attachment(settings, b"will be changed")
    missing_path.unlink()
    corrupted_path.write_bytes(b"changed behind the board's back")

    result = run_cli(settings.data_dir, "check")

    assert result.exit_code == 1
    assert "FAIL  attachments" in result.output
    assert f"attachment {missing_id}: file missing at {missing_path}" in result.output
    assert f"attachment {corrupted_id}: {corrupted_path} does not match" in result.output
    assert "2 problem(s) found." in result.output


def test_a_row_pointing_at_a_missing_row_is_reported(tmp_path: Path) -> None:
    settings = new_board(tmp_path)
    connection = connect_sync(settings.database_path)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute(
            "INSERT INTO sessions (id, user_id, created_at, expires_at, data)"
            " VALUES ('orphan', 404, 0, 0, '{}')"
        )
    finally:
        connection.close()

    result = run_cli(settings.data_dir, "check")

    assert result.exit_code == 1
    assert "FAIL  foreign keys" in result.output
    assert "sessions row" in result.output
    assert "points at a missing row of users" in result.output


def test_a_database_behind_the_code_is_reported_with_advice(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "board", environ={})
    settings.data_dir.mkdir()
    migrate(settings.database_path, settings.backups_dir, target=1)

    result = run_cli(settings.data_dir, "check")

    assert result.exit_code == 1
    assert f"at version 1, this TinyPier expects {code_version()}" in result.output
    assert "tinypier migrate" in result.output


def test_a_directory_without_a_board_fails_without_creating_one(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "check")

    assert result.exit_code == 1
    assert "no database at" in result.output
    assert not (tmp_path / "tinypier.sqlite3").exists()


def test_files_no_attachment_refers_to_are_warnings_with_a_remedy(tmp_path: Path) -> None:
    """Leftovers nothing relies on (a crash's) must not make a healthy board fail."""
    settings = new_board(tmp_path)
    add_attachment(settings, b"still referenced")
    forgotten_id, forgotten_path = add_attachment(settings, b"row deleted, file left")
    forget_attachment_row(settings, forgotten_id)
    interrupted_upload = settings.attachments_dir / ".upload-interrupted"
    interrupted_upload.write_bytes(b"half a file")

    result = run_cli(settings.data_dir, "check")

    assert result.exit_code == 0, result.output
    assert "ok    attachments: 1 file(s) present and intact" in result.output
    assert "WARN  unreferenced files" in result.output
    assert "FAIL" not in result.output
    assert (
        f"{forgotten_path}: no attachment refers to this file (a deletion or an upload"
        " stopped half-way); nothing uses it: remove it while the board is stopped"
    ) in result.output
    assert (
        f"{interrupted_upload}: an upload still being written, or one a crash interrupted"
        " before it was stored; `tinypier serve` removes such files when it starts"
    ) in result.output
    assert result.output.rstrip().endswith(
        "No problems found.\n2 warning(s): leftovers nothing relies on."
    )
