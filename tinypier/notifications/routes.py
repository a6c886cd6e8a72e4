"""The notifications and bookmarks pages, and the buttons that watch, bookmark and read.

Every change is a POST from a form the board served (CSRF): watching and bookmarking,
opening a notice (which marks it read, then goes to what it tells of) and marking all
read. Watching or bookmarking a topic asks the same as reading it
(``tinypier.permissions.lookup``), so what a member may not view cannot be watched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from tinypier.accounts.forms import Form
from tinypier.accounts.guards import require_member
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.pagination import paginate
from tinypier.i18n import N_, _
from tinypier.notifications import store
from tinypier.notifications.api import API_ROUTER, NOTICES_PER_PAGE
from tinypier.notifications.badge import unread_notices
from tinypier.notifications.email import EmailSettings, email_problem, email_settings, save_email
from tinypier.notifications.notify import on_post_published
from tinypier.notifications.parts import FORUM_WATCH, TOPIC_TOOLS
from tinypier.notifications.words import notice_text
from tinypier.permissions.lookup import viewable_forum, viewable_topic
from tinypier.settings import Settings
from tinypier.web.extensions import Feature
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]
BOOKMARKS_PER_PAGE = 50


def _member(viewer: Viewer) -> int:
    """The id of a viewer ``require_member`` let through."""
    return viewer.id or 0


def notice_target(request: ViewerRequest, notice: Any) -> str:
    """Where a notice leads: the post it tells of, the topic, or the conversation."""
    if notice["post_id"] is not None:
        return route(request, "forum:post", post_id=notice["post_id"])
    if notice["topic_id"] is not None:
        return route(request, "forum:topic", topic_id=notice["topic_id"])
    if notice["conversation_id"] is not None:
        return route(request, "messages:conversation", conversation_id=notice["conversation_id"])
    return route(request, "notifications:page")


class NotificationsController(Controller):
    path = "/notifications"
    guards = [require_member]

    @get(name="notifications:page")
    async def page(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        page: FromQuery[str | None] = None,
    ) -> Template:
        """The member's notices, newest first, 30 a page (at most ``notifications_kept``)."""
        viewer = request.user
        pagination = paginate(page, await store.notice_count(db, viewer), NOTICES_PER_PAGE)
        return render(
            request,
            "notifications/page.html",
            notices=await store.notices(db, viewer, pagination.offset, NOTICES_PER_PAGE),
            pagination=pagination,
            notice_text=notice_text,
        )

    @post("/{notice_id:int}/open", name="notifications:open")
    async def open(
        self, request: ViewerRequest, db: NamedDependency[Database], notice_id: FromPath[int]
    ) -> Redirect:
        """Mark the notice read and go to what it tells of."""
        notice = await store.notice(db, request.user, notice_id)
        if notice is None:
            raise NotFoundException(_("There is no such notification."))
        await store.mark_read(db, _member(request.user), notice_id, int(time.time()))
        return Redirect(notice_target(request, notice), status_code=303)

    @post("/read", name="notifications:read_all")
    async def read_all(self, request: ViewerRequest, db: NamedDependency[Database]) -> Redirect:
        await store.mark_all_read(db, _member(request.user), int(time.time()))
        page = route(request, "notifications:page")
        return redirect(page, _("All notifications are marked read."), "success")

    @get("/settings", name="notifications:settings")
    async def settings_form(
        self, request: ViewerRequest, db: NamedDependency[Database]
    ) -> Template:
        return self._render_settings(request, await email_settings(db, _member(request.user)))

    @post("/settings", name="notifications:save_settings")
    async def save_settings(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        data: Form[EmailSettings],
    ) -> Template | Redirect:
        """The address and whether to mail notices to it; a bad address changes nothing."""
        problem = email_problem(data)
        if problem is not None:
            return self._render_settings(request, data, problem, status_code=400)
        await save_email(db, _member(request.user), data)
        page = route(request, "notifications:settings")
        return redirect(page, _("Your notification settings are saved."), "success")

    def _render_settings(
        self,
        request: ViewerRequest,
        form: EmailSettings,
        problem: str | None = None,
        status_code: int = 200,
    ) -> Template:
        settings: Settings = request.app.state.settings
        return render(
            request,
            "notifications/settings.html",
            status_code=status_code,
            form=form,
            problem=problem,
            mail_enabled=bool(settings.smtp_host),
        )


