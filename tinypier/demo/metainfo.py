"""Real v1 .torrent files for demo releases, built from content generated on the spot.

The content is random bytes from a seeded generator, so a seed gives the same files and
the same info hashes on every run: a client given the same content (see
:func:`content_of`) can verify and seed it. The pieces are the SHA-1 of that content, as
any client computes them; only the sizes are kept small, so a board fills in seconds.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

import bencodepy

PIECE_LENGTH = 16 * 1024
CREATED_BY = b"tinypier demo"


@dataclass(frozen=True)
class DemoFile:
    """One file of a release: its path below the torrent's name, and its size in bytes."""

    path: tuple[str, ...]
    size: int


@dataclass(frozen=True)
class DemoContent:
    """A release's content: a single file (``files`` holds one entry with an empty path)
    or a folder of files."""

    name: str
    files: tuple[DemoFile, ...]
    seed: int

    @property
    def single_file(self) -> bool:
        return len(self.files) == 1 and not self.files[0].path


def content_of(content: DemoContent) -> bytes:
    """The bytes of all files, one after the other, as v1 pieces hash them."""
    total = sum(file.size for file in content.files)
    return random.Random(content.seed).randbytes(total)


def _pieces(data: bytes) -> bytes:
    return b"".join(
        hashlib.sha1(data[start : start + PIECE_LENGTH], usedforsecurity=False).digest()
        for start in range(0, len(data), PIECE_LENGTH)
    )


def build_torrent(content: DemoContent, creation_date: int) -> bytes:
    """The bencoded metainfo of ``content`` (v1, private, no announce: the site adds its
    own with each member's passkey)."""
    info: dict[bytes, object] = {
        b"name": content.name.encode(),
        b"piece length": PIECE_LENGTH,
        b"pieces": _pieces(content_of(content)),
        b"private": 1,
    }
    if content.single_file:
        info[b"length"] = content.files[0].size
    else:
        info[b"files"] = [
            {b"length": file.size, b"path": [part.encode() for part in file.path]}
            for file in content.files
        ]
    encoded: bytes = bencodepy.encode(
        {b"created by": CREATED_BY, b"creation date": creation_date, b"info": info}
    )
    return encoded
