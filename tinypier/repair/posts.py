"""Re-rendering stored post HTML from its BBCode source."""

from __future__ import annotations

import sqlite3

from tinypier.forum.bbcode import render_bbcode
from tinypier.repair.base import Checkpoint, RepairReport, write_transaction

# Posts per transaction: a batch is rendered before its transaction opens, so the write
# lock is held only for the UPDATEs of a few hundred rows (milliseconds).
RERENDER_BATCH_POSTS = 200


def rerender_posts(
    connection: sqlite3.Connection, checkpoint: Checkpoint | None = None
) -> RepairReport:
    """Re-render every post's HTML from its BBCode source with today's renderer.

    Run it when the renderer changes what it stores: after the upgrade that took the
    interface words ("wrote:", "Spoiler") out of stored HTML, after an import, or after
    a sanitizer fix, so old posts get what new ones get. Posts are read in id order, in
    batches; a post edited while its batch renders keeps the HTML its edit stored.
    """
    checkpoint = checkpoint or Checkpoint()
    examined = changed = 0
    while batch := connection.execute(
        "SELECT id, body, body_html FROM posts WHERE id > ? ORDER BY id LIMIT ?",
        (checkpoint.position, RERENDER_BATCH_POSTS),
    ).fetchall():
        updates = [
            (html, row["id"], row["body"])
            for row in batch
            if (html := render_bbcode(row["body"])) != row["body_html"]
        ]
        with write_transaction(connection):
            for update in updates:
                changed += connection.execute(
                    "UPDATE posts SET body_html = ? WHERE id = ? AND body = ?", update
                ).rowcount
            checkpoint.advance(connection, batch[-1]["id"])
        examined += len(batch)
    return RepairReport("rerender", examined, changed, "posts")
