"""The first-run page: what an admin of a new, empty board does before anyone else comes.

Four steps on one page, each usable on its own and in any order: a first category and
forum (optionally taking releases), who may register, the announce URL members' clients
will use, and the way to the board. The front page of an empty board leads an admin here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from tinypier.accounts.guards import require_admin
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum import queries
from tinypier.forum.admin import name_problem
from tinypier.forum.display import render_forum_page
from tinypier.forum.forms import FORM
from tinypier.i18n import _
from tinypier.settings import REGISTRATION_MODES
from tinypier.web.pages import redirect, route

ViewerRequest = Request[Viewer, Any, Any]
PAGE_ROUTE = "admin:first_run"


@dataclass
class FirstForumForm:
    """An unticked box arrives as None: a forum takes releases only when asked."""

    category: str = ""
    forum: str = ""
    description: str = ""
    allows_releases: str | None = None


FirstForumData = Annotated[FirstForumForm, FORM]


def first_forum_problem(form: FirstForumForm) -> str | None:
    """What is wrong with the names, saying which of the two it is."""
    for field, name in ((_("Category"), form.category), (_("Forum"), form.forum)):
        problem = name_problem(name)
        if problem:
            return f"{field}: {problem}"
    return None


class FirstRunController(Controller):
    path = "/admin/first-run"
    guards = [require_admin]

    async def _page(
        self,
        request: ViewerRequest,
        db: Database,
        form: FirstForumForm,
        problem: str | None = None,
    ) -> Template:
        return render_forum_page(
            request,
            "forum/first_run.html",
            status_code=400 if problem else 200,
            form=form,
            problem=problem,
            forums=await queries.all_forums(db),
            registration_modes=REGISTRATION_MODES,
        )

    @get("/", name=PAGE_ROUTE)
    async def show(self, request: ViewerRequest, db: NamedDependency[Database]) -> Template:
        form = FirstForumForm(category=_("General"), allows_releases="on")
        return await self._page(request, db, form)

    @post("/forum", name="admin:first_run_forum")
    async def create_forum(
        self, request: ViewerRequest, db: NamedDependency[Database], data: FirstForumData
    ) -> Template | Redirect:
        """A category (the existing one of that name, or a new one) and a forum in it."""
        problem = first_forum_problem(data)
        if problem:
            return await self._page(request, db, data, problem)
        category_id = await queries.ensure_category(db, data.category.strip())
        await queries.create_forum(
            db,
            category_id,
            data.forum.strip(),
            description=data.description.strip(),
            allows_releases=data.allows_releases is not None,
        )
        message = _("Forum %(forum)s created.", forum=data.forum.strip())
        return redirect(route(request, PAGE_ROUTE), message, "success")
