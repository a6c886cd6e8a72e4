"""Atom feeds of a forum's newest topics, and the Atom writer the release feeds share
(``tinypier.torrents.feeds``).

Feed readers carry no session, so a feed shows what a guest may view. A member who
wants their own view adds ``?token=<feed token>`` (shown on their profile): the feed is
then built for that member. A token that matches nobody, or a disabled member, gets a
404 rather than a silently smaller guest feed, so the reader reports a broken link and
the member knows to copy the new one. A forum a guest may not view is a 404 without a
token, exactly like a forum that does not exist.

The XML is built with ElementTree, which escapes every text and attribute; characters
XML 1.0 cannot carry are dropped first, because ElementTree would write them as they
are and the reader would reject the whole feed.
"""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, Parameter

from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import GUEST, Viewer
from tinypier.db.connection import Database
from tinypier.forum.post_words import with_post_words
from tinypier.forum.search import topic_path
from tinypier.i18n import _
from tinypier.permissions.grants import load_grants
from tinypier.permissions.rules import can_read
from tinypier.permissions.sql import live_clause
from tinypier.settings import Settings
from tinypier.web.pages import route

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
MAX_TOKEN_LENGTH = 200

_FORUM_FEED_FILE = re.compile(r"^([1-9][0-9]{0,17})\.atom$")
_NOT_XML_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Enclosure:
    """A file the entry offers for download: a member's personal .torrent."""

    url: str
    length: int
    media_type: str = "application/x-bittorrent"


@dataclass(frozen=True)
class FeedEntry:
    topic_id: int
    title: str
    author: str
    published: int
    updated: int
    content_html: str
    summary: str | None = None
    category: str | None = None
    enclosure: Enclosure | None = None
    size: int | None = None


@dataclass(frozen=True)
class Feed:
    title: str
    path: str
    page_path: str
    entries: list[FeedEntry]


def xml_safe(text: str) -> str:
    return _NOT_XML_CHARACTER.sub("", text)


def rfc3339(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {key: xml_safe(value) for key, value in attributes.items()}
    )
    if text is not None:
        element.text = xml_safe(text)
    return element


def _add_entry(feed: ET.Element, base_url: str, entry: FeedEntry) -> None:
    url = base_url + topic_path(entry.topic_id)
    element = _add(feed, "entry")
    _add(element, "id", url)
    _add(element, "title", entry.title, type="text")
    _add(element, "link", rel="alternate", type="text/html", href=url)
    if entry.enclosure is not None:
        enclosure = entry.enclosure
        _add(
            element,
            "link",
            rel="enclosure",
            type=enclosure.media_type,
            length=str(enclosure.length),
            href=enclosure.url,
        )
    _add(element, "published", rfc3339(entry.published))
    _add(element, "updated", rfc3339(entry.updated))
    _add(_add(element, "author"), "name", entry.author)
    if entry.category is not None:
        _add(element, "category", term=entry.category)
    if entry.summary is not None:
        _add(element, "summary", entry.summary, type="text")
    _add(element, "content", entry.content_html, type="html")


def atom_document(settings: Settings, feed: Feed) -> bytes:
    """The feed as Atom 1.0; ``content`` carries the sanitized post HTML with its
    interface words filled in (``with_post_words``), escaped as text."""
    base_url = settings.base_url.rstrip("/")
    root = ET.Element("feed", {"xmlns": ATOM_NAMESPACE})
    _add(root, "id", base_url + feed.path)
    _add(root, "title", f"{settings.site_name} · {feed.title}", type="text")
    _add(root, "link", rel="self", type="application/atom+xml", href=base_url + feed.path)
    _add(root, "link", rel="alternate", type="text/html", href=base_url + feed.page_path)
    newest = max((entry.updated for entry in feed.entries), default=0)
    _add(root, "updated", rfc3339(newest))
    _add(root, "generator", "TinyPier")
    for entry in feed.entries:
        _add_entry(root, base_url, entry)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


async def feed_viewer(db: Database, token: str | None) -> Viewer:
    """Whose view the feed shows: a guest's, or the active member who owns the token."""
    if token is None:
        return GUEST
    row = await db.fetch_one(
        "SELECT id, name, role FROM users WHERE feed_token = ? AND disabled = 0",
        (token[:MAX_TOKEN_LENGTH],),
    )
    if row is None:
        raise NotFoundException(_("This feed link is not valid: copy it again from your profile."))
    return Viewer(
        row["id"], row["name"], Role.parse(row["role"]), grants=await load_grants(db, row["id"])
    )


def _topic_entries(rows: Iterable[sqlite3.Row]) -> list[FeedEntry]:
    return [
        FeedEntry(
            topic_id=row["topic_id"],
            title=row["title"],
            author=row["author"],
            published=row["created_at"],
            updated=max(row["created_at"], row["edited_at"] or 0),
            content_html=with_post_words(row["body_html"] or ""),
            category=row["forum_name"],
        )
        for row in rows
    ]


async def forum_topics(db: Database, forum_id: int, limit: int) -> list[sqlite3.Row]:
    """The forum's newest topics, each with its first post.

    The newest ids are picked from the forum's topic index alone (a sort of integers),
    and only those few topics are then joined to their first post and author.
    """
    return await db.fetch_all(
        "SELECT t.id AS topic_id, t.title, t.created_at, u.name AS author, p.body_html,"  # noqa: S608 - fixed SQL
        " p.edited_at, f.name AS forum_name"
        " FROM (SELECT id FROM topics WHERE forum_id = ? AND"
        f" {live_clause('topics')} ORDER BY id DESC LIMIT ?) AS newest"
        " JOIN topics t ON t.id = newest.id JOIN forums f ON f.id = t.forum_id"
        " JOIN users u ON u.id = t.author_id"
        " LEFT JOIN posts p ON p.id = (SELECT MIN(id) FROM posts WHERE topic_id = t.id)"
        " ORDER BY t.id DESC",
        (forum_id, limit),
    )


def atom_response(settings: Settings, feed: Feed) -> Response[bytes]:
    return Response(content=atom_document(settings, feed), media_type=ATOM_MEDIA_TYPE)


TokenParameter = Annotated[str | None, Parameter(max_length=MAX_TOKEN_LENGTH)]


class FeedsController(Controller):
    path = "/feeds"

    @get("/forums/{feed_file:str}", name="feeds:forum")
    async def forum(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        feed_file: FromPath[str],
        token: TokenParameter = None,
    ) -> Response[bytes]:
        match = _FORUM_FEED_FILE.match(feed_file)
        if match is None:
            raise NotFoundException(_("No such feed."))
        forum_id = int(match.group(1))
        viewer = await feed_viewer(db, token)
        forum = await db.fetch_one(
            "SELECT id, name, view_role FROM forums WHERE id = ?", (forum_id,)
        )
        if forum is None or not can_read(viewer, forum):
            raise NotFoundException(_("No such feed."))
        rows = await forum_topics(db, forum_id, settings.feed_entries)
        feed = Feed(
            forum["name"],
            route(request, "feeds:forum", feed_file=f"{forum_id}.atom"),
            route(request, "forum:forum", forum_id=forum_id),
            _topic_entries(rows),
        )
        return atom_response(settings, feed)
