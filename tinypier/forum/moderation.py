"""Moderators' actions on topics and posts, and the log that records each of them.

Moderators are global: they act in every forum they can view. A group's ``moderate``
grant (``tinypier.groups``) makes its members moderators of the forums it names: they
act there alone (``permissions.rules.can_moderate`` on every topic, post and target
forum). Each action and its log entry are written in one transaction.

Features keep their own rows beside topics (a release) and their own caches (the
tracker's): each action that deletes, restores, moves or merges topics runs the
features' :class:`~tinypier.web.extensions.TopicLifecycle` hooks in its transaction, and
asks them what else a deletion does and whether a merge may happen. The forum imports
none of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import aiosqlite
from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import (
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum import posting, queries
from tinypier.forum.display import PIN_VALUES, render_forum_page
from tinypier.forum.forms import ConfirmData, MergeData, MoveTopicData, PinData, SplitData
from tinypier.forum.log_sentences import log_sentence
from tinypier.forum.moderation_log import log_action
from tinypier.forum.pagination import paginate
from tinypier.forum.topics import member_id
from tinypier.i18n import _, ngettext
from tinypier.permissions.lookup import viewable_forum, viewable_post, viewable_topic
from tinypier.permissions.rules import ForumRow, can_moderate, moderates_anywhere
from tinypier.web.confirm import Confirmation, render_confirmation, unconfirmed
from tinypier.web.extensions import lifecycles_in
from tinypier.web.pages import redirect, route

ViewerRequest = Request[Viewer, Any, Any]


def require_moderation(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    """The moderation routes are for moderators: global ones, and members whose group
    moderates some forum (each action then checks that forum)."""
    viewer: Viewer = connection.user
    if not viewer.is_member:
        raise NotAuthorizedException(_("Log in to continue."))
    if not moderates_anywhere(viewer):
        raise PermissionDeniedException(_("You do not have permission to do that."))


def moderated(viewer: Viewer, row: ForumRow) -> None:
    """Refuse an action in a forum the viewer may see but does not moderate."""
    if not can_moderate(viewer, row):
        raise PermissionDeniedException(_("You do not have permission to do that."))


async def moderated_topic(db: Database, viewer: Viewer, topic_id: int) -> sqlite3.Row:
    topic = await viewable_topic(db, viewer, topic_id)
    moderated(viewer, topic)
    return topic


async def moderated_post(db: Database, viewer: Viewer, post_id: int) -> sqlite3.Row:
    post_row = await viewable_post(db, viewer, post_id)
    moderated(viewer, post_row)
    return post_row


async def moderated_forum(db: Database, viewer: Viewer, forum_id: int) -> sqlite3.Row:
    forum = await viewable_forum(db, viewer, forum_id)
    moderated(viewer, forum)
    return forum


async def live_topic(db: Database, viewer: Viewer, topic_id: int) -> sqlite3.Row:
    """A topic a moderator may act on: a deleted one only takes a restore."""
    topic = await moderated_topic(db, viewer, topic_id)
    if topic["deleted_at"] is not None:
        raise ValidationException(_("This topic is deleted: restore it first."))
    return topic


async def live_post(db: Database, viewer: Viewer, post_id: int) -> sqlite3.Row:
    """A post a moderator may act on: neither it nor its topic deleted."""
    post_row = await moderated_post(db, viewer, post_id)
    if post_row["topic_deleted_at"] is not None:
        raise ValidationException(_("This topic is deleted: restore it first."))
    if post_row["deleted_at"] is not None:
        raise ValidationException(_("This post is deleted: restore it first."))
    return post_row


@asynccontextmanager
async def logged_topic_change(
    db: Database, request: ViewerRequest, topic: sqlite3.Row, action: str
) -> AsyncIterator[aiosqlite.Connection]:
    """One transaction for a change to a topic and its log entry: both happen, or neither."""
    async with db.transaction() as connection:
        yield connection
        await log_action(
            connection, member_id(request.user), action, "topic", topic["id"], topic["title"],
            forum_id=topic["forum_id"],
        )  # fmt: skip


async def splittable_post(db: Database, viewer: Viewer, post_id: int) -> tuple[sqlite3.Row, int]:
    """A live reply to split a topic from, and how many posts (it and the later ones) go."""
    post_row = await live_post(db, viewer, post_id)
    if post_id == await queries.first_post_id(db, post_row["topic_id"]):
        raise ValidationException(
            _("A split from the first post would take the whole topic: move the topic instead.")
        )
    return post_row, await queries.posts_from(db, post_row["topic_id"], post_id)


def split_confirmation(request: ViewerRequest, post_row: sqlite3.Row, moving: int) -> Confirmation:
    author = post_row["author_name"]
    what_goes = (
        ngettext(
            "This post (by %(author)s) and %(num)s later post become a new topic.",
            "This post (by %(author)s) and %(num)s later posts become a new topic.",
            moving - 1,
            author=author,
        )
        if moving > 1
        else _("This post (by %(author)s) becomes a new topic.", author=author)
    )
    return Confirmation(
        heading=_("Split “%(title)s”", title=post_row["topic_title"]),
        action=route(request, "forum:split_topic", post_id=post_row["id"]),
        button=_("Split into a new topic"),
        cancel=route(request, "forum:post", post_id=post_row["id"]),
        consequences=[
            what_goes,
            _("The topic's first post and its release stay where they are."),
        ],
    )


def merge_confirmation(request: ViewerRequest, topic: sqlite3.Row) -> Confirmation:
    return Confirmation(
        heading=_("Merge “%(title)s” into another topic", title=topic["title"]),
        action=route(request, "forum:merge_topic", topic_id=topic["id"]),
        button=_("Merge"),
        cancel=route(request, "forum:topic", topic_id=topic["id"]),
        consequences=[
            ngettext(
                "Its %(num)s post moves into the topic you name, among its posts in the order"
                " they were written.",
                "Its %(num)s posts move into the topic you name, among its posts in the order"
                " they were written.",
                topic["post_count"],
            ),
            _("This topic is then removed; a release it has moves along with its posts."),
        ],
    )


class ModerationController(Controller):
    guards = [require_moderation]

    async def _set_locked(
        self, request: ViewerRequest, db: Database, topic_id: int, locked: bool
    ) -> Redirect:
        topic = await live_topic(db, request.user, topic_id)
        action = "lock" if locked else "unlock"
        async with logged_topic_change(db, request, topic, action) as connection:
            await connection.execute(
                "UPDATE topics SET locked = ? WHERE id = ?", (locked, topic_id)
            )
        return redirect(
            route(request, "forum:topic", topic_id=topic_id),
            _("Topic locked.") if action == "lock" else _("Topic unlocked."),
            "success",
        )

    @post("/topics/{topic_id:int}/lock", name="forum:lock")
    async def lock(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Redirect:
        return await self._set_locked(request, db, topic_id, locked=True)

    @post("/topics/{topic_id:int}/unlock", name="forum:unlock")
    async def unlock(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Redirect:
        return await self._set_locked(request, db, topic_id, locked=False)

    @post("/topics/{topic_id:int}/pin", name="forum:pin")
    async def pin(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        topic_id: FromPath[int],
        data: PinData,
    ) -> Redirect:
        """Make a topic an announcement, a sticky, or a normal topic again."""
        topic = await live_topic(db, request.user, topic_id)
        async with logged_topic_change(db, request, topic, f"pin_{data.pin}") as connection:
            await connection.execute(
                "UPDATE topics SET pin = ? WHERE id = ?", (PIN_VALUES[data.pin], topic_id)
            )
        return redirect(
            route(request, "forum:topic", topic_id=topic_id),
            _("Topic is now %(pin)s.", pin=_(data.pin)),
            "success",
        )

    @post("/topics/{topic_id:int}/move", name="forum:move")
    async def move(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        topic_id: FromPath[int],
        data: MoveTopicData,
    ) -> Redirect:
        """Move a topic to another forum the moderator can view; both forums' counters follow,
        and the tracker looks its release up again under the new forum's roles."""
        topic = await live_topic(db, request.user, topic_id)
        target = await moderated_forum(db, request.user, data.forum_id)
        if target["id"] == topic["forum_id"]:
            raise ValidationException(_("The topic is already in that forum."))
        async with db.transaction() as connection:
            await posting.move_topic(connection, topic_id, target["id"])
            await lifecycles_in(request.app.state).topics_changed(connection, [topic_id])
            await log_action(
                connection,
                member_id(request.user),
                "move",
                "topic",
                topic_id,
                f"{topic['title']}: {topic['forum_name']} -> {target['name']}",
                forum_id=topic["forum_id"],
                moved=(topic["forum_id"], target["id"]),
            )
        return redirect(
            route(request, "forum:topic", topic_id=topic_id),
            _("Topic moved to %(forum)s.", forum=target["name"]),
            "success",
        )

    @get("/topics/{topic_id:int}/delete", name="forum:delete_topic_confirm")
    async def confirm_delete_topic(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Template:
        """What deleting the topic does, and the button that does it (this page changes
        nothing)."""
        topic = await live_topic(db, request.user, topic_id)
        consequences = [
            ngettext(
                "The topic and its %(num)s post disappear from the forum, search, feeds"
                " and member pages.",
                "The topic and its %(num)s posts disappear from the forum, search, feeds"
                " and member pages.",
                topic["post_count"],
            ),
            *await lifecycles_in(request.app.state).topic_delete_consequences(db, topic_id),
            _("Moderators can restore it from the forum page."),
        ]
        return render_confirmation(
            request,
            Confirmation(
                heading=_("Delete the topic “%(title)s”?", title=topic["title"]),
                action=route(request, "forum:delete_topic", topic_id=topic_id),
                button=_("Delete topic"),
                cancel=route(request, "forum:topic", topic_id=topic_id),
                consequences=consequences,
            ),
        )

    @post("/topics/{topic_id:int}/delete", name="forum:delete_topic")
    async def delete_topic(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        topic_id: FromPath[int],
        data: ConfirmData,
    ) -> Redirect:
        """Delete softly (see ``posting.delete_topic``); the features hear of it (the
        tracker forgets the topic's release)."""
        topic = await live_topic(db, request.user, topic_id)
        ask = unconfirmed(
            data.confirm, route(request, "forum:delete_topic_confirm", topic_id=topic_id)
        )
        if ask is not None:
            return ask
        async with logged_topic_change(db, request, topic, "delete") as connection:
            await posting.delete_topic(connection, topic_id)
            await lifecycles_in(request.app.state).topics_changed(connection, [topic_id])
        return redirect(
            route(request, "forum:forum", forum_id=topic["forum_id"]),
            _("Topic deleted. Moderators can restore it from this forum's page."),
            "success",
        )

    @post("/topics/{topic_id:int}/restore", name="forum:restore_topic")
    async def restore_topic(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Redirect:
        """Bring a deleted topic back: counters, search, feeds and its release return."""
        topic = await moderated_topic(db, request.user, topic_id)
        if topic["deleted_at"] is None:
            raise ValidationException(_("The topic is not deleted."))
        async with logged_topic_change(db, request, topic, "restore") as connection:
            await posting.restore_topic(connection, topic_id)
            await lifecycles_in(request.app.state).topics_changed(connection, [topic_id])
        return redirect(
            route(request, "forum:topic", topic_id=topic_id), _("Topic restored."), "success"
        )

    @get("/posts/{post_id:int}/delete", name="forum:delete_post_confirm")
    async def confirm_delete_post(
        self, request: ViewerRequest, db: NamedDependency[Database], post_id: FromPath[int]
    ) -> Template:
        post_row = await live_post(db, request.user, post_id)
        is_first = post_id == await queries.first_post_id(db, post_row["topic_id"])
        consequences = [
            _("The post disappears for members: from the topic, search and member pages.")
        ]
        if is_first:
            consequences.append(
                _("It is the topic's first post: the whole topic is deleted with it.")
            )
        consequences.append(_("Moderators still see it, marked, and can restore it."))
        return render_confirmation(
            request,
            Confirmation(
                heading=_(
                    "Delete this post by %(author)s in “%(title)s”?",
                    author=post_row["author_name"],
                    title=post_row["topic_title"],
                ),
                action=route(request, "forum:delete_post", post_id=post_id),
                button=_("Delete post"),
                cancel=route(request, "forum:post", post_id=post_id),
                consequences=consequences,
            ),
            "forum/confirm_post.html",
            post=post_row,
        )

    @post("/posts/{post_id:int}/delete", name="forum:delete_post")
    async def delete_post(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        post_id: FromPath[int],
        data: ConfirmData,
    ) -> Redirect:
        """Delete a post softly; deleting a topic's first post deletes the whole topic."""
        post_row = await live_post(db, request.user, post_id)
        confirm_page = route(request, "forum:delete_post_confirm", post_id=post_id)
        ask = unconfirmed(data.confirm, confirm_page)
        if ask is not None:
            return ask
        topic_id = post_row["topic_id"]
        async with db.transaction() as connection:
            deleted = await posting.delete_post(connection, post_id)
            if deleted.topic_gone:
                await lifecycles_in(request.app.state).topics_changed(connection, [topic_id])
            # Names only: the log's words are the reader's (forum.log_sentences), never stored.
            await log_action(
                connection,
                member_id(request.user),
                "delete_with_topic" if deleted.topic_gone else "delete",
                "post",
                post_id,
                f"{post_row['author_name']}: {post_row['topic_title']}",
                forum_id=post_row["forum_id"],
            )
        if not deleted.topic_gone:
            return redirect(
                route(request, "forum:post", post_id=post_id), _("Post deleted."), "success"
            )
        return redirect(
            route(request, "forum:forum", forum_id=post_row["forum_id"]),
            _("First post deleted with its topic."),
            "success",
        )

    @post("/posts/{post_id:int}/restore", name="forum:restore_post")
    async def restore_post(
        self, request: ViewerRequest, db: NamedDependency[Database], post_id: FromPath[int]
    ) -> Redirect:
        post_row = await moderated_post(db, request.user, post_id)
        if post_row["topic_deleted_at"] is not None:
            raise ValidationException(_("The post's topic is deleted: restore the topic."))
        if post_row["deleted_at"] is None:
            raise ValidationException(_("The post is not deleted."))
        async with db.transaction() as connection:
            await posting.restore_post(connection, post_id)
            await log_action(
                connection, member_id(request.user), "restore", "post", post_id,
                f"{post_row['author_name']}: {post_row['topic_title']}",
                forum_id=post_row["forum_id"],
            )  # fmt: skip
        return redirect(
            route(request, "forum:post", post_id=post_id), _("Post restored."), "success"
        )

    @get("/posts/{post_id:int}/split", name="forum:split_topic_form")
    async def split_form(
        self, request: ViewerRequest, db: NamedDependency[Database], post_id: FromPath[int]
    ) -> Template:
        """The split's confirm page: how many posts leave, and the new topic's title and
        forum to choose."""
        post_row, moving = await splittable_post(db, request.user, post_id)
        return render_confirmation(
            request,
            split_confirmation(request, post_row, moving),
            "forum/split.html",
            forums=await queries.movable_forums(db, request.user),
            chosen_forum_id=post_row["forum_id"],
        )

    @post("/posts/{post_id:int}/split", name="forum:split_topic")
    async def split(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        post_id: FromPath[int],
        data: SplitData,
    ) -> Redirect:
        """Move this post and every later one into a new topic; counters, search and
        feeds follow, the release stays with the first post."""
        post_row, _moving = await splittable_post(db, request.user, post_id)
        ask = unconfirmed(data.confirm, route(request, "forum:split_topic_form", post_id=post_id))
        if ask is not None:
            return ask
        if (problem := posting.title_problem(data.title)) is not None:
            raise ValidationException(problem)
        if data.forum_id is None:
            raise ValidationException(_("Choose the forum for the new topic."))
        forum = await moderated_forum(db, request.user, data.forum_id)
        async with db.transaction() as connection:
            new_topic_id = await posting.split_topic(connection, post_id, forum["id"], data.title)
            await log_action(
                connection, member_id(request.user), "split", "topic", new_topic_id,
                post_row["topic_title"], forum_id=forum["id"],
                moved=(post_row["forum_id"], forum["id"]),
            )  # fmt: skip
        return redirect(
            route(request, "forum:topic", topic_id=new_topic_id),
            _("The posts are now the topic “%(title)s”.", title=data.title.strip()),
            "success",
        )

    @get("/topics/{topic_id:int}/merge", name="forum:merge_topic_form")
    async def merge_form(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Template:
        """The merge's confirm page: name the topic that takes this one's posts."""
        topic = await live_topic(db, request.user, topic_id)
        return render_confirmation(request, merge_confirmation(request, topic), "forum/merge.html")

    @post("/topics/{topic_id:int}/merge", name="forum:merge_topic")
    async def merge(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        topic_id: FromPath[int],
        data: MergeData,
    ) -> Redirect:
        """Move this topic's posts into another and remove this one; refused when a
        feature objects (both topics carry a release, and a topic has one)."""
        source = await live_topic(db, request.user, topic_id)
        ask = unconfirmed(data.confirm, route(request, "forum:merge_topic_form", topic_id=topic_id))
        if ask is not None:
            return ask
        if data.into_topic_id is None:
            raise ValidationException(_("Give the number of the topic to merge into."))
        if data.into_topic_id == topic_id:
            raise ValidationException(_("A topic cannot be merged into itself."))
        target = await live_topic(db, request.user, data.into_topic_id)
        hooks = lifecycles_in(request.app.state)
        if (problem := await hooks.merge_problem(db, topic_id, target["id"])) is not None:
            raise ValidationException(problem)
        async with db.transaction() as connection:
            await hooks.topics_merging(connection, topic_id, target["id"])
            await posting.merge_topics(connection, topic_id, target["id"])
            await hooks.topics_changed(connection, [target["id"]])
            await log_action(
                connection, member_id(request.user), "merge", "topic", target["id"],
                source["title"], forum_id=target["forum_id"],
                moved=(source["forum_id"], target["forum_id"]),
            )  # fmt: skip
        return redirect(
            route(request, "forum:topic", topic_id=target["id"]),
            _("The topics are merged."),
            "success",
        )

    @get("/moderation", name="forum:moderation_log")
    async def log(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        page: FromQuery[str | None] = None,
    ) -> Template:
        pagination = paginate(
            page, await queries.moderation_log_size(db, request.user), queries.LOG_ENTRIES_PER_PAGE
        )
        entries = await queries.moderation_log_page(db, request.user, pagination.offset)
        reverse = partial(route, request)
        return render_forum_page(
            request,
            "forum/moderation.html",
            entries=[(entry, log_sentence(entry, reverse)) for entry in entries],
            pagination=pagination,
        )
