"""Finding one release with what every page about it needs: its topic, forum and file.

Every route that acts on a release (download, moderation, the topic block, the API)
starts here, so the same visibility rule applies everywhere: a release in a forum the
viewer may not see does not exist for that viewer (404, never 403, which would confirm
that it exists).
"""

from __future__ import annotations

import sqlite3

from litestar.exceptions import NotFoundException

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import _
from tinypier.permissions.rules import can_view_topic
from tinypier.settings import Settings
from tinypier.thanks.queries import THANKS_COUNT_COLUMN
from tinypier.web import urls

_RELEASE_SQL = (
    f"SELECT {THANKS_COUNT_COLUMN},"  # noqa: S608 - a constant column
    " t.*, tp.title AS topic_title, tp.forum_id AS topic_forum_id, f.name AS forum_name,"
    " tp.deleted_at, NULL AS topic_deleted_at,"
    " f.view_role, f.download_role, a.sha256, u.name AS uploader_name,"
    " m.name AS status_by_name"
    " FROM torrents t"
    " JOIN topics tp ON tp.id = t.topic_id"
    " JOIN forums f ON f.id = tp.forum_id"
    " JOIN attachments a ON a.id = t.attachment_id"
    " JOIN users u ON u.id = t.uploader_id"
    " LEFT JOIN users m ON m.id = t.status_by"
)


def topic_path(topic_id: int) -> str:
    return urls.path("forum:topic", topic_id=topic_id)


def topic_url(settings: Settings, topic_id: int) -> str:
    return settings.base_url.rstrip("/") + topic_path(topic_id)


def download_path(torrent_id: int) -> str:
    return urls.path("torrents:download", torrent_id=torrent_id)


async def release_by_topic(db: Database, topic_id: int) -> sqlite3.Row | None:
    return await db.fetch_one(_RELEASE_SQL + " WHERE t.topic_id = ?", (topic_id,))


async def visible_release(db: Database, viewer: Viewer, torrent_id: int) -> sqlite3.Row:
    """The release, or 404 when it does not exist, lies in a forum hidden from the viewer,
    or its topic was deleted (moderators still reach it, to restore)."""
    release = await db.fetch_one(_RELEASE_SQL + " WHERE t.id = ?", (torrent_id,))
    if release is None or not can_view_topic(viewer, release):
        raise NotFoundException(_("There is no such release."))
    return release
