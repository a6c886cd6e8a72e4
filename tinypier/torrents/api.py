"""The JSON API for uploaders' scripts: bearer tokens, the same rules as the pages.

Under ``/api/`` the session middleware accepts only ``Authorization: Bearer`` tokens and
the error handler answers JSON, so these handlers raise the same exceptions as the pages.
A guest may list and read what guests may see; posting and ``/api/me`` need a token.

Every handler here declares what the schema at ``/api/schema`` tells scripts: its query
parameters, who may call it (``security``), its response's media type and the JSON error
answers it can give (``tinypier.web.api_schema``). ``API_ROUTER`` is the only part of the
app the schema documents.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, NotAuthorizedException, TooManyRequestsException
from litestar.params import FromPath, Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_409_CONFLICT

from tinypier.accounts.guards import require_member
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.flood import admit_post, give_back_post
from tinypier.forum.topics import member_id
from tinypier.i18n import _
from tinypier.permissions.rules import may_download_release
from tinypier.release_statuses import FREELEECH_LABELS, STATUS_LABELS
from tinypier.settings import Settings
from tinypier.torrents.download import announce_url, torrent_download
from tinypier.torrents.feeds import release_feed_links
from tinypier.torrents.forms import ApiReleaseData, read_upload
from tinypier.torrents.listing import (
    ANY_FREELEECH,
    MAX_DAYS,
    MAX_PAGE,
    SORT_COLUMNS,
    ReleaseFilters,
    list_releases,
)
from tinypier.torrents.registration import (
    ReleaseRefused,
    ReleaseUpload,
    publish_release,
    release_forum,
)
from tinypier.torrents.releases import topic_url, visible_release
from tinypier.web import urls
from tinypier.web.api_schema import (
    BITTORRENT_MEDIA_TYPE,
    GUEST_OR_MEMBER,
    MEMBER_TOKEN,
    error_responses,
)

ViewerRequest = Request[Viewer, Any, Any]


@dataclass
class ApiFile:
    path: str
    size: int


@dataclass
class ApiRelease:
    id: int
    topic_id: int
    title: str
    name: str
    forum_id: int
    # Null unless the caller may download the release: a hash is enough to join the swarm.
    info_hash: str | None
    info_hash_v2: str | None
    size: int
    file_count: int
    seeders: int
    leechers: int
    completed: int
    status: str
    freeleech: str
    created_at: int
    topic_url: str
    download_url: str
    # Whether members' copies keep the torrent's http(s) web seeds (the upload's choice).
    web_seeds: bool
    # How many members thanked the uploader (tinypier.thanks).
    thanks: int


@dataclass
class ApiReleaseDetail(ApiRelease):
    files: list[ApiFile]
    last_seeder_at: int | None


@dataclass
class ApiReleasePage:
    releases: list[ApiRelease]
    page: int
    has_next: bool


@dataclass
class ApiCreatedRelease:
    topic_id: int
    torrent_id: int
    info_hash: str | None
    info_hash_v2: str | None
    made_private: bool
    topic_url: str
    download_url: str


@dataclass
class ApiMe:
    id: int
    name: str
    role: str
    uploaded: int
    downloaded: int
    ratio: float | None
    passkey: str
    announce_url: str
    # The member's RSS feed of every release they may download, for a client's RSS downloader.
    feed_url: str
    # Seed bonus points to spend on /bonus (tinypier.bonus).
    bonus_points: int


def api_download_url(settings: Settings, torrent_id: int) -> str:
    return settings.base_url.rstrip("/") + urls.path("api:download", torrent_id=torrent_id)


def _hex(value: bytes | None) -> str | None:
    return None if value is None else value.hex()


def _release_fields(settings: Settings, viewer: Viewer, row: sqlite3.Row) -> dict[str, Any]:
    """A release as the API shows it; the info hashes only to a caller who may download
    it, since a hash is all a client needs to join the swarm."""
    downloadable = may_download_release(viewer, row)
    return {
        "id": row["id"],
        "topic_id": row["topic_id"],
        "title": row["title"],
        "name": row["name"],
        "forum_id": row["forum_id"],
        "info_hash": _hex(row["info_hash"]) if downloadable else None,
        "info_hash_v2": _hex(row["info_hash_v2"]) if downloadable else None,
        "size": row["total_size"],
        "file_count": row["file_count"],
        "seeders": row["seeders"],
        "leechers": row["leechers"],
        "completed": row["completed"],
        "status": row["status"],
        "freeleech": row["freeleech"],
        "created_at": row["created_at"],
        "topic_url": topic_url(settings, row["topic_id"]),
        "download_url": api_download_url(settings, row["id"]),
        "web_seeds": bool(row["web_seeds_enabled"]),
        "thanks": row["thanks"],
    }


@post(
    "/torrents",
    summary="Post a release",
    guards=[require_member],
    status_code=HTTP_201_CREATED,
    security=MEMBER_TOKEN,
    responses=error_responses(400, 401, 403, 404, 409, 413, 429),
)
async def api_post_release(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    data: ApiReleaseData,
) -> ApiCreatedRelease:
    """Post a release (multipart: ``torrent``, ``title``, ``description``, ``forum_id``,
    optionally ``web_seeds=true`` to keep the torrent's http(s) web seeds in members' copies)."""
    forum = await release_forum(db, request.user, data.forum_id)
    upload = ReleaseUpload(
        forum_id=forum["id"],
        uploader_id=member_id(request.user),
        title=data.title,
        description=data.description,
        torrent=await read_upload(data.torrent, settings.upload_size_limit),
        web_seeds=data.web_seeds,
    )
    flood = admit_post(request)
    if flood is not None:
        raise TooManyRequestsException(flood)
    try:
        registered = await publish_release(
            db, settings, request.app.state.changes, upload, request.app.state.post_hooks
        )
    except ReleaseRefused as refusal:
        give_back_post(request)
        if refusal.existing_topic_id is None:
            raise ClientException(str(refusal)) from None
        existing = topic_url(settings, refusal.existing_topic_id)
        raise ClientException(f"{refusal} {existing}", status_code=HTTP_409_CONFLICT) from None
    return ApiCreatedRelease(
        topic_id=registered.topic_id,
        torrent_id=registered.torrent_id,
        info_hash=_hex(registered.info_hash_v1),
        info_hash_v2=_hex(registered.info_hash_v2),
        made_private=registered.made_private,
        topic_url=topic_url(settings, registered.topic_id),
        download_url=api_download_url(settings, registered.torrent_id),
    )


def _choice(description: str, choices: list[str]) -> Any:
    """A query parameter taking one of ``choices``; the /tracker page's leniency applies,
    so any other value is ignored (the default holds) rather than refused."""
    listed = ", ".join(choices)
    return Parameter(
        description=f"{description} One of: {listed}; any other value is ignored.",
        schema_extra={"enum": choices},
    )


def release_filters(
    forum: Annotated[int | None, Parameter(ge=1, description="Only this forum's releases.")] = None,
    category: Annotated[
        int | None, Parameter(ge=1, description="Only releases in this category's forums.")
    ] = None,
    q: Annotated[
        str,
        Parameter(
            max_length=200,
            description="Words of the title, each as a prefix or in any of its forms.",
        ),
    ] = "",
    status: Annotated[
        str | None, _choice("Only releases a moderator gave this status.", list(STATUS_LABELS))
    ] = None,
    freeleech: Annotated[
        str | None,
        _choice(
            "Only releases with this freeleech level (any: silver or gold).",
            [*FREELEECH_LABELS, ANY_FREELEECH],
        ),
    ] = None,
    seeded: Annotated[bool, Parameter(description="Only releases with seeders.")] = False,
    mine: Annotated[bool, Parameter(description="Only the caller's own uploads.")] = False,
    snatched: Annotated[bool, Parameter(description="Only releases the caller completed.")] = False,
    days: Annotated[
        int | None, Parameter(ge=1, le=MAX_DAYS, description="Only releases this recent.")
    ] = None,
    sort: Annotated[str, _choice("The order of the list.", list(SORT_COLUMNS))] = "added",
    order: Annotated[str, _choice("The direction of the order.", ["desc", "asc"])] = "desc",
    page: Annotated[int, Parameter(ge=1, le=MAX_PAGE, description="Fifty releases a page.")] = 1,
) -> ReleaseFilters:
    """The listing's query parameters, read as the /tracker page reads its own."""
    given = {
        "forum": forum,
        "category": category,
        "q": q,
        "status": status,
        "freeleech": freeleech,
        "seeded": "1" if seeded else None,
        "mine": "1" if mine else None,
        "snatched": "1" if snatched else None,
        "days": days,
        "sort": sort,
        "order": order,
        "page": page,
    }
    return ReleaseFilters.from_query(
        {name: str(value) for name, value in given.items() if value is not None}
    )


