"""Moderators' verdicts on releases: status and freeleech, each change logged.

The row and its log entry are written in one transaction, and the tracker, which caches
the release, is told with ``after_commit`` (``changes.torrent_changed``): a committed
change always reaches it, so a frozen release stops announcing at once, and a rolled-back
one never does. Each entry carries the release's forum, so the log shows it only to
those who may view it.
"""

from __future__ import annotations

import time

import aiosqlite
from litestar.exceptions import NotFoundException, ValidationException

from tinypier.db.connection import Database
from tinypier.events import ChangeNotifier
from tinypier.forum.log_sentences import register_actions
from tinypier.forum.moderation_log import log_action
from tinypier.i18n import N_, _
from tinypier.notifications.notify import Delivery, on_release_status
from tinypier.release_statuses import FREELEECH_LABELS, STATUS_LABELS
from tinypier.torrents.lifecycle import tell_tracker_after_commit

register_actions(
    {
        "release_status": N_(
            "%(actor)s set the status of release %(target)s to %(now)s (was %(was)s)"
        ),
        "release_freeleech": N_("%(actor)s marked release %(target)s %(now)s (was %(was)s)"),
    },
    {"release_status": STATUS_LABELS, "release_freeleech": FREELEECH_LABELS},
)


async def _current(
    connection: aiosqlite.Connection, torrent_id: int, column: str
) -> tuple[str, int]:
    """The value a change replaces, and the forum the release lies in."""
    cursor = await connection.execute(
        f"SELECT {column}, forum_id FROM torrents WHERE id = ?",  # noqa: S608 - our column names
        (torrent_id,),
    )
    row = await cursor.fetchone()
    if row is None:
        raise NotFoundException(_("There is no such release."))
    return row[0], row[1]


async def set_status(
    db: Database,
    actor_id: int,
    torrent_id: int,
    status: str,
    delivery: Delivery | None = None,
    *,
    changes: ChangeNotifier,
) -> None:
    """Record who set the status and when, since the topic shows both; a new status is
    notified to the uploader (``tinypier.notifications``) when a ``delivery`` is given."""
    if status not in STATUS_LABELS:
        raise ValidationException(_("Unknown release status %(status)r.", status=status))
    async with db.transaction() as connection:
        was, forum_id = await _current(connection, torrent_id, "status")
        await connection.execute(
            "UPDATE torrents SET status = ?, status_by = ?, status_at = ? WHERE id = ?",
            (status, actor_id, int(time.time()), torrent_id),
        )
        tell_tracker_after_commit(changes, [torrent_id])
        await log_action(
            connection, actor_id, "release_status", "torrent", torrent_id,
            f"{was} -> {status}", forum_id=forum_id,
        )  # fmt: skip
        if delivery is not None and was != status:
            await on_release_status(connection, delivery, torrent_id, actor_id, status)


async def set_freeleech(
    db: Database, actor_id: int, torrent_id: int, level: str, *, changes: ChangeNotifier
) -> None:
    if level not in FREELEECH_LABELS:
        raise ValidationException(_("Unknown freeleech level %(level)r.", level=level))
    async with db.transaction() as connection:
        was, forum_id = await _current(connection, torrent_id, "freeleech")
        await connection.execute(
            "UPDATE torrents SET freeleech = ? WHERE id = ?", (level, torrent_id)
        )
        tell_tracker_after_commit(changes, [torrent_id])
        await log_action(
            connection, actor_id, "release_freeleech", "torrent", torrent_id,
            f"{was} -> {level}", forum_id=forum_id,
        )  # fmt: skip
