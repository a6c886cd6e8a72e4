"""Where attachment files live on disk: named by their SHA-256, never by what a user typed.

Files are content-addressed and immutable, and each is written to disk BEFORE the row that
references it commits. Backups and ``tinypier check`` rely on that order: any row a reader
can see has its file in place already.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tinypier.settings import Settings

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# An upload is written under this prefix in the attachments directory itself, then renamed
# to its digest. A file still so named was never acknowledged: the release's row commits
# only after the rename.
TEMPORARY_UPLOAD_PREFIX = ".upload-"


def attachment_path(settings_or_dir: Settings | Path, sha256: str) -> Path:
    """``attachments_dir / sha256[:2] / sha256``: two-level fan-out keeps directories small.

    Only a lowercase hex digest is accepted, so a value from the database or a request can
    never point outside the attachments directory.
    """
    if not _SHA256_HEX.match(sha256):
        raise ValueError(f"not a lowercase hex SHA-256 digest: {sha256!r}")
    if isinstance(settings_or_dir, Settings):
        settings_or_dir = settings_or_dir.attachments_dir
    return settings_or_dir / sha256[:2] / sha256


def is_stored_attachment(attachments_dir: Path, path: Path) -> bool:
    """Is ``path`` a file stored under its digest? An upload still being written to a
    temporary name, or anything else put in the directory, is not."""
    try:
        return path.is_file() and attachment_path(attachments_dir, path.name) == path
    except ValueError:
        return False


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file, streamed so a large attachment never sits in memory."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def temporary_uploads(attachments_dir: Path) -> list[Path]:
    """Files of uploads being written, or interrupted before their rename."""
    return sorted(
        path for path in attachments_dir.glob(TEMPORARY_UPLOAD_PREFIX + "*") if path.is_file()
    )
