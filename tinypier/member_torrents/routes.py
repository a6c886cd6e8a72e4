"""The member torrent pages and a release's swarm pages.

``/members/{id}/torrents?show=...`` shows one of a member's lists, to the member and the
moderators only (``can_see_member_torrents``; anybody else is refused, guests are sent
to log in). ``/torrents/{id}/peers`` and ``/torrents/{id}/snatches`` page through a
release's swarm and completions for those who may download from its forum
(``can_see_swarm``); addresses and ports are shown to moderators only. Every list is
bounded by ``torrent_list_page_size`` rows a page and ``torrent_list_pages_max`` pages.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromQuery, Parameter
from litestar.response import Template

from tinypier.accounts.guards import require_member
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.hit_and_run.obligations import terms
from tinypier.i18n import N_, _, ngettext
from tinypier.member_torrents import queries
from tinypier.member_torrents.queries import Page
from tinypier.member_torrents.swarm_part import SWARM_LISTS, swarm_helpers
from tinypier.member_torrents.views import duration, obligation, release_ratio_text
from tinypier.permissions.hit_and_run import active_count_sql, hit_and_run_block
from tinypier.permissions.rules import (
    can_see_member_torrents,
    can_see_peer_addresses,
    can_see_swarm,
)
from tinypier.settings import Settings
from tinypier.torrents.releases import topic_path, visible_release
from tinypier.web.extensions import Feature
from tinypier.web.formatting import human_size, ratio_figure, when
from tinypier.web.pages import render

LARGEST_ID = 2**62
LARGEST_PAGE = 2**31
ViewerRequest = Request[Viewer, Any, Any]

LISTS = {
    "seeding": N_("Seeding"),
    "leeching": N_("Leeching"),
    "snatched": N_("Completed"),
    "uploaded": N_("Uploaded"),
    "owed": N_("Seeding owed"),
    "hit-and-runs": N_("Hit-and-runs"),
}
"""The member's lists, in the order of the page's tabs (the query's ``show``)."""

PageNumber = Annotated[int, Parameter(ge=1, le=LARGEST_PAGE)]


def rules_text(settings: Settings) -> str | None:
    """What each completed release owes, in words; None while the rules are off."""
    if settings.hnr_seed_hours <= 0:
        return None
    text = _(
        "Each completed release owes %(hours)s of seeding within %(days)s of completing it.",
        hours=ngettext("%(num)s hour", "%(num)s hours", settings.hnr_seed_hours),
        days=ngettext("%(num)s day", "%(num)s days", settings.hnr_window_days),
    )
    if settings.hnr_min_ratio > 0:
        text += " " + _(
            "Uploading %(ratio)s times its size on it settles it too.",
            ratio=ratio_figure(settings.hnr_min_ratio),
        )
    return text


def page_of(settings: Settings, number: int) -> Page:
    """The requested page; 404 past ``torrent_list_pages_max``, which bounds the rows any
    one request may skip."""
    if number > settings.torrent_list_pages_max:
        raise NotFoundException(
            _("These lists have at most %(pages)s pages.", pages=settings.torrent_list_pages_max)
        )
    return Page(number, settings.torrent_list_page_size)


async def _member_list(
    db: Database, viewer: Viewer, settings: Settings, member_id: int, kind: str, page: Page
) -> list[Any]:
    if kind in ("seeding", "leeching"):
        return await queries.member_peers(db, viewer, member_id, kind == "seeding", page)
    if kind == "snatched":
        return await queries.member_snatches(db, viewer, member_id, page)
    if kind == "uploaded":
        return await queries.member_uploads(db, viewer, member_id, page)
    if kind == "owed":
        rules = terms(settings)
        rows = await queries.member_pending(db, viewer, member_id, rules, page)
        now = int(time.time())
        return [obligation(row, rules, now) for row in rows]
    return await queries.member_hit_and_runs(db, viewer, member_id, page)


@get(
    "/members/{member_id:int}/torrents",
    name="member_torrents:list",
    guards=[require_member],
)
async def member_torrents(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    member_id: Annotated[int, Parameter(ge=1, le=LARGEST_ID)],
    show: FromQuery[str] = "seeding",
    page: FromQuery[PageNumber] = 1,
) -> Template:
    viewer = request.user
    member = await db.fetch_one(
        "SELECT id, name,"  # noqa: S608 - a subquery of ours
        f" {active_count_sql('users.id')} AS hit_and_runs FROM users WHERE id = ?",
        (member_id,),
    )
    if member is None:
        raise NotFoundException(_("No member with this number."))
    if not can_see_member_torrents(viewer, member_id):
        raise PermissionDeniedException(
            _("Only the member and the moderators see what a member seeds and downloads.")
        )
    kind = show if show in LISTS else "seeding"
    rows = await _member_list(db, viewer, settings, member_id, kind, page_of(settings, page))
    size = settings.torrent_list_page_size
    return render(
        request,
        "member_torrents/member.html",
        member=member,
        kind=kind,
        lists=LISTS,
        rows=rows[:size],
        page=page,
        has_next=len(rows) > size,
        rules=terms(settings),
        rules_text=rules_text(settings),
        blocked=hit_and_run_block(settings, member["hit_and_runs"]),
        # The bonus ledger (another feature) adds its tab here once it is merged.
        extra_tabs=[],
        human_size=human_size,
        when=when,
        duration=duration,
        release_ratio=release_ratio_text,
        topic_path=topic_path,
    )


async def _swarm_release(db: Database, viewer: Viewer, torrent_id: int) -> Any:
    """The release, if the viewer may see its swarm: 404 where they may not view it,
    403 where they may view but not download from its forum."""
    release = await visible_release(db, viewer, torrent_id)
    if not can_see_swarm(viewer, release):
        raise PermissionDeniedException(
            _("Only members who may download this release see its swarm.")
        )
    return release


@get("/torrents/{torrent_id:int}/peers", name="member_torrents:peers", guards=[require_member])
async def release_peers(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    torrent_id: Annotated[int, Parameter(ge=1, le=LARGEST_ID)],
    page: FromQuery[PageNumber] = 1,
) -> Template:
    release = await _swarm_release(db, request.user, torrent_id)
    rows = await queries.release_peers(db, torrent_id, page_of(settings, page))
    return _swarm_page(request, settings, release, "peers", rows, page)


@get(
    "/torrents/{torrent_id:int}/snatches",
    name="member_torrents:snatches",
    guards=[require_member],
)
async def release_snatches(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    torrent_id: Annotated[int, Parameter(ge=1, le=LARGEST_ID)],
    page: FromQuery[PageNumber] = 1,
) -> Template:
    release = await _swarm_release(db, request.user, torrent_id)
    rows = await queries.release_snatches(db, torrent_id, page_of(settings, page))
    return _swarm_page(request, settings, release, "snatches", rows, page)


def _swarm_page(
    request: ViewerRequest,
    settings: Settings,
    release: Any,
    kind: str,
    rows: list[Any],
    page: int,
) -> Template:
    size = settings.torrent_list_page_size
    return render(
        request,
        "member_torrents/swarm.html",
        release=release,
        kind=kind,
        rows=rows[:size],
        page=page,
        has_next=len(rows) > size,
        show_addresses=can_see_peer_addresses(request.user),
        topic_path=topic_path,
        h=swarm_helpers(),
    )


FEATURE = Feature(
    "member_torrents",
    (member_torrents, release_peers, release_snatches),
    topic_extensions=(SWARM_LISTS,),
)
