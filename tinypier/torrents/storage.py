"""The .torrent store: files named by their SHA-256 under the data directory.

A file is written (to a temporary name, then renamed into place) BEFORE the row that
points at it commits, so a reader or a backup never sees a row without its file; and if
anything fails before the commit, the file this attempt created is removed again, so a
refused upload leaves neither a row nor an orphan file. Callers hold the database's write
lock while storing, which makes "did this file already exist?" a question nobody else
can change the answer to.

Deleting is the same order backwards: the transaction that deletes the last release of a
file deletes its attachment row too (:func:`forget_unreferenced`), and only once that has
committed is the file removed (:func:`remove_forgotten`). A crash in between leaves a file
no row refers to, which ``tinypier check`` reports; never a row without its file.

A process killed while writing leaves a temporary file (never acknowledged: the row
commits after the rename); the server removes those when it starts
(:func:`remove_interrupted_uploads`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from tinypier.attachments import TEMPORARY_UPLOAD_PREFIX, attachment_path, temporary_uploads
from tinypier.db.connection import Database

logger = logging.getLogger("tinypier")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    path: Path
    created: bool


def store_bytes(attachments_dir: Path, data: bytes, *, durable: bool = True) -> StoredFile:
    """Put ``data`` in the store; ``created`` says whether this call made the file.

    ``durable=False`` skips the per-file fsync for a caller that stores many files and
    then syncs them all at once (an import: ``os.sync()`` before its batch commits)."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = attachment_path(attachments_dir, sha256)
    if path.is_file():
        return StoredFile(sha256, path, created=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=attachments_dir, prefix=TEMPORARY_UPLOAD_PREFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return StoredFile(sha256, path, created=True)


async def attachment_row_id(connection: aiosqlite.Connection, stored: StoredFile, size: int) -> int:
    """Inside the transaction that stores a file: its attachment row, reused when one of
    the same content exists (a deleted release or a replaced image left it behind)."""
    cursor = await connection.execute(
        "INSERT INTO attachments (sha256, size, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (sha256) DO UPDATE SET size = excluded.size RETURNING id",
        (stored.sha256, size, int(time.time())),
    )
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


def discard(stored: StoredFile | None) -> None:
    """Undo :func:`store_bytes` after a failed registration, keeping files others use."""
    if stored is not None and stored.created:
        stored.path.unlink(missing_ok=True)


def read_stored(attachments_dir: Path, sha256: str) -> bytes:
    return attachment_path(attachments_dir, sha256).read_bytes()


async def forget_unreferenced(
    connection: aiosqlite.Connection, attachment_ids: Collection[int]
) -> list[str]:
    """Inside the transaction that deleted releases: delete the attachment rows among
    ``attachment_ids`` that no release refers to any more. Returns their digests, whose
    files :func:`remove_forgotten` removes once the transaction has committed."""
    if not attachment_ids:
        return []
    cursor = await connection.execute(
        "DELETE FROM attachments WHERE id IN (SELECT value FROM json_each(?))"
        " AND NOT EXISTS (SELECT 1 FROM torrents WHERE attachment_id = attachments.id)"
        " RETURNING sha256",
        (json.dumps(list(attachment_ids)),),
    )
    return [str(row[0]) for row in await cursor.fetchall()]


async def remove_forgotten(db: Database, attachments_dir: Path, digests: Collection[str]) -> None:
    """Remove the files of attachment rows that a committed transaction deleted.

    Runs under the write lock, which an upload holds while it stores: an upload of the
    same content either finished before (and its row brought the digest back, so the file
    is kept) or stores it afresh after."""
    if not digests:
        return
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "SELECT sha256 FROM attachments WHERE sha256 IN (SELECT value FROM json_each(?))",
            (json.dumps(list(digests)),),
        )
        referenced = {row[0] for row in await cursor.fetchall()}
        paths = [attachment_path(attachments_dir, sha) for sha in digests if sha not in referenced]
        await asyncio.to_thread(_unlink_all, paths)


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def remove_interrupted_uploads(attachments_dir: Path) -> list[Path]:
    """At startup, before this process stores anything: every temporary upload file left
    is from an upload a crash interrupted, which no member was told had succeeded. One
    server per data directory is the rule (the tracker's swarms live in its memory), so
    no other process is writing one. Returns the files removed."""
    removed = temporary_uploads(attachments_dir)
    for path in removed:
        path.unlink(missing_ok=True)
        logger.warning("removed %s, left by an upload interrupted before it was stored", path)
    return removed