@get(
    "/torrents",
    summary="List releases",
    dependencies={"filters": Provide(release_filters, sync_to_thread=False)},
    security=GUEST_OR_MEMBER,
    responses=error_responses(400, 401),
)
async def api_list_releases(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    filters: NamedDependency[ReleaseFilters],
) -> ApiReleasePage:
    """Releases the caller may see, newest first unless asked otherwise: the /tracker page
    as JSON. A guest sees what guests may see."""
    page = await list_releases(db, request.user, filters)
    return ApiReleasePage(
        releases=[ApiRelease(**_release_fields(settings, request.user, row)) for row in page.rows],
        page=filters.page,
        has_next=page.has_next,
    )


@get(
    "/torrents/{torrent_id:int}",
    summary="Read a release",
    security=GUEST_OR_MEMBER,
    responses=error_responses(400, 401, 404),
)
async def api_release(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    torrent_id: FromPath[int],
) -> ApiReleaseDetail:
    """One release the caller may see, with its files and when it last had a seeder."""
    release = await visible_release(db, request.user, torrent_id)
    files = [ApiFile(path, size) for path, size in json.loads(release["files_json"])]
    return ApiReleaseDetail(
        **_release_fields(settings, request.user, release),
        files=files,
        last_seeder_at=release["last_seeder_at"],
    )


