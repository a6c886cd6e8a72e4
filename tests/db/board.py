"""Setting up a board's data directory the way the running app leaves it."""

from __future__ import annotations

import time
from pathlib import Path

from tinypier.datadir import prepare_data_dir
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings, load_settings
from tinypier.torrents.storage import store_bytes


def new_board(tmp_path: Path, name: str = "board") -> Settings:
    settings = load_settings(tmp_path / name, environ={})
    prepare_data_dir(settings)
    return settings


def add_attachment(settings: Settings, data: bytes) -> tuple[int, Path]:
    """Through the real store, file first and row second, as every writer must."""
    stored = store_bytes(settings.attachments_dir, data)
    connection = connect_sync(settings.database_path)
    try:
        cursor = connection.execute(
            "INSERT INTO attachments (sha256, size, created_at) VALUES (?, ?, ?)",
            (stored.sha256, len(data), int(time.time())),
        )
        return cursor.lastrowid or 0, stored.path
    finally:
        connection.close()


def forget_attachment_row(settings: Settings, attachment_id: int) -> None:
    """Delete the row and leave its file, as a deletion interrupted before the file went."""
    connection = connect_sync(settings.database_path)
    try:
        connection.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
    finally:
        connection.close()
