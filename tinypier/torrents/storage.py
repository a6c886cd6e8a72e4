"""The .torrent store: files named by their SHA-256 under the data directory.

A file is written (to a temporary name, then renamed into place) BEFORE the row that
points at it commits, so a reader or a backup never sees a row without its file; and if
anything fails before the commit, the file this attempt created is removed again, so a
refused upload leaves neither a row nor an orphan file. Callers hold the database's write
lock while storing, which makes "did this file already exist?" a question nobody else
can change the answer to.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tinypier.attachments import attachment_path


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    path: Path
    created: bool


def store_bytes(attachments_dir: Path, data: bytes) -> StoredFile:
    """Put ``data`` in the store; ``created`` says whether this call made the file."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = attachment_path(attachments_dir, sha256)
    if path.is_file():
        return StoredFile(sha256, path, created=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=attachments_dir, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return StoredFile(sha256, path, created=True)


def discard(stored: StoredFile | None) -> None:
    """Undo :func:`store_bytes` after a failed registration, keeping files others use."""
    if stored is not None and stored.created:
        stored.path.unlink(missing_ok=True)


def read_stored(attachments_dir: Path, sha256: str) -> bytes:
    return attachment_path(attachments_dir, sha256).read_bytes()
