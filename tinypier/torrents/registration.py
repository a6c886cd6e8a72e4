"""Registering a release: one checked .torrent becomes a topic, a stored file and a row.

Everything happens in one write transaction, with the .torrent written to the store
before it commits; a refusal at any step leaves no topic, post, torrent, attachment row
or file behind. The page and the API both come through here, so they refuse the same
things with the same words. The tracker, which admits a hash only once it knows it, is
told of the new release with ``after_commit``: once the release is committed, never for
one that rolled back.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import aiosqlite
from litestar.exceptions import NotFoundException, PermissionDeniedException

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.events import ChangeNotifier
from tinypier.forum.posting import body_problem, insert_topic, title_problem
from tinypier.i18n import _
from tinypier.permissions.rules import can_upload_release, can_view
from tinypier.settings import Settings
from tinypier.torrents.lifecycle import tell_tracker_after_commit
from tinypier.torrents.metainfo import (
    InvalidTorrent,
    ParsedTorrent,
    check_web_seeds,
    make_private,
    parse_torrent,
)
from tinypier.torrents.releases import topic_path
from tinypier.torrents.storage import StoredFile, attachment_row_id, discard, store_bytes
from tinypier.web.extensions import NO_POST_HOOKS, PostHooks


class ReleaseRefused(ValueError):
    """A release the site will not register; the message is meant for the uploader."""

    def __init__(self, message: str, existing_topic_id: int | None = None) -> None:
        super().__init__(message)
        self.existing_topic_id = existing_topic_id

    @property
    def existing_path(self) -> str | None:
        return None if self.existing_topic_id is None else topic_path(self.existing_topic_id)


@dataclass(frozen=True)
class ReleaseUpload:
    """What an uploader sends, from the form or the API."""

    forum_id: int
    uploader_id: int
    title: str
    description: str
    torrent: bytes
    # Keep the torrent's web seeds in members' copies (see metainfo.personalise).
    web_seeds: bool = False


@dataclass(frozen=True)
class RegisteredRelease:
    topic_id: int
    torrent_id: int
    info_hash_v1: bytes | None
    info_hash_v2: bytes | None
    made_private: bool


async def release_forum(db: Database, viewer: Viewer, forum_id: int) -> sqlite3.Row:
    """The forum a release is posted to, after checking the viewer may post one there."""
    forum = await db.fetch_one("SELECT * FROM forums WHERE id = ?", (forum_id,))
    if forum is None or not can_view(viewer, forum):
        raise NotFoundException(_("There is no such forum."))
    if not forum["allows_releases"]:
        raise PermissionDeniedException(_("This forum does not take releases."))
    if not can_upload_release(viewer, forum):
        raise PermissionDeniedException(_("You may not post releases in this forum."))
    return forum


def checked_torrent(
    data: bytes, max_size: int, web_seeds: bool = False
) -> tuple[ParsedTorrent, bool]:
    """The torrent as the site registers it, and whether the site had to make it private.

    A public torrent would leak the swarm to DHT and PEX; setting the flag changes the
    info hash, so the uploader has to seed the site's copy, not their own. Web seeds the
    uploader chose to keep must all be http(s) URLs.
    """
    try:
        parsed = parse_torrent(data, max_size)
        if web_seeds:
            check_web_seeds(data)
        if parsed.private:
            return parsed, False
        return parse_torrent(make_private(data)), True
    except InvalidTorrent as error:
        raise ReleaseRefused(str(error)) from None


async def register_release(
    db: Database,
    attachments_dir: Path,
    upload: ReleaseUpload,
    max_size: int,
    *,
    max_body_chars: int,
    hooks: PostHooks = NO_POST_HOOKS,
    changes: ChangeNotifier | None = None,
) -> RegisteredRelease:
    """Register one release; ``changes`` is the tracker to tell once it has committed
    (None where no tracker runs yet: a board seeded before it serves)."""
    problem = title_problem(upload.title) or body_problem(upload.description, max_body_chars)
    if problem:
        raise ReleaseRefused(problem)
    parsed, made_private = checked_torrent(upload.torrent, max_size, upload.web_seeds)
    stored: StoredFile | None = None
    try:
        async with db.transaction() as connection:
            await _refuse_registered(connection, parsed)
            stored = await asyncio.to_thread(store_bytes, attachments_dir, parsed.raw)
            attachment_id = await attachment_row_id(connection, stored, len(parsed.raw))
            topic = await insert_topic(
                connection,
                upload.forum_id,
                upload.uploader_id,
                upload.title,
                upload.description,
                hooks,
            )
            torrent_id = await _insert_torrent(
                connection, upload, parsed, topic.topic_id, attachment_id
            )
            if changes is not None:
                tell_tracker_after_commit(changes, [torrent_id])
    except BaseException:
        discard(stored)
        raise
    return RegisteredRelease(
        topic.topic_id, torrent_id, parsed.info_hash_v1, parsed.info_hash_v2, made_private
    )


async def register_on_board(
    db: Database,
    settings: Settings,
    upload: ReleaseUpload,
    hooks: PostHooks = NO_POST_HOOKS,
    changes: ChangeNotifier | None = None,
) -> RegisteredRelease:
    """Register under the board's own limits (its store, .torrent size and post length)."""
    return await register_release(
        db,
        settings.attachments_dir,
        upload,
        settings.upload_size_limit,
        max_body_chars=settings.post_max_chars,
        hooks=hooks,
        changes=changes,
    )


async def publish_release(
    db: Database,
    settings: Settings,
    changes: ChangeNotifier,
    upload: ReleaseUpload,
    hooks: PostHooks = NO_POST_HOOKS,
) -> RegisteredRelease:
    """Register and tell the tracker once the release has committed; the release's
    opening post runs the features' ``post_published`` hooks like any topic's."""
    return await register_on_board(db, settings, upload, hooks, changes)


async def _refuse_registered(connection: aiosqlite.Connection, parsed: ParsedTorrent) -> None:
    cursor = await connection.execute(
        "SELECT topic_id FROM torrents WHERE info_hash = ? OR info_hash_v2 = ?",
        (parsed.info_hash_v1, parsed.info_hash_v2),
    )
    row = await cursor.fetchone()
    if row is not None:
        raise ReleaseRefused(
            _("This torrent is already registered on this site."), existing_topic_id=row[0]
        )


async def _insert_torrent(
    connection: aiosqlite.Connection,
    upload: ReleaseUpload,
    parsed: ParsedTorrent,
    topic_id: int,
    attachment_id: int,
) -> int:
    files = json.dumps([[file.path, file.size] for file in parsed.files], ensure_ascii=False)
    cursor = await connection.execute(
        "INSERT INTO torrents (topic_id, attachment_id, uploader_id, info_hash, info_hash_v2,"
        " name, total_size, file_count, files_json, piece_length, status, freeleech,"
        " created_at, seeders, leechers, completed, forum_id, title, web_seeds_enabled)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'not_checked', 'none', ?, 0, 0, 0, ?, ?, ?)",
        (
            topic_id,
            attachment_id,
            upload.uploader_id,
            parsed.info_hash_v1,
            parsed.info_hash_v2,
            parsed.name,
            parsed.total_size,
            len(parsed.files),
            files,
            parsed.piece_length,
            int(time.time()),
            upload.forum_id,
            upload.title.strip(),
            upload.web_seeds,
        ),
    )
    return cursor.lastrowid or 0