@dataclass(frozen=True)
class Switch:
    """A button that turns a watch or bookmark on or off, and what it tells the member."""

    what: str
    on: bool
    done: str


async def _switch(
    request: ViewerRequest, db: Database, switch: Switch, target_id: int, back: str
) -> Redirect:
    await store.switch(
        db, switch.what, _member(request.user), target_id, switch.on, int(time.time())
    )
    return redirect(back, _(switch.done), "success")


TOPIC_SWITCHES = {
    "watch": Switch("topic_watch", True, N_("You are watching this topic.")),
    "unwatch": Switch("topic_watch", False, N_("You no longer watch this topic.")),
    "bookmark": Switch("bookmark", True, N_("The topic is bookmarked.")),
    "unbookmark": Switch("bookmark", False, N_("The bookmark is removed.")),
}
FORUM_SWITCHES = {
    "watch": Switch("forum_watch", True, N_("You are watching this forum.")),
    "unwatch": Switch("forum_watch", False, N_("You no longer watch this forum.")),
}


class TopicSwitchController(Controller):
    path = "/topics/{topic_id:int}"
    guards = [require_member]

    async def _flip(
        self, request: ViewerRequest, db: Database, topic_id: int, action: str
    ) -> Redirect:
        await viewable_topic(db, request.user, topic_id)
        back = route(request, "forum:topic", topic_id=topic_id)
        return await _switch(request, db, TOPIC_SWITCHES[action], topic_id, back)

    @post("/watch", name="notifications:watch_topic")
    async def watch(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Redirect:
        return await self._flip(request, db, topic_id, "watch")

    @post("/unwatch", name="notifications:unwatch_topic")
    async def unwatch(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Redirect:
        return await self._flip(request, db, topic_id, "unwatch")

    @post("/bookmark", name="notifications:bookmark")
    async def bookmark(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Redirect:
        return await self._flip(request, db, topic_id, "bookmark")

    @post("/unbookmark", name="notifications:unbookmark")
    async def unbookmark(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Redirect:
        return await self._flip(request, db, topic_id, "unbookmark")


class ForumSwitchController(Controller):
    path = "/forums/{forum_id:int}"
    guards = [require_member]

    async def _flip(
        self, request: ViewerRequest, db: Database, forum_id: int, action: str
    ) -> Redirect:
        await viewable_forum(db, request.user, forum_id)
        back = route(request, "forum:forum", forum_id=forum_id)
        return await _switch(request, db, FORUM_SWITCHES[action], forum_id, back)

    @post("/watch", name="notifications:watch_forum")
    async def watch(
        self, request: ViewerRequest, db: NamedDependency[Database], forum_id: FromPath[int]
    ) -> Redirect:
        return await self._flip(request, db, forum_id, "watch")

    @post("/unwatch", name="notifications:unwatch_forum")
    async def unwatch(
        self, request: ViewerRequest, db: NamedDependency[Database], forum_id: FromPath[int]
    ) -> Redirect:
        return await self._flip(request, db, forum_id, "unwatch")


@get("/bookmarks", name="notifications:bookmarks", guards=[require_member])
async def bookmarks_page(
    request: ViewerRequest, db: NamedDependency[Database], page: FromQuery[str | None] = None
) -> Template:
    """The member's bookmarked topics they may still view, newest bookmark first."""
    viewer = request.user
    pagination = paginate(page, await store.bookmark_count(db, viewer), BOOKMARKS_PER_PAGE)
    return render(
        request,
        "notifications/bookmarks.html",
        topics=await store.bookmarks(db, viewer, pagination.offset, BOOKMARKS_PER_PAGE),
        pagination=pagination,
    )


FEATURE = Feature(
    "notifications",
    (
        NotificationsController,
        TopicSwitchController,
        ForumSwitchController,
        bookmarks_page,
        API_ROUTER,
    ),
    topic_extensions=(TOPIC_TOOLS,),
    forum_extensions=(FORUM_WATCH,),
    post_published=(on_post_published,),
    middleware=(unread_notices,),
)
