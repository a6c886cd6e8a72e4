"""The release shown on top of a topic page: the seam between forum pages and releases.

The forum's topic page calls :func:`release_for_topic` and, when it returns something,
includes ``torrents/topic_block.html`` with it as ``release``. The forum never reads
tracker tables itself.
"""

from __future__ import annotations

import sqlite3

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database


async def release_for_topic(db: Database, viewer: Viewer, topic_id: int) -> sqlite3.Row | None:
    """The torrent row of a release topic, or None for an ordinary topic."""
    return await db.fetch_one("SELECT * FROM torrents WHERE topic_id = ?", (topic_id,))
