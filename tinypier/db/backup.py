"""``tinypier backup DEST``: a consistent copy of a board that is running and writing.

The copy is a complete data directory: restoring is pointing ``--data-dir`` at it. Order
matters. A file is written before the row that references it commits, and removed only
after the row's deletion commits. So the attachments are copied first, then the tracker's
credit log (see :func:`_backup_credit_log`), then the database from one read snapshot,
then the files the snapshot references that arrived after the first pass; files the
snapshot does not reference are dropped from the copy. A file the snapshot references
is then missing only if it was uploaded and deleted again while the backup ran, and the
summary says so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinypier.attachments import attachment_path, is_stored_attachment
from tinypier.db.connection import connect_sync
from tinypier.settings import CONFIG_FILE_NAME, Settings

PAGES_PER_STEP = 1024
PAUSE_BETWEEN_STEPS_SECONDS = 0.001


class BackupError(RuntimeError):
    """The backup cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    destination: Path
    database_bytes: int
    attachment_files: int
    missing_attachments: list[str]
    """Referenced by the copied database but absent from the source: a damaged board."""


def backup_board(settings: Settings, destination: Path) -> BackupSummary:
    """Copy the board in ``settings.data_dir`` to ``destination`` (missing or empty)."""
    if not settings.database_path.is_file():
        raise BackupError(f"there is no board database at {settings.database_path}")
    _prepare_destination(destination)
    copy = dataclasses.replace(settings, data_dir=destination)
    _copy_attachments(settings.attachments_dir, copy.attachments_dir)
    _backup_credit_log(settings.credit_log_path, copy.credit_log_path)
    referenced = _backup_database(settings.database_path, copy.database_path)
    files = _match_attachments(settings.attachments_dir, copy.attachments_dir, set(referenced))
    _copy_secret_key(settings.secret_key_path, copy.secret_key_path)
    config = settings.data_dir / CONFIG_FILE_NAME
    if config.is_file():
        shutil.copy2(config, destination / CONFIG_FILE_NAME)
    return BackupSummary(
        destination=destination,
        database_bytes=copy.database_path.stat().st_size,
        attachment_files=files,
        missing_attachments=[sha for sha in referenced if not attachment_path(copy, sha).is_file()],
    )


def _prepare_destination(destination: Path) -> None:
    """Refuse anything but a fresh place: mixing a backup into old files would corrupt both."""
    if destination.exists():
        if not destination.is_dir():
            raise BackupError(f"{destination} exists and is not a directory")
        if any(destination.iterdir()):
            raise BackupError(f"{destination} is not empty; back up into a new or empty directory")
    destination.mkdir(parents=True, exist_ok=True, mode=0o700)


def _backup_database(source_path: Path, target_path: Path) -> list[str]:
    """Copy the database from one snapshot; return the attachments it references."""
    source = connect_sync(source_path)
    try:
        return _copy_one_snapshot(source, target_path, "SELECT sha256 FROM attachments")
    finally:
        source.close()


def _backup_credit_log(source_path: Path, target_path: Path) -> None:
    """Copy the tracker's credit log (announces answered but not folded into the board's
    tables yet) BEFORE the board's database: every row the copied log lacks was appended
    after it was copied, and rows the board folded meanwhile are skipped by the restored
    board's fold (they are at or below its mark). Copied after the board, rows folded and
    trimmed in between would be in neither copy."""
    if not source_path.is_file():
        return
    source = sqlite3.connect(source_path)
    try:
        _copy_one_snapshot(source, target_path, "SELECT COUNT(*) FROM sqlite_schema")
    finally:
        source.close()


def _copy_one_snapshot(source: sqlite3.Connection, target_path: Path, query: str) -> list[Any]:
    """Copy ``source`` page by page from ONE snapshot, the one ``query`` reads first (the
    first column of its rows is returned).

    Without an open read transaction on the source, every commit by another process
    between two steps restarts SQLite's backup from the first page, and a busy board
    would never finish. Holding a snapshot for the whole copy pins the pages it reads;
    in WAL mode that does not block the writer, it only delays checkpoints. The copy holds
    password hashes, so its file is made owner-only before SQLite fills it.
    """
    os.close(os.open(target_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    target = sqlite3.connect(target_path)
    try:
        source.execute("BEGIN")
        rows = [row[0] for row in source.execute(query)]
        source.backup(target, pages=PAGES_PER_STEP, sleep=PAUSE_BETWEEN_STEPS_SECONDS)
        source.execute("COMMIT")
        return rows
    finally:
        target.close()


def _stored_digests(attachments_dir: Path) -> set[str]:
    """Files stored under their digest; anything else in the directory (an upload still
    being written to a temporary name) is not an attachment yet and is left behind."""
    return {
        path.name
        for path in attachments_dir.glob("??/*")
        if is_stored_attachment(attachments_dir, path)
    }


def _copy_files(source: Path, target: Path, digests: set[str]) -> None:
    target.mkdir(exist_ok=True, mode=0o700)
    for digest in sorted(digests):
        destination = attachment_path(target, digest)
        destination.parent.mkdir(exist_ok=True, mode=0o700)
        with contextlib.suppress(FileNotFoundError):  # deleted since listed
            shutil.copy2(attachment_path(source, digest), destination)


def _copy_attachments(source: Path, target: Path) -> None:
    _copy_files(source, target, _stored_digests(source))


def _match_attachments(source: Path, target: Path, referenced: set[str]) -> int:
    """Make the copied files exactly those the copied database references (as far as the
    source still holds them); returns how many there are."""
    copied = _stored_digests(target)
    _copy_files(source, target, referenced - copied)
    for digest in copied - referenced:
        attachment_path(target, digest).unlink()
    return len(_stored_digests(target))


def _copy_secret_key(source: Path, target: Path) -> None:
    """The key signs CSRF tokens; the copy is created owner-only before a byte is written."""
    if not source.is_file():
        return
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(source.read_bytes())
