"""``tinypier backup``: a copy taken while another process writes is a complete, healthy board."""

from __future__ import annotations

import queue
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from tinypier.db import backup
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings, load_settings

from ..cli.runner import run_cli
from .board import add_attachment, forget_attachment_row, new_board

WRITER = """
import hashlib, sys
from pathlib import Path
from tinypier.attachments import attachment_path
from tinypier.db.connection import connect_sync
from tinypier.settings import load_settings

settings = load_settings(Path(sys.argv[1]), environ={})
connection = connect_sync(settings.database_path)
number = 0
while True:
    number += 1
    data = f"attachment number {number}".encode()
    sha256 = hashlib.sha256(data).hexdigest()
    path = attachment_path(settings, sha256)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    connection.execute("BEGIN IMMEDIATE")
    attachment_id = connection.execute(
        "INSERT INTO attachments (sha256, size, created_at) VALUES (?, ?, 0)",
        (sha256, len(data)),
    ).lastrowid
    connection.execute(
        "INSERT INTO moderation_log (action, target_type, target_id, details, created_at)"
        " VALUES ('wrote', 'attachment', ?, '', 0)",
        (attachment_id,),
    )
    connection.execute("COMMIT")
    print(attachment_id, flush=True)
"""
"""Another process: file first, then one transaction with two rows, then the acknowledgement."""

WAIT_SECONDS = 60


class Acknowledgements:
    """The ids the writer has reported committed, collected off its stdout as they come."""

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[int] = []
        self._arrived: queue.Queue[int | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._arrived.put(int(line))
        self._arrived.put(None)

    def wait_for(self, more: int) -> list[int]:
        for _ in range(more):
            acknowledged = self._arrived.get(timeout=WAIT_SECONDS)
            assert acknowledged is not None, "the writer stopped"
            self.seen.append(acknowledged)
        return list(self.seen)


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[tuple[Settings, subprocess.Popen[str], Acknowledgements]]:
    settings = new_board(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(settings.data_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        yield settings, process, Acknowledgements(process.stdout)
    finally:
        process.kill()
        process.wait()


def _ids(database: Path, sql: str) -> set[int]:
    connection = sqlite3.connect(database)
    try:
        return {row[0] for row in connection.execute(sql)}
    finally:
        connection.close()


def test_a_backup_during_writes_holds_every_acknowledged_write_and_passes_check(
    tmp_path: Path, writer: tuple[Settings, subprocess.Popen[str], Acknowledgements]
) -> None:
    settings, process, acknowledgements = writer
    (settings.data_dir / "tinypier.toml").write_text('site_name = "Backed up"\n')
    destination = tmp_path / "copy"
    acknowledged_before = acknowledgements.wait_for(more=50)

    result = run_cli(settings.data_dir, "backup", str(destination))

    assert result.exit_code == 0, result.output
    assert process.poll() is None, "the writer kept running through the backup"
    acknowledgements.wait_for(more=20)
    restored = load_settings(destination, environ={})
    copied = _ids(restored.database_path, "SELECT id FROM attachments")
    assert set(acknowledged_before) <= copied
    logged = _ids(restored.database_path, "SELECT target_id FROM moderation_log")
    assert logged == copied, "no transaction is half in the copy"
    check = run_cli(destination, "check")
    assert check.exit_code == 0, check.output
    assert f"attachments: {len(copied)} file(s) present and intact" in check.output


def test_the_copy_keeps_the_secret_key_owner_only_and_the_settings(tmp_path: Path) -> None:
    settings = new_board(tmp_path)
    add_attachment(settings, b"a .torrent, say")
    (settings.data_dir / "tinypier.toml").write_text('site_name = "Backed up"\n')
    destination = tmp_path / "empty"
    destination.mkdir()

    result = run_cli(settings.data_dir, "backup", str(destination))

    assert result.exit_code == 0, result.output
    assert f"tinypier --data-dir {destination} serve" in result.output
    restored = load_settings(destination, environ={})
    assert restored.site_name == "Backed up"
    assert restored.secret_key_path.read_bytes() == settings.secret_key_path.read_bytes()
    assert restored.secret_key_path.stat().st_mode & 0o777 == 0o600
    assert restored.database_path.stat().st_mode & 0o777 == 0o600
    assert run_cli(destination, "check").exit_code == 0


def test_a_destination_with_files_in_it_is_refused_and_left_alone(tmp_path: Path) -> None:
    settings = new_board(tmp_path)
    destination = tmp_path / "used"
    destination.mkdir()
    (destination / "notes.txt").write_text("mine")

    result = run_cli(settings.data_dir, "backup", str(destination))

    assert result.exit_code != 0
    assert "is not empty" in result.output
    assert [path.name for path in destination.iterdir()] == ["notes.txt"]


def test_a_file_as_destination_is_refused(tmp_path: Path) -> None:
    settings = new_board(tmp_path)
    destination = tmp_path / "a-file"
    destination.write_text("mine")

    result = run_cli(settings.data_dir, "backup", str(destination))

    assert result.exit_code != 0
    assert "is not a directory" in result.output


def test_backing_up_a_directory_without_a_board_is_refused(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "nothing-here", "backup", str(tmp_path / "copy"))

    assert result.exit_code != 0
    assert "no board database" in result.output
    assert not (tmp_path / "copy").exists()


def test_a_release_deleted_just_after_the_snapshot_keeps_its_file_in_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board deletes a row, commits, then removes the file: a deletion landing right
    after the database was copied must not leave the copy a row without its file."""
    settings = new_board(tmp_path)
    attachment_id, path = add_attachment(settings, b"deleted during the backup")
    copy_database = backup._backup_database

    def copy_then_delete(source: Path, target: Path) -> list[str]:
        referenced = copy_database(source, target)
        connection = connect_sync(settings.database_path)
        try:
            connection.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
        finally:
            connection.close()
        path.unlink()
        return referenced

    monkeypatch.setattr(backup, "_backup_database", copy_then_delete)

    result = run_cli(settings.data_dir, "backup", str(tmp_path / "copy"))

    assert result.exit_code == 0, result.output
    check = run_cli(tmp_path / "copy", "check")
    assert check.exit_code == 0, check.output
    assert "attachments: 1 file(s) present and intact" in check.output


def test_files_no_row_refers_to_are_left_out_of_the_copy(tmp_path: Path) -> None:
    settings = new_board(tmp_path)
    _, kept = add_attachment(settings, b"referenced")
    attachment_id, forgotten = add_attachment(settings, b"row deleted, file left behind")
    forget_attachment_row(settings, attachment_id)

    result = run_cli(settings.data_dir, "backup", str(tmp_path / "copy"))

    assert result.exit_code == 0, result.output
    copied = load_settings(tmp_path / "copy", environ={}).attachments_dir
    assert sorted(path.name for path in copied.rglob("*") if path.is_file()) == [kept.name]
    assert forgotten.is_file(), "the backup leaves the board's own files alone"
