"""Routes of the releases area: posting, downloading, moderating and listing releases."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_301_MOVED_PERMANENTLY
from litestar.types import ControllerRouterHandler

from tinypier.accounts.guards import require_member, require_moderator
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.bbcode import render_bbcode_off_loop
from tinypier.forum.flood import admit_post, admit_preview, give_back_post
from tinypier.forum.posting import body_problem
from tinypier.forum.topics import member_id, topic_page
from tinypier.i18n import _
from tinypier.notifications.notify import delivery_of
from tinypier.permissions.rules import may_download_release
from tinypier.release_statuses import FREELEECH_LABELS, STATUS_LABELS
from tinypier.settings import Settings
from tinypier.torrents import moderation
from tinypier.torrents.addresses import address_id, release_address
from tinypier.torrents.api import API_ROUTER
from tinypier.torrents.download import torrent_download
from tinypier.torrents.feeds import FEED_ROUTES, member_feed_links
from tinypier.torrents.forms import FreeleechData, ReleaseData, StatusData, read_upload
from tinypier.torrents.lifecycle import RELEASE_LIFECYCLE
from tinypier.torrents.listing import SORT_LABELS, ReleaseFilters, list_releases, release_forums
from tinypier.torrents.registration import (
    RegisteredRelease,
    ReleaseRefused,
    ReleaseUpload,
    publish_release,
    release_forum,
)
from tinypier.torrents.releases import topic_path, visible_release
from tinypier.torrents.topic_block import RELEASE_BLOCK
from tinypier.web.extensions import Feature
from tinypier.web.formatting import human_size, iso, when
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]
ReleaseChange = Callable[[Database, int, int, str], Awaitable[None]]
FORM_TEMPLATE = "torrents/new_release.html"


def registered_message(registered: RegisteredRelease) -> str:
    if registered.made_private:
        return _(
            "Release posted. The torrent was not private, so the site set its private flag, "
            "which changed its info hash: download the site's .torrent and seed from that one."
        )
    return _("Release posted. Download the site's .torrent to seed it with your passkey.")


@get(
    "/forums/{forum_id:int}/releases/new", name="torrents:new_release_form", guards=[require_member]
)
async def new_release_form(
    request: ViewerRequest, db: NamedDependency[Database], forum_id: FromPath[int]
) -> Template:
    forum = await release_forum(db, request.user, forum_id)
    return render(request, FORM_TEMPLATE, forum=forum, title="", description="", web_seeds=False)


@post("/forums/{forum_id:int}/releases/new", name="torrents:new_release", guards=[require_member])
async def post_release(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    forum_id: FromPath[int],
    data: ReleaseData,
) -> Template | Redirect:
    viewer = request.user
    forum = await release_forum(db, viewer, forum_id)

    def form_again(status_code: int = 400, **context: Any) -> Template:
        return render(
            request,
            FORM_TEMPLATE,
            status_code=200 if "preview" in context else status_code,
            forum=forum,
            title=data.title,
            description=data.description,
            web_seeds=data.web_seeds is not None,
            **context,
        )

    if data.preview is not None:
        if refusal := admit_preview(request):
            return form_again(status_code=429, error=refusal)
        problem = body_problem(data.description, settings.post_max_chars)
        if problem:
            return form_again(error=problem)
        return form_again(preview=await render_bbcode_off_loop(data.description))
    upload = ReleaseUpload(
        forum_id=forum["id"],
        uploader_id=member_id(viewer),
        title=data.title,
        description=data.description,
        torrent=await read_upload(data.torrent, settings.upload_size_limit),
        web_seeds=data.web_seeds is not None,
    )
    if not upload.torrent:
        return form_again(error=_("Choose a .torrent file to upload."))
    flood = admit_post(request)
    if flood is not None:
        return form_again(status_code=429, error=flood)
    try:
        registered = await publish_release(
            db, settings, request.app.state.changes, upload, request.app.state.post_hooks
        )
    except ReleaseRefused as refusal:
        give_back_post(request)
        return form_again(error=str(refusal), existing_path=refusal.existing_path)
    return redirect(topic_path(registered.topic_id), registered_message(registered), "success")


@get("/torrents/{torrent_id:int}/download", name="torrents:download", guards=[require_member])
async def download_torrent(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    torrent_id: FromPath[int],
) -> Response[bytes]:
    return await torrent_download(db, settings, request.user, torrent_id)


async def moderate(
    request: ViewerRequest, db: Database, torrent_id: int, change: ReleaseChange, value: str
) -> sqlite3.Row:
    """Apply a moderator's change (which tells the tracker once it commits)."""
    release = await visible_release(db, request.user, torrent_id)
    await change(db, member_id(request.user), torrent_id, value)
    return release