@get(
    "/torrents/{torrent_id:int}/download",
    summary="Download a release's .torrent",
    guards=[require_member],
    security=MEMBER_TOKEN,
    media_type=BITTORRENT_MEDIA_TYPE,
    content_media_type=BITTORRENT_MEDIA_TYPE,
    response_description="The .torrent file, its announce URL holding the caller's passkey.",
    name="api:download",
    responses=error_responses(400, 401, 403, 404),
)
async def api_download(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    torrent_id: FromPath[int],
) -> Response[bytes]:
    """The caller's own copy of the .torrent, with their passkey."""
    return await torrent_download(db, settings, request.user, torrent_id)


@get(
    "/me",
    summary="The token's member",
    guards=[require_member],
    security=MEMBER_TOKEN,
    responses=error_responses(401),
)
async def api_me(
    request: ViewerRequest, db: NamedDependency[Database], settings: NamedDependency[Settings]
) -> ApiMe:
    """The token's member: their transfer figures, bonus points, passkey and announce URL."""
    row = await db.fetch_one(
        "SELECT id, name, role, uploaded, downloaded, passkey, feed_token, bonus_points"
        " FROM users WHERE id = ?",
        (member_id(request.user),),
    )
    if row is None:
        raise NotAuthorizedException(_("This API token's member no longer exists."))
    downloaded = row["downloaded"]
    return ApiMe(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        uploaded=row["uploaded"],
        downloaded=downloaded,
        ratio=round(row["uploaded"] / downloaded, 3) if downloaded else None,
        passkey=row["passkey"],
        announce_url=announce_url(settings, row["passkey"]),
        feed_url=release_feed_links(request, row["feed_token"], ReleaseFilters())["rss"],
        bonus_points=row["bonus_points"],
    )


API_ROUTER = Router(
    path="/api",
    route_handlers=[api_post_release, api_list_releases, api_release, api_download, api_me],
    include_in_schema=True,
    tags=["Releases"],
)
"""The JSON API: the one part of the app its OpenAPI schema documents (the app leaves
every other route out, see ``tinypier.app``)."""
