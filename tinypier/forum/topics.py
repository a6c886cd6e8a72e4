"""Reading and writing topics: the topic page, permalinks, new topics, replies, edits."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from tinypier.accounts.guards import require_member
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum import posting, queries
from tinypier.forum.bbcode import render_bbcode_off_loop
from tinypier.forum.display import render_forum_page
from tinypier.forum.flood import admit_post, admit_preview
from tinypier.forum.forms import PostData, PostForm
from tinypier.forum.moderation_log import log_action
from tinypier.forum.pagination import page_of, paginate
from tinypier.i18n import _
from tinypier.permissions.lookup import viewable_forum, viewable_post, viewable_topic
from tinypier.permissions.rules import (
    can_edit_post,
    can_moderate,
    can_reply,
    can_see_deleted_in,
    can_start_topic,
)
from tinypier.settings import Settings
from tinypier.web.extensions import PageExtensions, PostHooks
from tinypier.web.pages import redirect, route

ViewerRequest = Request[Viewer, Any, Any]
FORM_TEMPLATE = "forum/post_form.html"


def member_id(viewer: Viewer) -> int:
    """The id of a viewer the ``require_member`` guard already let through."""
    if viewer.id is None:
        raise PermissionDeniedException(_("Log in to continue."))
    return viewer.id


def post_problems(form: PostForm, *, with_title: bool, max_body_chars: int) -> list[str]:
    problems = [posting.body_problem(form.body, max_body_chars)]
    if with_title:
        problems.insert(0, posting.title_problem(form.title))
    return [problem for problem in problems if problem]


@dataclass(frozen=True)
class FormPage:
    """The one posting form, as a new topic (with a title), a reply or an edit uses it."""

    heading: str
    action: str
    with_title: bool

    def render(
        self, request: ViewerRequest, form: PostForm, *, status_code: int = 200, **context: Any
    ) -> Template:
        return render_forum_page(
            request,
            FORM_TEMPLATE,
            status_code=status_code,
            heading=self.heading,
            action=self.action,
            with_title=self.with_title,
            form=form,
            **context,
        )

    async def unfinished(self, request: ViewerRequest, form: PostForm) -> Template | None:
        """The form again when it has problems or asked for a preview; None when ready to save.

        A preview renders the BBCode exactly as saving would, and writes nothing.
        """
        if form.preview is not None and (refusal := admit_preview(request)):
            # Before anything reads the body: a refused preview should cost next to nothing.
            return self.render(request, form, problems=[refusal], status_code=429)
        settings: Settings = request.app.state.settings
        problems = post_problems(
            form, with_title=self.with_title, max_body_chars=settings.post_max_chars
        )
        if problems:
            return self.render(request, form, problems=problems, status_code=400)
        if form.preview is not None:
            preview_html = await render_bbcode_off_loop(form.body)
            return self.render(request, form, preview_html=preview_html)
        return None

    def flooded(self, request: ViewerRequest, form: PostForm) -> Template | None:
        """The form again, text kept, when the member is posting too fast; else None and
        the post is counted (see forum.flood)."""
        refusal = admit_post(request)
        if refusal is None:
            return None
        return self.render(request, form, problems=[refusal], status_code=429)


def quoted(author_name: str, body: str) -> str:
    return f"[quote={author_name}]{body.strip()}[/quote]\n"


def topic_url(request: ViewerRequest, topic_id: int, post_id: int, position: int) -> str:
    """Where a post is read: its topic's page, scrolled to the post."""
    page = page_of(position, queries.POSTS_PER_PAGE)
    topic = route(request, "forum:topic", topic_id=topic_id)
    return f"{topic}?page={page}#post-{post_id}"


