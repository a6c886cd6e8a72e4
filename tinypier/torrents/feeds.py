"""Autodownload feeds: the newest releases as Atom and RSS 2.0, with a personal .torrent each.

A BitTorrent client's RSS downloader (qBittorrent, autobrr-style tools) carries no
session, so a member's feed URL holds their feed token, never the passkey. With the
token, the feed lists only releases the member may download, and each entry's
``enclosure`` points at ``/feeds/torrents/<id>/download.torrent?token=...``, which
serves exactly the member's copy that the release page's download button serves
(``torrent_download``: passkey inside, the same refusals). The enclosure's length is
that copy's size, so a client that checks it sees what it gets. Without a token the
feed is a guest's: viewable, unfrozen releases linking to their topics, no enclosure.

The feeds take the /tracker page's filter parameters (``forum``, ``category``, ``q``,
``freeleech``, ...), always newest first, at most ``feed_entries`` releases.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.types import ControllerRouterHandler

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.feeds import (
    ATOM_MEDIA_TYPE,
    Enclosure,
    Feed,
    FeedEntry,
    TokenParameter,
    atom_document,
    feed_viewer,
    xml_safe,
)
from tinypier.forum.post_words import with_post_words
from tinypier.i18n import _
from tinypier.permissions.sql import downloadable_releases_clause, open_releases_clause
from tinypier.settings import Settings
from tinypier.torrents.download import member_copy, torrent_download
from tinypier.torrents.listing import ReleaseFilters, list_releases
from tinypier.torrents.releases import topic_url
from tinypier.web.formatting import human_size
from tinypier.web.pages import route

ViewerRequest = Request[Viewer, Any, Any]
AnyRequest = Request[Any, Any, Any]
RSS_MEDIA_TYPE = "application/rss+xml; charset=utf-8"
# The ezRSS torrent namespace: autobrr-style tools read the release size from it, since
# the enclosure's length is the .torrent file's.
TORRENT_NAMESPACE = "http://xmlns.ezrss.it/0.1/"
ATOM_ROUTE = "feeds:releases"
RSS_ROUTE = "feeds:releases_rss"
DOWNLOAD_ROUTE = "feeds:torrent"


def feed_filters(query: dict[str, str]) -> ReleaseFilters:
    """The /tracker filters, always newest first from the first release: a feed has no pages."""
    return replace(ReleaseFilters.from_query(query), sort="added", descending=True, page=1)


def feed_url(request: AnyRequest, name: str, token: str, filters: ReleaseFilters) -> str:
    """A member's feed URL for these filters; pages show it for the member to copy."""
    settings: Settings = request.app.state.settings
    query = {**filters.query(sort="added", descending=True, page=1), "token": token}
    return settings.base_url.rstrip("/") + route(request, name, query=query)


def release_feed_links(request: AnyRequest, token: str, filters: ReleaseFilters) -> dict[str, str]:
    """The RSS and Atom URLs of the member's feed for these filters."""
    return {
        "rss": feed_url(request, RSS_ROUTE, token, filters),
        "atom": feed_url(request, ATOM_ROUTE, token, filters),
    }


async def member_feed_links(
    request: AnyRequest, db: Database, viewer: Viewer, filters: ReleaseFilters
) -> dict[str, str] | None:
    """The viewer's feed URLs for these filters, or None for a guest (who has no token)."""
    if not viewer.is_member:
        return None
    token: str = await db.fetch_value("SELECT feed_token FROM users WHERE id = ?", (viewer.id,))
    return release_feed_links(request, token, filters)


async def _release_details(db: Database, ids: list[int]) -> dict[int, sqlite3.Row]:
    """The stored file and first post of each listed release, in one query over their ids."""
    if not ids:
        return {}
    placeholders = ", ".join("?" for _ in ids)
    rows = await db.fetch_all(
        "SELECT r.id, a.sha256, p.body_html, p.edited_at FROM torrents r"  # noqa: S608 - placeholders only
        " JOIN attachments a ON a.id = r.attachment_id"
        " LEFT JOIN posts p ON p.id = (SELECT MIN(id) FROM posts WHERE topic_id = r.topic_id)"
        f" WHERE r.id IN ({placeholders})",
        ids,
    )
    return {row["id"]: row for row in rows}


async def feed_releases(
    db: Database, viewer: Viewer, filters: ReleaseFilters, limit: int
) -> list[sqlite3.Row]:
    """What the feed lists: for a member, releases they may download; for a guest, the
    viewable releases nobody froze (they link to topics only)."""
    restriction = (
        downloadable_releases_clause(viewer, "f", "t")
        if viewer.is_member
        else open_releases_clause("t")
    )
    page = await list_releases(db, viewer, filters, limit, restriction)
    return page.rows


def _download_url(request: ViewerRequest, torrent_id: int, token: str) -> str:
    settings: Settings = request.app.state.settings
    path = route(request, DOWNLOAD_ROUTE, query={"token": token}, torrent_id=torrent_id)
    return settings.base_url.rstrip("/") + path


