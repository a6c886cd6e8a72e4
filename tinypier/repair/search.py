"""Rebuilding the full-text search index."""

from __future__ import annotations

import sqlite3

from tinypier.repair.base import Checkpoint, RepairReport, write_transaction


def rebuild_search_index(connection: sqlite3.Connection) -> None:
    """Re-index every post from ``post_search_source`` (migration 0003's FTS5 table)."""
    connection.execute("INSERT INTO post_search (post_search) VALUES ('rebuild')")


def rebuild_search(
    connection: sqlite3.Connection, checkpoint: Checkpoint | None = None
) -> RepairReport:
    """Rebuild the search index from the posts and topic titles.

    Run it when the index changes how it reads text (a new tokenizer or stemmed
    columns), or when it may have drifted from the posts (a database restored from
    pieces, rows changed by hand with the triggers bypassed). One transaction: searches
    keep seeing the old index until the new one commits. Every post is re-indexed, so
    ``changed`` is the number of posts.
    """
    del checkpoint  # one transaction: nothing to resume
    with write_transaction(connection):
        rebuild_search_index(connection)
        posts = int(connection.execute("SELECT COUNT(*) FROM posts").fetchone()[0])
    return RepairReport("search", posts, posts, "posts", "re-indexed")