async def topic_page(
    request: ViewerRequest, db: Database, settings: Settings, topic_id: int, page: str | None
) -> Template:
    """A page of posts (25), ``?page=N`` or ``?page=last``: the topic's own address, and
    a release's engine-v1 address (``tinypier.torrents.routes.release_page``).

    The one GET with a side effect: for a member it moves their own read marker
    (topic_reads) forward to the last post shown, which is what the forum page's
    unread markers compare against. It changes nothing anyone else sees.
    """
    viewer = request.user
    topic = await viewable_topic(db, viewer, topic_id)
    moderating = can_moderate(viewer, topic)
    with_deleted = can_see_deleted_in(viewer, topic)
    size = await queries.topic_size(db, topic, with_deleted)
    pagination = paginate(page, size, queries.POSTS_PER_PAGE)
    posts = await queries.topic_posts(db, topic_id, pagination.offset, with_deleted)
    pages: PageExtensions = request.app.state.page_extensions
    if viewer.id is not None and posts:
        last_shown = posts[-1]["id"]
        if last_shown > await queries.read_position(db, viewer, topic_id):
            await queries.mark_read(db, viewer.id, topic_id, last_shown)
    return render_forum_page(
        request,
        "forum/topic.html",
        topic=topic,
        posts=posts,
        pagination=pagination,
        parts=await pages.topic_parts(db, viewer, topic, settings),
        authors=await pages.author_parts(db, viewer, [p["author_id"] for p in posts], settings),
        may_reply=can_reply(viewer, topic, bool(topic["locked"])) and not topic["deleted_at"],
        may_edit=lambda author_id: can_edit_post(viewer, author_id, bool(topic["locked"])),
        may_moderate=moderating,
        move_targets=await queries.movable_forums(db, viewer) if moderating else [],
    )


class TopicController(Controller):
    @get("/topics/{topic_id:int}", name="forum:topic")
    async def topic(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        topic_id: FromPath[int],
        page: FromQuery[str | None] = None,
    ) -> Template:
        """A page of the topic's posts (see ``topic_page``)."""
        return await topic_page(request, db, settings, topic_id, page)

    @get("/posts/{post_id:int}", name="forum:post")
    async def permalink(
        self, request: ViewerRequest, db: NamedDependency[Database], post_id: FromPath[int]
    ) -> Redirect:
        """A post's lasting address: redirects to the page of its topic that holds it now."""
        post_row = await viewable_post(db, request.user, post_id)
        position = await queries.posts_before(
            db, post_row["topic_id"], post_id, can_see_deleted_in(request.user, post_row)
        )
        return Redirect(
            topic_url(request, post_row["topic_id"], post_id, position), status_code=303
        )


class NewTopicController(Controller):
    path = "/forums/{forum_id:int}/new"
    guards = [require_member]

    async def _startable_forum(
        self, request: ViewerRequest, db: Database, forum_id: int
    ) -> FormPage:
        viewer = request.user
        forum = await viewable_forum(db, viewer, forum_id)
        if not can_start_topic(viewer, forum):
            raise PermissionDeniedException(_("You may not start topics in this forum."))
        action = route(request, "forum:new_topic", forum_id=forum_id)
        return FormPage(_("New topic in %(forum)s", forum=forum["name"]), action, True)

    @get(name="forum:new_topic_form")
    async def form(
        self, request: ViewerRequest, db: NamedDependency[Database], forum_id: FromPath[int]
    ) -> Template:
        page = await self._startable_forum(request, db, forum_id)
        return page.render(request, PostForm())

    @post(name="forum:new_topic")
    async def create(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        forum_id: FromPath[int],
        data: PostData,
    ) -> Template | Redirect:
        page = await self._startable_forum(request, db, forum_id)
        unfinished = await page.unfinished(request, data) or page.flooded(request, data)
        if unfinished is not None:
            return unfinished
        hooks: PostHooks = request.app.state.post_hooks
        new = await posting.create_topic(
            db, forum_id, member_id(request.user), data.title, data.body, hooks
        )
        topic = route(request, "forum:topic", topic_id=new.topic_id)
        return redirect(topic, _("Your topic is posted."), "success")