async def feed_entries(
    request: ViewerRequest, db: Database, settings: Settings, token: str | None
) -> list[FeedEntry]:
    """The entries of the feed the request asks for; with a token each carries the
    member's personal .torrent as enclosure, its length measured on the copy itself."""
    viewer = await feed_viewer(db, token)
    filters = feed_filters(dict(request.query_params))
    rows = await feed_releases(db, viewer, filters, settings.feed_entries)
    details = await _release_details(db, [row["id"] for row in rows])
    passkey: str | None = None
    if token is not None:
        passkey = await db.fetch_value("SELECT passkey FROM users WHERE id = ?", (viewer.id,))
    entries = []
    for row in rows:
        detail = details[row["id"]]
        enclosure = None
        if token is not None and passkey is not None:
            release = {**dict(row), "sha256": detail["sha256"]}
            enclosure = Enclosure(
                _download_url(request, row["id"], token),
                # The very file the link serves, so the length cannot drift from it.
                len(member_copy(settings, release, passkey)),
            )
        entries.append(
            FeedEntry(
                topic_id=row["topic_id"],
                title=row["title"],
                author=row["uploader_name"],
                published=row["created_at"],
                updated=max(row["created_at"], detail["edited_at"] or 0),
                content_html=with_post_words(detail["body_html"] or ""),
                summary=_(
                    "%(size)s in %(forum)s",
                    size=human_size(row["total_size"]),
                    forum=row["forum_name"],
                ),
                category=row["forum_name"],
                enclosure=enclosure,
                size=row["total_size"],
            )
        )
    return entries


def _rfc822(timestamp: int) -> str:
    return format_datetime(datetime.fromtimestamp(timestamp, UTC), usegmt=True)


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = xml_safe(text)
    return element


def _rss_item(channel: ET.Element, settings: Settings, entry: FeedEntry) -> None:
    """An RSS 2.0 item as clients' RSS downloaders read it: ``link`` and ``enclosure``
    both lead to the .torrent, ``guid`` is the topic (stable across token changes)."""
    page = topic_url(settings, entry.topic_id)
    item = ET.SubElement(channel, "item")
    _text(item, "title", entry.title)
    _text(item, "link", entry.enclosure.url if entry.enclosure is not None else page)
    _text(item, "guid", page, isPermaLink="true")
    _text(item, "comments", page)
    _text(item, "pubDate", _rfc822(entry.published))
    if entry.category is not None:
        _text(item, "category", entry.category)
    _text(item, "description", entry.summary or "")
    if entry.size is not None:
        _text(item, f"{{{TORRENT_NAMESPACE}}}contentLength", str(entry.size))
    if entry.enclosure is not None:
        ET.SubElement(
            item,
            "enclosure",
            {
                "url": xml_safe(entry.enclosure.url),
                "length": str(entry.enclosure.length),
                "type": entry.enclosure.media_type,
            },
        )


def rss_document(settings: Settings, feed: Feed, self_url: str) -> bytes:
    """The feed as RSS 2.0 (with an ``atom:link rel=self``, as validators ask)."""
    ET.register_namespace("torrent", TORRENT_NAMESPACE)
    ET.register_namespace("atom", "http://www.w3.org/2005/Atom")
    base_url = settings.base_url.rstrip("/")
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    _text(channel, "title", f"{settings.site_name} · {feed.title}")
    _text(channel, "link", base_url + feed.page_path)
    _text(channel, "description", feed.title)
    ET.SubElement(
        channel,
        "{http://www.w3.org/2005/Atom}link",
        {"href": xml_safe(self_url), "rel": "self", "type": "application/rss+xml"},
    )
    newest = max((entry.updated for entry in feed.entries), default=0)
    _text(channel, "lastBuildDate", _rfc822(newest))
    _text(channel, "generator", "TinyPier")
    for entry in feed.entries:
        _rss_item(channel, settings, entry)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _feed_response(content: bytes, media_type: str, token: str | None) -> Response[bytes]:
    # A member's feed holds their token in every link: no shared cache may keep it.
    headers = {"Cache-Control": "private, no-store"} if token is not None else {}
    return Response(content=content, media_type=media_type, headers=headers)


def _feed(request: ViewerRequest, entries: list[FeedEntry]) -> Feed:
    """The feed's identity is its path and filters, never its token: a member's new
    token must not make a client see a different feed."""
    filters = feed_filters(dict(request.query_params)).query()
    suffix = f"?{urlencode(filters)}" if filters else ""
    listing = route(request, "torrents:listing", query=filters)
    return Feed(_("New releases"), request.url.path + suffix, listing, entries)


@get("/feeds/releases.atom", name=ATOM_ROUTE)
async def releases_atom(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    token: TokenParameter = None,
) -> Response[bytes]:
    """The newest releases as Atom; the /tracker filter parameters narrow it."""
    entries = await feed_entries(request, db, settings, token)
    return _feed_response(atom_document(settings, _feed(request, entries)), ATOM_MEDIA_TYPE, token)


@get("/feeds/releases.rss", name=RSS_ROUTE)
async def releases_rss(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    token: TokenParameter = None,
) -> Response[bytes]:
    """The newest releases as RSS 2.0, the form clients' RSS downloaders read best."""
    entries = await feed_entries(request, db, settings, token)
    self_url = settings.base_url.rstrip("/") + request.url.path
    if request.url.query:
        self_url += "?" + request.url.query
    document = rss_document(settings, _feed(request, entries), self_url)
    return _feed_response(document, RSS_MEDIA_TYPE, token)


@get("/feeds/torrents/{torrent_id:int}/download.torrent", name=DOWNLOAD_ROUTE)
async def feed_download(
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    torrent_id: FromPath[int],
    token: TokenParameter = None,
) -> Response[bytes]:
    """A feed entry's .torrent: the token's member's own copy, under the download's rules."""
    if token is None:
        raise PermissionDeniedException(
            _("This download link needs your feed token: copy your feed link from your settings.")
        )
    viewer = await feed_viewer(db, token)
    return await torrent_download(db, settings, viewer, torrent_id)


FEED_ROUTES: list[ControllerRouterHandler] = [releases_atom, releases_rss, feed_download]
