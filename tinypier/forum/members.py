"""The members list and member profiles.

As on TorrentPier, only members see other members: transfer statistics say who shares
what, which is nobody's business outside the community. A profile lists releases and
recent posts only from forums the viewer may view, so a private forum's topics never
show up through somebody's profile. Whether a member is disabled is shown to moderators
only.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery, Parameter
from litestar.response import Template

from tinypier.accounts.guards import require_member
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.search import post_path, topic_path
from tinypier.i18n import _
from tinypier.permissions.ratio import ratio_warning, shown_ratio
from tinypier.permissions.rules import can_read_ledger, can_see_member_torrents
from tinypier.permissions.sql import live_clause, readable_forums_clause
from tinypier.settings import Settings
from tinypier.web import urls
from tinypier.web.extensions import PageExtensions
from tinypier.web.formatting import day, human_size, ratio, ratio_figure
from tinypier.web.pages import render

MEMBERS_PER_PAGE = 50
MAX_PAGE = 100_000
RECENT_POSTS = 10
RECENT_RELEASES = 20
LARGEST_ID = 2**62

# Sort keys a visitor may choose, each a fixed ORDER BY; the id breaks ties so pages
# never overlap.
MEMBER_ORDERS = {
    "name": "u.name COLLATE NOCASE, u.id",
    "joined": "u.created_at, u.id",
    "posts": "u.post_count DESC, u.id",
    "uploaded": "u.uploaded DESC, u.id",
}


def day_text(timestamp: int) -> str:
    return day(timestamp)


TEMPLATE_HELPERS: dict[str, Any] = {
    "human_size": human_size,
    "ratio": ratio,
    "day_text": day_text,
    "topic_path": topic_path,
    "post_path": post_path,
}


async def members_page(db: Database, order: str, page: int) -> list[sqlite3.Row]:
    """One page of members (plus one row, to know whether a next page exists)."""
    return await db.fetch_all(
        "SELECT u.id, u.name, u.role, u.disabled, u.created_at, u.post_count, u.uploaded,"  # noqa: S608 - ORDER BY from MEMBER_ORDERS
        f" u.downloaded FROM users u ORDER BY {MEMBER_ORDERS[order]} LIMIT ? OFFSET ?",
        (MEMBERS_PER_PAGE + 1, (page - 1) * MEMBERS_PER_PAGE),
    )


async def member_by_id(db: Database, member_id: int) -> sqlite3.Row | None:
    return await db.fetch_one(
        "SELECT id, name, role, disabled, created_at, post_count, uploaded, downloaded,"
        " bonus_points, feed_token FROM users WHERE id = ?",
        (member_id,),
    )


# A member's releases and posts, newest first: both walk an index on the owner column
# (torrents.uploader_id, posts.author_id) backwards and keep rows of viewable forums in
# topics no moderator deleted (and, for posts, the posts not deleted).
RELEASES_SQL = (
    "SELECT x.topic_id, x.total_size, x.created_at, t.title, f.id AS forum_id,"
    " f.name AS forum_name FROM torrents x",
    "x.uploader_id",
    live_clause("t"),
)
POSTS_SQL = (
    "SELECT x.id, x.topic_id, x.created_at, t.title, f.id AS forum_id,"
    " f.name AS forum_name FROM posts x",
    "x.author_id",
    f"{live_clause('t')} AND {live_clause('x')}",
)


async def newest_visible(
    db: Database, viewer: Viewer, source: tuple[str, str, str], member_id: int, limit: int
) -> list[sqlite3.Row]:
    select_sql, owner_column, live_sql = source
    visible_sql, params = readable_forums_clause(viewer, "f")
    return await db.fetch_all(
        f"{select_sql} JOIN topics t ON t.id = x.topic_id JOIN forums f ON f.id = t.forum_id"
        f" WHERE {owner_column} = ? AND {visible_sql} AND {live_sql} ORDER BY x.id DESC LIMIT ?",
        [member_id, *params, limit],
    )


def ratio_notice(settings: Settings, member: sqlite3.Row) -> str | None:
    """What the member reads on their own profile when their ratio is below the board's
    warning threshold: how low it is, what happens lower, and what to do."""
    ratio = ratio_warning(settings, member["uploaded"], member["downloaded"])
    if ratio is None:
        return None
    shown = ratio_figure(shown_ratio(ratio))
    if settings.min_download_ratio:
        return _(
            "Your ratio is %(ratio)s. Below %(minimum)s you can no longer download releases"
            " or start new downloads: seed the releases you have to raise it.",
            ratio=shown,
            minimum=ratio_figure(settings.min_download_ratio),
        )
    return _(
        "Your ratio is %(ratio)s, below the %(threshold)s this board expects: seed the"
        " releases you have to raise it.",
        ratio=shown,
        threshold=ratio_figure(settings.ratio_warning),
    )


def feed_links(settings: Settings, feed_token: str) -> dict[str, str]:
    """The member's personal feed URLs: they show what this member may view."""
    base = settings.base_url.rstrip("/")
    query = {"token": feed_token}
    return {
        "releases": base + urls.path("feeds:releases", query=query),
        "forum_pattern": base + urls.path("feeds:forum", feed_file="<forum id>.atom", query=query),
    }


def list_link(order: str, page: int) -> str:
    return urls.path("forum:members", query={"sort": order, "page": page})


class MembersController(Controller):
    path = "/members"
    guards = [require_member]

    @get(name="forum:members")
    async def list_members(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        sort: FromQuery[str] = "name",
        page: Annotated[int, Parameter(ge=1, le=MAX_PAGE)] = 1,
    ) -> Template:
        order = sort if sort in MEMBER_ORDERS else "name"
        rows = await members_page(db, order, page)
        return render(
            request,
            "forum/members.html",
            members=rows[:MEMBERS_PER_PAGE],
            order=order,
            orders=list(MEMBER_ORDERS),
            sort_links={key: list_link(key, 1) for key in MEMBER_ORDERS},
            previous_link=list_link(order, page - 1) if page > 1 else None,
            next_link=list_link(order, page + 1) if len(rows) > MEMBERS_PER_PAGE else None,
            **TEMPLATE_HELPERS,
        )

    @get("/{member_id:int}", name="forum:member")
    async def profile(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        member_id: Annotated[int, Parameter(ge=1, le=LARGEST_ID)],
    ) -> Template:
        viewer: Viewer = request.user
        member = await member_by_id(db, member_id)
        if member is None:
            raise NotFoundException(_("No member with this number."))
        own_profile = viewer.id == member["id"]
        pages: PageExtensions = request.app.state.page_extensions
        return render(
            request,
            "forum/profile.html",
            member=member,
            releases=await newest_visible(db, viewer, RELEASES_SQL, member_id, RECENT_RELEASES),
            recent_posts=await newest_visible(db, viewer, POSTS_SQL, member_id, RECENT_POSTS),
            feeds=feed_links(settings, member["feed_token"]) if own_profile else None,
            ratio_notice=ratio_notice(settings, member) if own_profile else None,
            parts=await pages.profile_parts(db, viewer, member, settings),
            torrents_visible=can_see_member_torrents(viewer, member_id),
            may_read_ledger=can_read_ledger(viewer, member_id),
            **TEMPLATE_HELPERS,
        )
