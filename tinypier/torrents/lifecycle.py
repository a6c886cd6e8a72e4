"""What happens to releases when the forum changes their topics and forums.

A release is a forum topic, but the forum knows nothing of releases: it tells every
feature through ``tinypier.web.extensions.TopicLifecycle`` and this is the releases'
answer. The tracker caches each release with who may fetch it, so whenever a topic is
deleted, restored, moved or merged, or its forum's roles change, the tracker must look
the release up again; a forum deleted for good takes its releases and their stored files
along. What happens outside the database (the tracker's notice, a file's removal) is
registered with ``after_commit``: it follows the committed change, never a rolled-back one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial

import aiosqlite
from litestar.datastructures import State

from tinypier.db.connection import Database, after_commit
from tinypier.events import ChangeNotifier
from tinypier.i18n import _, ngettext
from tinypier.torrents.storage import forget_unreferenced, remove_forgotten
from tinypier.web.extensions import TopicLifecycle

_TOPICS_RELEASES = "SELECT id FROM torrents WHERE topic_id IN (SELECT value FROM json_each(?))"
_IN_FORUM = " FROM topics t JOIN torrents tr ON tr.topic_id = t.id WHERE t.forum_id = ?"


def tell_tracker_after_commit(changes: ChangeNotifier, torrent_ids: Sequence[int]) -> None:
    """Once the change commits, the tracker forgets what it cached of these releases."""
    for torrent_id in torrent_ids:
        after_commit(partial(changes.torrent_changed, torrent_id))


async def _ids(connection: aiosqlite.Connection, sql: str, params: tuple[object, ...]) -> list[int]:
    cursor = await connection.execute(sql, params)
    return [int(row[0]) for row in await cursor.fetchall()]


class ReleaseLifecycle(TopicLifecycle):
    """Releases follow their topics: the tracker hears of every change, a merge carries
    the release along, a deleted forum's releases and unshared files go with it."""

    async def topics_changed(
        self, connection: aiosqlite.Connection, topic_ids: Sequence[int], state: State
    ) -> None:
        released = await _ids(connection, _TOPICS_RELEASES, (json.dumps(list(topic_ids)),))
        tell_tracker_after_commit(state.changes, released)

    async def topics_merging(
        self, connection: aiosqlite.Connection, source_id: int, target_id: int, state: State
    ) -> None:
        """The source's release (the merge is refused when both have one) moves to the
        target before the source topic's removal would cascade to it."""
        await connection.execute(
            "UPDATE torrents SET topic_id = ?1, (forum_id, title) ="
            " (SELECT forum_id, title FROM topics WHERE id = ?1) WHERE topic_id = ?2",
            (target_id, source_id),
        )

    async def forum_changing_access(
        self, connection: aiosqlite.Connection, forum_id: int, state: State
    ) -> None:
        tell_tracker_after_commit(
            state.changes, await _ids(connection, "SELECT tr.id" + _IN_FORUM, (forum_id,))
        )

    async def forum_deleting(
        self, connection: aiosqlite.Connection, forum_id: int, state: State
    ) -> None:
        """Delete the forum's releases (read under the write lock, so one uploaded
        meanwhile goes too and the tracker hears of it), then the attachments no other
        release shares; their files are removed once the deletion has committed."""
        cursor = await connection.execute(
            "DELETE FROM torrents WHERE topic_id IN (SELECT id FROM topics WHERE forum_id = ?)"
            " RETURNING id, attachment_id",
            (forum_id,),
        )
        deleted = list(await cursor.fetchall())
        tell_tracker_after_commit(state.changes, [int(row[0]) for row in deleted])
        forgotten = await forget_unreferenced(connection, {int(row[1]) for row in deleted})
        if forgotten:
            db: Database = state.db
            after_commit(partial(remove_forgotten, db, state.settings.attachments_dir, forgotten))

    async def topic_delete_consequences(self, db: Database, topic_id: int) -> list[str]:
        if await db.fetch_one("SELECT 1 FROM torrents WHERE topic_id = ?", (topic_id,)) is None:
            return []
        return [
            _(
                "Its release leaves the tracker page and the tracker stops serving it;"
                " the .torrent file is kept."
            )
        ]

    async def forum_delete_consequences(self, db: Database, forum_id: int) -> list[str]:
        releases = await db.fetch_value("SELECT COUNT(*)" + _IN_FORUM, (forum_id,))
        if not releases:
            return []
        return [
            ngettext(
                "%(num)s release leaves the tracker and its .torrent file is removed.",
                "%(num)s releases leave the tracker and their .torrent files are removed.",
                releases,
            )
        ]

    async def merge_problem(self, db: Database, source_id: int, target_id: int) -> str | None:
        """A topic holds one release: two topics that both have one cannot merge."""
        both = await db.fetch_value(
            "SELECT COUNT(*) FROM torrents WHERE topic_id IN (?, ?)", (source_id, target_id)
        )
        if both < 2:
            return None
        return _(
            "Both topics have a release, and a topic holds one release:"
            " merge a topic without a release instead."
        )


RELEASE_LIFECYCLE = ReleaseLifecycle()