class ReplyController(Controller):
    path = "/topics/{topic_id:int}/reply"
    guards = [require_member]

    async def _repliable_topic(self, db: Database, viewer: Viewer, topic_id: int) -> sqlite3.Row:
        topic = await viewable_topic(db, viewer, topic_id)
        if topic["deleted_at"] is not None:
            raise PermissionDeniedException(_("This topic is deleted: restore it first."))
        if not can_reply(viewer, topic, bool(topic["locked"])):
            raise PermissionDeniedException(_("You may not reply to this topic."))
        return topic

    def _page(self, request: ViewerRequest, topic: sqlite3.Row) -> FormPage:
        action = route(request, "forum:reply", topic_id=topic["id"])
        return FormPage(_("Reply to %(title)s", title=topic["title"]), action, False)

    async def _quote(self, db: Database, viewer: Viewer, topic_id: int, post_id: int) -> str:
        quoted_post = await viewable_post(db, viewer, post_id)
        if quoted_post["topic_id"] != topic_id:
            raise NotFoundException(_("There is no such post in this topic."))
        return quoted(quoted_post["author_name"], quoted_post["body"])

    @get(name="forum:reply_form")
    async def form(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        topic_id: FromPath[int],
        quote: FromQuery[int | None] = None,
    ) -> Template:
        """The reply form, prefilled with ``[quote=author]...[/quote]`` when quoting a post."""
        topic = await self._repliable_topic(db, request.user, topic_id)
        body = "" if quote is None else await self._quote(db, request.user, topic_id, quote)
        return self._page(request, topic).render(request, PostForm(body=body))

    @post(name="forum:reply")
    async def create(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        topic_id: FromPath[int],
        data: PostData,
    ) -> Template | Redirect:
        topic = await self._repliable_topic(db, request.user, topic_id)
        page = self._page(request, topic)
        unfinished = await page.unfinished(request, data) or page.flooded(request, data)
        if unfinished is not None:
            return unfinished
        hooks: PostHooks = request.app.state.post_hooks
        post_id = await posting.create_post(
            db, topic_id, topic["forum_id"], member_id(request.user), data.body, hooks
        )
        position = await queries.posts_before(
            db, topic_id, post_id, can_see_deleted_in(request.user, topic)
        )
        return redirect(
            topic_url(request, topic_id, post_id, position), _("Your reply is posted."), "success"
        )


class EditPostController(Controller):
    path = "/posts/{post_id:int}/edit"
    guards = [require_member]

    async def _editable_post(
        self, request: ViewerRequest, db: Database, post_id: int
    ) -> tuple[sqlite3.Row, FormPage]:
        """The post, and its form: with the topic's title when the post opens the topic."""
        viewer = request.user
        post_row = await viewable_post(db, viewer, post_id)
        if not can_edit_post(viewer, post_row["author_id"], bool(post_row["locked"])):
            raise PermissionDeniedException(_("You may not edit this post."))
        is_first = post_id == await queries.first_post_id(db, post_row["topic_id"])
        heading = _("Edit post in %(title)s", title=post_row["topic_title"])
        return post_row, FormPage(heading, route(request, "forum:edit", post_id=post_id), is_first)

    @get(name="forum:edit_form")
    async def form(
        self, request: ViewerRequest, db: NamedDependency[Database], post_id: FromPath[int]
    ) -> Template:
        post_row, page = await self._editable_post(request, db, post_id)
        title = post_row["topic_title"] if page.with_title else ""
        return page.render(request, PostForm(body=post_row["body"], title=title))

    @post(name="forum:edit")
    async def save(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        post_id: FromPath[int],
        data: PostData,
    ) -> Template | Redirect:
        """Save the new text with an edit mark; a moderator's edit of another's post is logged."""
        post_row, page = await self._editable_post(request, db, post_id)
        unfinished = await page.unfinished(request, data)
        if unfinished is not None:
            return unfinished
        editor_id = member_id(request.user)
        async with db.transaction() as connection:
            await posting.edit_post(connection, post_id, editor_id, data.body)
            if page.with_title:
                await posting.rename_topic(connection, post_row["topic_id"], data.title)
            if editor_id != post_row["author_id"]:
                await log_action(
                    connection,
                    editor_id,
                    "edit_post",
                    "post",
                    post_id,
                    post_row["topic_title"],
                    forum_id=post_row["forum_id"],
                )
        post_page = route(request, "forum:post", post_id=post_id)
        return redirect(post_page, _("The post is saved."), "success")
