"""Recounting the stored post counters of topics, forums and members."""

from __future__ import annotations

import sqlite3

from tinypier.repair.base import Checkpoint, RepairReport, write_transaction

# Each statement sets a counter to what the rows say and touches only rows that were
# wrong, so ``changes()`` counts the corrections. Topics come first: forums sum them.
# Deleted topics and posts (0013) count nowhere, as posting keeps them.
_RECOUNT_TOPICS = """
UPDATE topics SET post_count = actual.posts, last_post_id = actual.last_id,
	last_post_at = COALESCE(actual.last_at, topics.last_post_at)
FROM (
	SELECT counted.*, last.created_at AS last_at
	FROM (
		SELECT t.id AS topic_id, COUNT(p.id) AS posts, MAX(p.id) AS last_id
		FROM topics t LEFT JOIN posts p ON p.topic_id = t.id AND p.deleted_at IS NULL
		GROUP BY t.id
	) AS counted LEFT JOIN posts last ON last.id = counted.last_id
) AS actual
WHERE topics.id = actual.topic_id AND (topics.post_count IS NOT actual.posts
	OR topics.last_post_id IS NOT actual.last_id
	OR topics.last_post_at IS NOT COALESCE(actual.last_at, topics.last_post_at))
"""
_RECOUNT_FORUMS = """
UPDATE forums SET topic_count = actual.topics, post_count = actual.posts,
	last_post_id = actual.last_id
FROM (
	SELECT f.id AS forum_id, COUNT(t.id) AS topics, COALESCE(SUM(t.post_count), 0) AS posts,
		MAX(t.last_post_id) AS last_id
	FROM forums f LEFT JOIN topics t ON t.forum_id = f.id AND t.deleted_at IS NULL
	GROUP BY f.id
) AS actual
WHERE forums.id = actual.forum_id AND (forums.topic_count IS NOT actual.topics
	OR forums.post_count IS NOT actual.posts OR forums.last_post_id IS NOT actual.last_id)
"""
_RECOUNT_MEMBERS = """
UPDATE users SET post_count = actual.posts
FROM (
	SELECT u.id AS user_id, COUNT(p.id) AS posts
	FROM users u LEFT JOIN posts p ON p.author_id = u.id AND p.deleted_at IS NULL
		AND EXISTS (SELECT 1 FROM topics t WHERE t.id = p.topic_id AND t.deleted_at IS NULL)
	GROUP BY u.id
) AS actual
WHERE users.id = actual.user_id AND users.post_count IS NOT actual.posts
"""


def recount_counters(
    connection: sqlite3.Connection, checkpoint: Checkpoint | None = None
) -> RepairReport:
    """Recount the post counters pages read instead of counting: each topic's posts and
    last post, each forum's topics, posts and last post, each member's posts.

    Posting keeps them right in the same transaction; run this after an import, a
    restore from pieces or rows changed by hand. Torrents' seeders and leechers are the
    tracker's to keep (it rewrites them from its swarms) and are left alone.
    """
    del checkpoint  # one transaction: nothing to resume
    with write_transaction(connection):
        changed = sum(
            connection.execute(statement).rowcount
            for statement in (_RECOUNT_TOPICS, _RECOUNT_FORUMS, _RECOUNT_MEMBERS)
        )
        examined = int(
            connection.execute(
                "SELECT (SELECT COUNT(*) FROM topics) + (SELECT COUNT(*) FROM forums)"
                " + (SELECT COUNT(*) FROM users)"
            ).fetchone()[0]
        )
    return RepairReport("recount", examined, changed, "topics, forums and members")