@post("/torrents/{torrent_id:int}/status", name="torrents:status", guards=[require_moderator])
async def change_status(
    request: ViewerRequest,
    db: NamedDependency[Database],
    torrent_id: FromPath[int],
    data: StatusData,
) -> Redirect:
    set_status = partial(
        moderation.set_status,
        delivery=delivery_of(request.app.state),
        changes=request.app.state.changes,
    )
    release = await moderate(request, db, torrent_id, set_status, data.status)
    message = _("Release marked '%(status)s'.", status=_(STATUS_LABELS[data.status]))
    return redirect(topic_path(release["topic_id"]), message, "success")


@post("/torrents/{torrent_id:int}/freeleech", name="torrents:freeleech", guards=[require_moderator])
async def change_freeleech(
    request: ViewerRequest,
    db: NamedDependency[Database],
    torrent_id: FromPath[int],
    data: FreeleechData,
) -> Redirect:
    set_freeleech = partial(moderation.set_freeleech, changes=request.app.state.changes)
    release = await moderate(request, db, torrent_id, set_freeleech, data.freeleech)
    message = _("Freeleech set: %(level)s.", level=_(FREELEECH_LABELS[data.freeleech]))
    return redirect(topic_path(release["topic_id"]), message, "success")


@get("/tracker", name="torrents:listing")
async def tracker_page(request: ViewerRequest, db: NamedDependency[Database]) -> Template:
    """The release listing."""
    return await release_listing(request, db)


@get("/torrents", name="torrents:engine_listing")
async def engine_listing(request: ViewerRequest, db: NamedDependency[Database]) -> Template:
    """The release listing at its engine-v1 address. A handler of its own, not a second
    path of ``tracker_page``: a route name with two paths is reversed to either of them,
    by the process's hash seed, so links to the listing would change between runs."""
    return await release_listing(request, db)


async def release_listing(request: ViewerRequest, db: Database) -> Template:
    """The /tracker page: releases the viewer may see, filtered as the query asks."""
    viewer = request.user
    filters = ReleaseFilters.from_query(request.query_params)
    page = await list_releases(db, viewer, filters)
    forums = await release_forums(db, viewer)
    return render(
        request,
        "torrents/tracker.html",
        page=page,
        filters=filters,
        forums=forums,
        categories={forum["category_id"]: forum["category_name"] for forum in forums},
        human_size=human_size,
        utc_time=when,
        iso_time=iso,
        statuses=STATUS_LABELS,
        freeleech_levels=FREELEECH_LABELS,
        sorts=SORT_LABELS,
        release_address=release_address,
        may_download=lambda row: may_download_release(viewer, row),
        feeds=await member_feed_links(request, db, viewer, filters),
    )


@get("/torrents/{address:str}", name="torrents:release")
async def release_page(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    address: FromPath[str],
    page: FromQuery[str | None] = None,
) -> Template | Redirect:
    """A release's engine-v1 address, ``/torrents/{id}-{slug}``: its topic's page.

    Only the id finds the release (404 when it does not exist or is hidden from the
    viewer, as everywhere); a missing or stale slug is sent on to the current address
    for good (301), so old links and bookmarks keep working after a rename.
    """
    torrent_id = address_id(address)
    if torrent_id is None:
        raise NotFoundException(_("There is no such release."))
    release = await visible_release(db, request.user, torrent_id)
    current = release_address(torrent_id, release["title"])
    if address != current:
        path = route(request, "torrents:release", address=current)
        query = request.url.query
        return Redirect(
            f"{path}?{query}" if query else path, status_code=HTTP_301_MOVED_PERMANENTLY
        )
    return await topic_page(request, db, settings, release["topic_id"], page)


ROUTES: list[ControllerRouterHandler] = [
    new_release_form,
    post_release,
    download_torrent,
    change_status,
    change_freeleech,
    tracker_page,
    engine_listing,
    release_page,
    API_ROUTER,
    *FEED_ROUTES,
]

FEATURE = Feature(
    "torrents",
    ROUTES,
    topic_extensions=(RELEASE_BLOCK,),
    topic_lifecycle=RELEASE_LIFECYCLE,
)
