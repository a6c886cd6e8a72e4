"""Admin pages for the board's structure: categories, forums, their order and permissions."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from tinypier.accounts.guards import require_admin
from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum import posting, queries, structure
from tinypier.forum.display import render_forum_page
from tinypier.forum.forms import CategoryData, ConfirmData, ForumData, ForumForm, MoveData
from tinypier.forum.moderation_log import log_action
from tinypier.forum.topics import member_id
from tinypier.i18n import _, ngettext
from tinypier.permissions.lookup import forum_by_id
from tinypier.web import urls
from tinypier.web.confirm import Confirmation, render_confirmation, unconfirmed
from tinypier.web.extensions import lifecycles_in
from tinypier.web.pages import redirect, route

ViewerRequest = Request[Viewer, Any, Any]
MAX_NAME_LENGTH = 100
ROLE_NAMES = [role.label for role in Role]


def name_problem(name: str) -> str | None:
    if not name.strip():
        return _("The name is empty.")
    if len(name) > MAX_NAME_LENGTH:
        return _("Names may not be longer than %(num)s characters.", num=MAX_NAME_LENGTH)
    return None


def forum_settings(form: ForumForm) -> structure.ForumSettings:
    return structure.ForumSettings(
        category_id=form.category_id,
        name=form.name,
        description=form.description,
        view_role=form.view_role,
        topic_role=form.topic_role,
        reply_role=form.reply_role,
        download_role=form.download_role,
        allows_releases=form.allows_releases is not None,
    )


async def existing_forum(db: Database, forum_id: int) -> sqlite3.Row:
    forum = await forum_by_id(db, forum_id)
    if forum is None:
        raise NotFoundException(_("There is no such forum."))
    return forum


def _structure_page() -> str:
    """Where the forum structure's forms go back to: the categories and forums page."""
    return urls.path("admin:forums")


async def existing_category(db: Database, category_id: int) -> None:
    if await db.fetch_one("SELECT 1 FROM categories WHERE id = ?", (category_id,)) is None:
        raise NotFoundException(_("There is no such category."))


class CategoryAdminController(Controller):
    path = "/admin/categories"
    guards = [require_admin]

    @post("/", name="admin:category_create")
    async def create(self, db: NamedDependency[Database], data: CategoryData) -> Redirect:
        problem = name_problem(data.name)
        if problem:
            return redirect(_structure_page(), problem, "error")
        await queries.ensure_category(db, data.name.strip())
        return redirect(_structure_page(), _("Category saved."), "success")

    @post("/{category_id:int}/rename", name="admin:category_rename")
    async def rename(
        self, db: NamedDependency[Database], category_id: FromPath[int], data: CategoryData
    ) -> Redirect:
        await existing_category(db, category_id)
        problem = name_problem(data.name)
        if problem:
            return redirect(_structure_page(), problem, "error")
        try:
            await structure.rename_category(db, category_id, data.name)
        except sqlite3.IntegrityError:
            return redirect(_structure_page(), _("Another category has that name."), "error")
        return redirect(_structure_page(), _("Category renamed."), "success")

    @post("/{category_id:int}/move", name="admin:category_move")
    async def move(
        self, db: NamedDependency[Database], category_id: FromPath[int], data: MoveData
    ) -> Redirect:
        await existing_category(db, category_id)
        await structure.move(db, structure.CATEGORY_ORDER, category_id, data.direction)
        return redirect(_structure_page())

    @post("/{category_id:int}/delete", name="admin:category_delete")
    async def delete(self, db: NamedDependency[Database], category_id: FromPath[int]) -> Redirect:
        """Only an empty category goes: forums are never deleted as a side effect."""
        await existing_category(db, category_id)
        if await structure.delete_empty_category(db, category_id):
            return redirect(_structure_page(), _("Category deleted."), "success")
        return redirect(_structure_page(), _("Only an empty category can be deleted."), "error")


