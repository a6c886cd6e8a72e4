"""The board's front page and the forum pages (lists of topics)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum import queries
from tinypier.forum.display import render_forum_page
from tinypier.forum.pagination import paginate
from tinypier.permissions.lookup import viewable_forum
from tinypier.permissions.rules import can_see_deleted_in, can_start_topic
from tinypier.settings import Settings
from tinypier.web.extensions import PageExtensions

ViewerRequest = Request[Viewer, Any, Any]


class ForumIndexController(Controller):
    @get("/", name="forum:index")
    async def index(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
    ) -> Template:
        """Categories in order, each with the forums this viewer may view, then what
        features add below them (the online list). A board with no forum at all leads an
        admin to the first-run page and tells others it is being set up."""
        pages: PageExtensions = request.app.state.page_extensions
        forums_by_category = defaultdict(list)
        for forum in await queries.index_forums(db, request.user):
            forums_by_category[forum["category_id"]].append(forum)
        sections = [
            (category, forums_by_category[category["id"]])
            for category in await queries.categories(db)
            if forums_by_category[category["id"]]
        ]
        return render_forum_page(
            request,
            "forum/index.html",
            sections=sections,
            being_set_up=not sections and not await queries.board_has_forums(db),
            parts=await pages.index_parts(db, request.user, settings),
        )

    @get("/forums/{forum_id:int}", name="forum:forum")
    async def forum(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        forum_id: FromPath[int],
        page: FromQuery[str | None] = None,
    ) -> Template:
        """Announcements, then stickies, then topics by last post, 50 a page; below them,
        for moderators, the forum's deleted topics to restore."""
        viewer = request.user
        forum = await viewable_forum(db, viewer, forum_id)
        pagination = paginate(page, forum["topic_count"], queries.TOPICS_PER_PAGE)
        topics = await queries.forum_topics(db, viewer, forum_id, pagination.offset)
        pages: PageExtensions = request.app.state.page_extensions
        return render_forum_page(
            request,
            "forum/forum.html",
            forum=forum,
            topics=topics,
            pagination=pagination,
            may_start_topic=can_start_topic(viewer, forum),
            forum_parts=await pages.forum_parts(db, viewer, forum, request.app.state.settings),
            deleted_topics=await queries.deleted_topics(db, forum_id)
            if can_see_deleted_in(viewer, forum)
            else [],
        )
