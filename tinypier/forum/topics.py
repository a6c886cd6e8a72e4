"""Reading and writing topics: the topic page, permalinks, new topics, replies, edits."""

from __future__ import annotations

import sqlite3
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.response import Redirect, Template

from tinypier.accounts.guards import require_member
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum import posting, queries
from tinypier.forum.access import viewable_forum, viewable_post, viewable_topic
from tinypier.forum.bbcode import render_bbcode
from tinypier.forum.display import render_forum_page
from tinypier.forum.forms import PostData, PostForm
from tinypier.forum.moderation_log import log_action
from tinypier.forum.pagination import page_of, paginate
from tinypier.forum.permissions import can_reply, can_start_topic
from tinypier.settings import Settings
from tinypier.torrents.topic_block import release_for_topic
from tinypier.web.pages import redirect

ViewerRequest = Request[Viewer, Any, Any]
FORM_TEMPLATE = "forum/post_form.html"


def member_id(viewer: Viewer) -> int:
    """The id of a viewer the ``require_member`` guard already let through."""
    if viewer.id is None:
        raise PermissionDeniedException("Log in to continue.")
    return viewer.id


def may_edit(viewer: Viewer, author_id: int, topic_locked: bool) -> bool:
    """Authors edit their own posts while the topic is open; moderators edit any post."""
    if viewer.is_moderator:
        return True
    return viewer.id == author_id and not topic_locked


def post_problems(form: PostForm, *, with_title: bool) -> list[str]:
    problems = [posting.body_problem(form.body)]
    if with_title:
        problems.insert(0, posting.title_problem(form.title))
    return [problem for problem in problems if problem]


def quoted(author_name: str, body: str) -> str:
    return f"[quote={author_name}]{body.strip()}[/quote]\n"


def topic_url(topic_id: int, post_id: int, position: int) -> str:
    """Where a post is read: its topic's page, scrolled to the post."""
    page = page_of(position, queries.POSTS_PER_PAGE)
    return f"/topics/{topic_id}?page={page}#post-{post_id}"


class TopicController(Controller):
    @get("/topics/{topic_id:int}", name="forum:topic")
    async def topic(
        self,
        request: ViewerRequest,
        db: Database,
        settings: Settings,
        topic_id: int,
        page: str | None = None,
    ) -> Template:
        """A page of posts (25), ``?page=N`` or ``?page=last``.

        The one GET with a side effect: for a member it moves their own read marker
        (topic_reads) forward to the last post shown, which is what the forum page's
        unread markers compare against. It changes nothing anyone else sees.
        """
        viewer = request.user
        topic = await viewable_topic(db, viewer, topic_id)
        pagination = paginate(page, topic["post_count"], queries.POSTS_PER_PAGE)
        posts = await queries.topic_posts(db, topic_id, pagination.offset)
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
            release=await release_for_topic(db, viewer, topic_id, settings),
            may_reply=can_reply(viewer, topic, bool(topic["locked"])),
            may_edit=lambda author_id: may_edit(viewer, author_id, bool(topic["locked"])),
            move_targets=await queries.movable_forums(db) if viewer.is_moderator else [],
        )

    @get("/posts/{post_id:int}", name="forum:post")
    async def permalink(self, request: ViewerRequest, db: Database, post_id: int) -> Redirect:
        """A post's lasting address: redirects to the page of its topic that holds it now."""
        post_row = await viewable_post(db, request.user, post_id)
        position = await queries.posts_before(db, post_row["topic_id"], post_id)
        return Redirect(topic_url(post_row["topic_id"], post_id, position), status_code=303)


class NewTopicController(Controller):
    path = "/forums/{forum_id:int}/new"
    guards = [require_member]

    async def _startable_forum(self, db: Database, viewer: Viewer, forum_id: int) -> sqlite3.Row:
        forum = await viewable_forum(db, viewer, forum_id)
        if not can_start_topic(viewer, forum):
            raise PermissionDeniedException("You may not start topics in this forum.")
        return forum

    def _form(
        self, request: ViewerRequest, forum: sqlite3.Row, form: PostForm, **context: Any
    ) -> Template:
        return render_forum_page(
            request,
            FORM_TEMPLATE,
            heading=f"New topic in {forum['name']}",
            action=f"/forums/{forum['id']}/new",
            forum=forum,
            form=form,
            with_title=True,
            **context,
        )

    @get(name="forum:new_topic_form")
    async def form(self, request: ViewerRequest, db: Database, forum_id: int) -> Template:
        forum = await self._startable_forum(db, request.user, forum_id)
        return self._form(request, forum, PostForm())

    @post(name="forum:new_topic")
    async def create(
        self, request: ViewerRequest, db: Database, forum_id: int, data: PostData
    ) -> Template | Redirect:
        """Post the topic, or show the form again with a preview or what is wrong."""
        forum = await self._startable_forum(db, request.user, forum_id)
        problems = post_problems(data, with_title=True)
        if problems:
            return self._form(request, forum, data, problems=problems, status_code=400)
        if data.preview is not None:
            return self._form(request, forum, data, preview_html=render_bbcode(data.body))
        new = await posting.create_topic(
            db, forum_id, member_id(request.user), data.title, data.body
        )
        return redirect(f"/topics/{new.topic_id}", "Your topic is posted.", "success")


