"""The real .torrent files made by mktorrent, transmission-create and libtorrent.

Copied from the team's shared folder into the repository so that CI, which runs from a
fresh clone, always has them: the tests that use them are the proof that real tools'
files work, so they must never skip for want of the files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).parent / "data" / "torrents"
MANIFEST: list[dict[str, Any]] = json.loads((SAMPLES_DIR / "manifest.json").read_text())


def sample(file_name: str) -> bytes:
    return (SAMPLES_DIR / file_name).read_bytes()
