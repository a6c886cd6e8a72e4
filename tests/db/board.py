"""Setting up a board's data directory the way the running app leaves it."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from tinypier.attachments import attachment_path
from tinypier.datadir import prepare_data_dir
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings, load_settings


def new_board(tmp_path: Path, name: str = "board") -> Settings:
    settings = load_settings(tmp_path / name, environ={})
    prepare_data_dir(settings)
    return settings


def add_attachment(settings: Settings, data: bytes) -> tuple[int, Path]:
    """File first, row second: the order every writer of attachments follows."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = attachment_path(settings, sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    connection = connect_sync(settings.database_path)
    try:
        cursor = connection.execute(
            "INSERT INTO attachments (sha256, size, created_at) VALUES (?, ?, ?)",
            (sha256, len(data), int(time.time())),
        )
        return cursor.lastrowid or 0, path
    finally:
        connection.close()
