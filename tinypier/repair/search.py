"""Rebuilding the full-text search index."""

from __future__ import annotations

import sqlite3

from tinypier.repair.base import Checkpoint, RepairReport, write_transaction
from tinypier.word_forms import refill_search_indexes


def rebuild_search(
    connection: sqlite3.Connection, checkpoint: Checkpoint | None = None
) -> RepairReport:
    """Rebuild the search indexes from the posts, topic titles and release titles.

    Run it when the index changes how it reads text (a new tokenizer or stemmed
    columns), or when it may have drifted from the posts (a database restored from
    pieces, rows changed by hand with the triggers bypassed). One transaction: searches
    keep seeing the old index until the new one commits. Every post is re-indexed, so
    ``changed`` is the number of posts.
    """
    del checkpoint  # one transaction: nothing to resume
    with write_transaction(connection):
        refill_search_indexes(connection)
        posts = int(connection.execute("SELECT COUNT(*) FROM posts").fetchone()[0])
    return RepairReport("search", posts, posts, "posts", "re-indexed")
