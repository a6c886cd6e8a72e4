"""Moderators' actions on topics and posts, and the log that records each of them.

Moderators are global: they act in every forum they can view. Each action and its log
entry are written in one transaction.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from tinypier.accounts.guards import require_moderator
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum import posting, queries
from tinypier.forum.display import PIN_VALUES, render_forum_page
from tinypier.forum.forms import MoveTopicData, PinData
from tinypier.forum.moderation_log import log_action
from tinypier.forum.pagination import paginate
from tinypier.forum.topics import member_id
from tinypier.i18n import _
from tinypier.permissions.lookup import viewable_forum, viewable_post, viewable_topic
from tinypier.settings import Settings
from tinypier.torrents.releases import release_by_topic
from tinypier.torrents.storage import remove_forgotten
from tinypier.web.pages import redirect

ViewerRequest = Request[Viewer, Any, Any]


class ModerationController(Controller):
    guards = [require_moderator]

    async def _set_locked(
        self, request: ViewerRequest, db: Database, topic_id: int, locked: bool
    ) -> Redirect:
        topic = await viewable_topic(db, request.user, topic_id)
        action = "lock" if locked else "unlock"
        async with db.transaction() as connection:
            await connection.execute(
                "UPDATE topics SET locked = ? WHERE id = ?", (locked, topic_id)
            )
            await log_action(
                connection,
                member_id(request.user),
                action,
                "topic",
                topic_id,
                topic["title"],
                forum_id=topic["forum_id"],
            )
        return redirect(
            f"/topics/{topic_id}",
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
        topic = await viewable_topic(db, request.user, topic_id)
        async with db.transaction() as connection:
            await connection.execute(
                "UPDATE topics SET pin = ? WHERE id = ?", (PIN_VALUES[data.pin], topic_id)
            )
            await log_action(
                connection,
                member_id(request.user),
                f"pin_{data.pin}",
                "topic",
                topic_id,
                topic["title"],
                forum_id=topic["forum_id"],
            )
        return redirect(
            f"/topics/{topic_id}", _("Topic is now %(pin)s.", pin=_(data.pin)), "success"
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
        topic = await viewable_topic(db, request.user, topic_id)
        target = await viewable_forum(db, request.user, data.forum_id)
        if target["id"] == topic["forum_id"]:
            raise ValidationException(_("The topic is already in that forum."))
        release = await release_by_topic(db, topic_id)
        async with db.transaction() as connection:
            await posting.move_topic(connection, topic_id, target["id"])
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
        if release is not None:
            request.app.state.changes.torrent_changed(release["id"])
        return redirect(
            f"/topics/{topic_id}", _("Topic moved to %(forum)s.", forum=target["name"]), "success"
        )

    @post("/topics/{topic_id:int}/delete", name="forum:delete_topic")
    async def delete_topic(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        topic_id: FromPath[int],
    ) -> Redirect:
        topic = await viewable_topic(db, request.user, topic_id)
        release = await release_by_topic(db, topic_id)
        async with db.transaction() as connection:
            freed_files = await posting.delete_topic(connection, topic_id)
            await log_action(
                connection,
                member_id(request.user),
                "delete",
                "topic",
                topic_id,
                topic["title"],
                forum_id=topic["forum_id"],
            )
        await remove_forgotten(db, settings.attachments_dir, freed_files)
        if release is not None:
            request.app.state.changes.torrent_changed(release["id"])
        return redirect(f"/forums/{topic['forum_id']}", _("Topic deleted."), "success")

    @post("/posts/{post_id:int}/delete", name="forum:delete_post")
    async def delete_post(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        post_id: FromPath[int],
    ) -> Redirect:
        """Delete a post; deleting a topic's first post deletes the whole topic."""
        post_row = await viewable_post(db, request.user, post_id)
        topic_id = post_row["topic_id"]
        release = await release_by_topic(db, topic_id)
        async with db.transaction() as connection:
            deleted = await posting.delete_post(connection, post_id)
            # Names only: the log's words are the reader's (web.labels), never stored.
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
            return redirect(f"/topics/{topic_id}?page=last", _("Post deleted."), "success")
        await remove_forgotten(db, settings.attachments_dir, deleted.freed_files)
        if release is not None:
            request.app.state.changes.torrent_changed(release["id"])
        return redirect(
            f"/forums/{post_row['forum_id']}", _("First post deleted with its topic."), "success"
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
        return render_forum_page(
            request, "forum/moderation.html", entries=entries, pagination=pagination
        )
