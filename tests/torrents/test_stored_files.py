"""The .torrent store removes a file only when no attachment row refers to it."""

from __future__ import annotations

import time
from pathlib import Path

from tests.db.board import new_board
from tests.forum.board import on_board, sql
from tinypier.db.connection import Database
from tinypier.settings import Settings
from tinypier.torrents.storage import remove_forgotten, store_bytes


def remove_after_commit(settings: Settings, digest: str) -> None:
    async def remove(db: Database) -> None:
        await remove_forgotten(db, settings.attachments_dir, [digest])

    on_board(settings, remove)


def test_a_file_stored_again_before_its_removal_is_kept(tmp_path: Path) -> None:
    """A release's deletion committed, then an upload of the same content stored it again
    before the file was removed: the new row refers to the file, so it stays."""
    settings = new_board(tmp_path)
    stored = store_bytes(settings.attachments_dir, b"the same .torrent twice")
    sql(
        settings,
        "INSERT INTO attachments (sha256, size, created_at) VALUES (?, 23, ?)",
        (stored.sha256, int(time.time())),
    )

    remove_after_commit(settings, stored.sha256)

    assert stored.path.is_file()


def test_a_file_no_row_refers_to_is_removed(tmp_path: Path) -> None:
    settings = new_board(tmp_path)
    stored = store_bytes(settings.attachments_dir, b"a deleted release's .torrent")

    remove_after_commit(settings, stored.sha256)

    assert not stored.path.exists()