class ReplyController(Controller):
    path = "/topics/{topic_id:int}/reply"
    guards = [require_member]

    async def _repliable_topic(self, db: Database, viewer: Viewer, topic_id: int) -> sqlite3.Row:
        topic = await viewable_topic(db, viewer, topic_id)
        if not can_reply(viewer, topic, bool(topic["locked"])):
            raise PermissionDeniedException("You may not reply to this topic.")
        return topic

    def _form(
        self, request: ViewerRequest, topic: sqlite3.Row, form: PostForm, **context: Any
    ) -> Template:
        return render_forum_page(
            request,
            FORM_TEMPLATE,
            heading=f"Reply to {topic['title']}",
            action=f"/topics/{topic['id']}/reply",
            topic=topic,
            form=form,
            with_title=False,
            **context,
        )

    async def _quote(self, db: Database, viewer: Viewer, topic_id: int, post_id: int) -> str:
        quoted_post = await viewable_post(db, viewer, post_id)
        if quoted_post["topic_id"] != topic_id:
            raise NotFoundException("There is no such post in this topic.")
        return quoted(quoted_post["author_name"], quoted_post["body"])

    @get(name="forum:reply_form")
    async def form(
        self, request: ViewerRequest, db: Database, topic_id: int, quote: int | None = None
    ) -> Template:
        """The reply form, prefilled with ``[quote=author]...[/quote]`` when quoting a post."""
        topic = await self._repliable_topic(db, request.user, topic_id)
        body = "" if quote is None else await self._quote(db, request.user, topic_id, quote)
        return self._form(request, topic, PostForm(body=body))

    @post(name="forum:reply")
    async def create(
        self, request: ViewerRequest, db: Database, topic_id: int, data: PostData
    ) -> Template | Redirect:
        topic = await self._repliable_topic(db, request.user, topic_id)
        problems = post_problems(data, with_title=False)
        if problems:
            return self._form(request, topic, data, problems=problems, status_code=400)
        if data.preview is not None:
            return self._form(request, topic, data, preview_html=render_bbcode(data.body))
        post_id = await posting.create_post(
            db, topic_id, topic["forum_id"], member_id(request.user), data.body
        )
        position = await queries.posts_before(db, topic_id, post_id)
        return redirect(topic_url(topic_id, post_id, position), "Your reply is posted.", "success")


class EditPostController(Controller):
    path = "/posts/{post_id:int}/edit"
    guards = [require_member]

    async def _editable_post(
        self, db: Database, viewer: Viewer, post_id: int
    ) -> tuple[sqlite3.Row, bool]:
        """The post, and whether it opens its topic (then its title is edited with it)."""
        post_row = await viewable_post(db, viewer, post_id)
        if not may_edit(viewer, post_row["author_id"], bool(post_row["locked"])):
            raise PermissionDeniedException("You may not edit this post.")
        return post_row, post_id == await queries.first_post_id(db, post_row["topic_id"])

    def _form(
        self,
        request: ViewerRequest,
        post_row: sqlite3.Row,
        form: PostForm,
        is_first: bool,
        **context: Any,
    ) -> Template:
        return render_forum_page(
            request,
            FORM_TEMPLATE,
            heading=f"Edit post in {post_row['topic_title']}",
            action=f"/posts/{post_row['id']}/edit",
            form=form,
            with_title=is_first,
            **context,
        )

    @get(name="forum:edit_form")
    async def form(self, request: ViewerRequest, db: Database, post_id: int) -> Template:
        post_row, is_first = await self._editable_post(db, request.user, post_id)
        form = PostForm(body=post_row["body"], title=post_row["topic_title"] if is_first else "")
        return self._form(request, post_row, form, is_first)

    @post(name="forum:edit")
    async def save(
        self, request: ViewerRequest, db: Database, post_id: int, data: PostData
    ) -> Template | Redirect:
        """Save the new text with an edit mark; a moderator's edit of another's post is logged."""
        viewer = request.user
        post_row, is_first = await self._editable_post(db, viewer, post_id)
        problems = post_problems(data, with_title=is_first)
        if problems:
            return self._form(request, post_row, data, is_first, problems=problems, status_code=400)
        if data.preview is not None:
            return self._form(
                request, post_row, data, is_first, preview_html=render_bbcode(data.body)
            )
        editor_id = member_id(viewer)
        async with db.transaction() as connection:
            await posting.edit_post(connection, post_id, editor_id, data.body)
            if is_first:
                await posting.rename_topic(connection, post_row["topic_id"], data.title)
            if editor_id != post_row["author_id"]:
                await log_action(
                    connection, editor_id, "edit_post", "post", post_id, post_row["topic_title"]
                )
        return redirect(f"/posts/{post_id}", "The post is saved.", "success")