class ForumAdminController(Controller):
    path = "/admin/forums"
    guards = [require_admin]

    async def _form(
        self,
        request: ViewerRequest,
        db: Database,
        form: ForumForm,
        action: str,
        *,
        status_code: int = 200,
        problem: str | None = None,
    ) -> Template:
        return render_forum_page(
            request,
            "forum/admin_forum_form.html",
            status_code=status_code,
            form=form,
            action=action,
            categories=await queries.categories(db),
            roles=ROLE_NAMES,
            problem=problem,
        )

    @get("/", name="admin:forums")
    async def overview(self, request: ViewerRequest, db: NamedDependency[Database]) -> Template:
        forums_by_category = defaultdict(list)
        for forum in await queries.all_forums(db):
            forums_by_category[forum["category_id"]].append(forum)
        sections = [
            (category, forums_by_category[category["id"]])
            for category in await queries.categories(db)
        ]
        return render_forum_page(request, "forum/admin_forums.html", sections=sections)

    @get("/new", name="admin:forum_new_form")
    async def new_form(
        self, request: ViewerRequest, db: NamedDependency[Database], category_id: FromQuery[int] = 0
    ) -> Template:
        return await self._form(
            request, db, ForumForm(category_id=category_id), route(request, "admin:forum_create")
        )

    @post("/new", name="admin:forum_create")
    async def create(
        self, request: ViewerRequest, db: NamedDependency[Database], data: ForumData
    ) -> Template | Redirect:
        problem = await self._problem(db, data)
        if problem:
            return await self._form(
                request,
                db,
                data,
                route(request, "admin:forum_create"),
                status_code=400,
                problem=problem,
            )
        settings = forum_settings(data)
        await queries.create_forum(
            db,
            settings.category_id,
            settings.name.strip(),
            description=settings.description.strip(),
            allows_releases=settings.allows_releases,
            view_role=settings.view_role,
            topic_role=settings.topic_role,
            reply_role=settings.reply_role,
            download_role=settings.download_role,
        )
        return redirect(_structure_page(), _("Forum created."), "success")

    async def _problem(self, db: Database, form: ForumForm) -> str | None:
        if await queries.category_by_id(db, form.category_id) is None:
            return _("Choose a category.")
        return name_problem(form.name)

    @get("/{forum_id:int}/edit", name="admin:forum_edit_form")
    async def edit_form(
        self, request: ViewerRequest, db: NamedDependency[Database], forum_id: FromPath[int]
    ) -> Template:
        forum = await existing_forum(db, forum_id)
        form = ForumForm(
            category_id=forum["category_id"],
            name=forum["name"],
            description=forum["description"],
            view_role=forum["view_role"],
            topic_role=forum["topic_role"],
            reply_role=forum["reply_role"],
            download_role=forum["download_role"],
            allows_releases="on" if forum["allows_releases"] else None,
        )
        return await self._form(
            request, db, form, route(request, "admin:forum_edit", forum_id=forum_id)
        )

    @post("/{forum_id:int}/edit", name="admin:forum_edit")
    async def edit(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        forum_id: FromPath[int],
        data: ForumData,
    ) -> Template | Redirect:
        """Save a forum; when who may view or download changes, the features hear of it
        (the tracker looks its releases up again, so announces follow the new roles at
        once)."""
        forum = await existing_forum(db, forum_id)
        problem = await self._problem(db, data)
        if problem:
            action = route(request, "admin:forum_edit", forum_id=forum_id)
            return await self._form(request, db, data, action, status_code=400, problem=problem)
        async with db.transaction() as connection:
            await structure.update_forum(connection, forum_id, forum_settings(data))
            roles = (forum["view_role"], forum["download_role"])
            if roles != (data.view_role, data.download_role):
                await lifecycles_in(request.app.state).forum_changing_access(connection, forum_id)
        return redirect(_structure_page(), _("Forum saved."), "success")

    @post("/{forum_id:int}/move", name="admin:forum_move")
    async def move(
        self, db: NamedDependency[Database], forum_id: FromPath[int], data: MoveData
    ) -> Redirect:
        await existing_forum(db, forum_id)
        await structure.move(db, structure.FORUM_ORDER, forum_id, data.direction)
        return redirect(_structure_page())

    @get("/{forum_id:int}/delete", name="admin:forum_delete_confirm")
    async def confirm_delete(
        self, request: ViewerRequest, db: NamedDependency[Database], forum_id: FromPath[int]
    ) -> Template:
        """What deleting the forum takes with it; this page changes nothing."""
        forum = await existing_forum(db, forum_id)
        return render_confirmation(
            request,
            Confirmation(
                heading=_("Delete the forum “%(forum)s”?", forum=forum["name"]),
                action=route(request, "admin:forum_delete", forum_id=forum_id),
                button=_("Delete forum"),
                cancel=_structure_page(),
                consequences=[
                    ngettext(
                        "Its %(num)s topic and every post in it are deleted for good:"
                        " this cannot be restored.",
                        "Its %(num)s topics and every post in them are deleted for good:"
                        " this cannot be restored.",
                        forum["topic_count"],
                    ),
                    *await lifecycles_in(request.app.state).forum_delete_consequences(db, forum_id),
                ],
            ),
        )

    @post("/{forum_id:int}/delete", name="admin:forum_delete")
    async def delete(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        forum_id: FromPath[int],
        data: ConfirmData,
    ) -> Redirect:
        """Delete a forum and every topic in it for good, once the admin confirmed; the
        features delete what they keep in it first (releases and their files)."""
        forum = await existing_forum(db, forum_id)
        confirm_page = route(request, "admin:forum_delete_confirm", forum_id=forum_id)
        if (ask := unconfirmed(data.confirm, confirm_page)) is not None:
            return ask
        async with db.transaction() as connection:
            await lifecycles_in(request.app.state).forum_deleting(connection, forum_id)
            await posting.delete_forum(connection, forum_id)
            await log_action(
                connection,
                member_id(request.user),
                "delete",
                "forum",
                forum_id,
                forum["name"],
                forum_id=forum_id,
            )
        return redirect(
            _structure_page(), _("Forum %(forum)s deleted.", forum=forum["name"]), "success"
        )
