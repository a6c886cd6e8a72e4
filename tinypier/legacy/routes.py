"""The redirects from TorrentPier's page addresses (see the package's docstring).

A redirect checks visibility with the same lookup as its target page, so it says no more
than that page would: a topic in a private forum is the same 404 as one that never
existed. Member profiles are redirected without a lookup: the profile page decides (a
guest is asked to log in whether or not the member exists).
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect
from litestar.status_codes import HTTP_301_MOVED_PERMANENTLY

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.queries import POSTS_PER_PAGE, TOPICS_PER_PAGE
from tinypier.i18n import _
from tinypier.permissions.lookup import viewable_forum, viewable_post, viewable_topic
from tinypier.torrents.releases import release_by_topic
from tinypier.web.extensions import Feature
from tinypier.web.pages import route

ViewerRequest = Request[Viewer, Any, Any]

# Ids as TorrentPier wrote them: digits, no sign, within SQLite's 64-bit integers.
_ID = re.compile(r"[0-9]{1,18}")
# 3.0's semantic segment: "<slug>.<id>" (the slug may be empty or hold dots) or "<id>".
_SEMANTIC = re.compile(r"(?:.*\.)?([0-9]{1,18})/?", re.DOTALL)
# 3.0's forums and members share their first segment with this board's own routes, so
# their "<slug>.<id>" forms match no route; they are redirected from the 404 instead.
_MOVED_SEMANTIC = re.compile(r"/(forums|members|categories)/(?:[^/]*\.)?([0-9]{1,18})/?")


def _id(value: str | None) -> int:
    """A TorrentPier id from a query parameter or path segment; 404 for anything else."""
    if value is None or not _ID.fullmatch(value) or int(value) == 0:
        raise NotFoundException(_("Not found"))
    return int(value)


def _page(start: str | None, per_page: int) -> dict[str, int]:
    """TorrentPier's ``start`` (an offset in items) as this board's ``page``; page 1
    (no parameter) for none, zero or a value that is not a plain number."""
    if start is None or not _ID.fullmatch(start) or int(start) < per_page:
        return {}
    return {"page": int(start) // per_page + 1}


def _moved(
    request: ViewerRequest, name: str, query: dict[str, int] | None = None, **params: int
) -> Redirect:
    """A permanent redirect to the page of route ``name``."""
    return Redirect(
        route(request, name, query=query, **params), status_code=HTTP_301_MOVED_PERMANENTLY
    )


async def _to_topic(
    request: ViewerRequest, db: Database, topic_id: int, start: str | None
) -> Redirect:
    await viewable_topic(db, request.user, topic_id)
    return _moved(request, "forum:topic", _page(start, POSTS_PER_PAGE), topic_id=topic_id)


async def _to_post(request: ViewerRequest, db: Database, post_id: int) -> Redirect:
    """To the post's lasting address, which finds the page that holds it now: a page
    number would be wrong once posts before it are deleted, and 301s are cached."""
    await viewable_post(db, request.user, post_id)
    return _moved(request, "forum:post", post_id=post_id)


async def _to_forum(
    request: ViewerRequest, db: Database, forum_id: int, start: str | None
) -> Redirect:
    await viewable_forum(db, request.user, forum_id)
    return _moved(request, "forum:forum", _page(start, TOPICS_PER_PAGE), forum_id=forum_id)


async def _to_release(request: ViewerRequest, db: Database, topic_id: int) -> Redirect:
    """A download link: to the release's .torrent (whose page checks the member may
    download), or to the topic when it holds no release."""
    await viewable_topic(db, request.user, topic_id)
    release = await release_by_topic(db, topic_id)
    if release is None:
        return _moved(request, "forum:topic", topic_id=topic_id)
    return _moved(request, "torrents:download", torrent_id=release["id"])


async def viewtopic(
    request: ViewerRequest,
    db: NamedDependency[Database],
    t: FromQuery[str | None] = None,
    p: FromQuery[str | None] = None,
    start: FromQuery[str | None] = None,
) -> Redirect:
    """``?t=N[&start=S]`` or ``?p=N`` (a post; TorrentPier reads ``p`` first)."""
    if p is not None:
        return await _to_post(request, db, _id(p))
    return await _to_topic(request, db, _id(t), start)


async def viewforum(
    request: ViewerRequest,
    db: NamedDependency[Database],
    f: FromQuery[str | None] = None,
    start: FromQuery[str | None] = None,
) -> Redirect:
    return await _to_forum(request, db, _id(f), start)


@get("/profile.php", name="legacy:profile")
async def profile(
    request: ViewerRequest, u: FromQuery[str | None] = None, mode: FromQuery[str] = "viewprofile"
) -> Redirect:
    if mode != "viewprofile":
        raise NotFoundException(_("Not found"))
    return _moved(request, "forum:member", member_id=_id(u))


@get("/dl.php", name="legacy:dl")
async def download(
    request: ViewerRequest, db: NamedDependency[Database], id: FromQuery[str | None] = None
) -> Redirect:
    """2.x's ``dl.php?id=<attach_id>``: the importer maps attachment ids to topics."""
    row = await db.fetch_one(
        "SELECT topic_id FROM legacy_attachments WHERE attach_id = ?", (_id(id),)
    )
    if row is None:
        raise NotFoundException(_("Not found"))
    return await _to_release(request, db, row["topic_id"])


@get("/dl/{topic_id:str}", name="legacy:dl_topic")
async def download_by_topic(
    request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[str]
) -> Redirect:
    """3.0's ``dl/<topic_id>/``."""
    return await _to_release(request, db, _id(topic_id.rstrip("/")))


@get("/threads/{thread:str}", name="legacy:thread")
async def thread(
    request: ViewerRequest,
    db: NamedDependency[Database],
    thread: FromPath[str],
    start: FromQuery[str | None] = None,
) -> Redirect:
    """3.0's ``threads/<slug>.<id>/`` (or a bare id)."""
    match = _SEMANTIC.fullmatch(thread)
    return await _to_topic(request, db, _id(match[1] if match else None), start)


# Pages without an id, by their old path: the front page, members, releases, search.
PAGES = {
    "/index.php": "forum:index",
    "/memberlist.php": "forum:members",
    "/tracker.php": "torrents:listing",
    "/search.php": "forum:search",
}


async def page(request: ViewerRequest) -> Redirect:
    return _moved(request, PAGES[request.url.path])


def moved_semantic_address(request: Request[Any, Any, Any]) -> str | None:
    """3.0's ``forums/<slug>.<id>/``, ``members/<slug>.<id>/`` and ``categories/...``,
    which matched no route: the page they name, or None for any other address."""
    match = _MOVED_SEMANTIC.fullmatch(request.url.path)
    if match is None:
        return None
    kind, number = match[1], int(match[2])
    if kind == "forums":
        return route(request, "forum:forum", forum_id=number)
    if kind == "members":
        return route(request, "forum:member", member_id=number)
    return route(request, "forum:index")


# One name per path (a name with two paths reverses to either): 2.x's and 3.0's forms.
ROUTES = [
    get("/viewtopic.php", name="legacy:viewtopic")(viewtopic),
    get("/viewtopic", name="legacy:viewtopic_3")(viewtopic),
    get("/viewforum.php", name="legacy:viewforum")(viewforum),
    get("/viewforum", name="legacy:viewforum_3")(viewforum),
    profile,
    download,
    download_by_topic,
    thread,
    *(get(path, name=f"legacy:{path[1:-4]}")(page) for path in PAGES),
]

FEATURE = Feature(name="legacy", routes=ROUTES, moved_addresses=[moved_semantic_address])
