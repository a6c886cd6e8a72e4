"""The admin's rank pages: create, edit and delete the titles shown beside members' names.

Every change is logged in the moderation log with the rank's title. A rank's image is
uploaded and refused exactly as an avatar is (``tinypier.profiles.images``).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from tinypier.accounts.guards import require_admin
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.forms import ConfirmData
from tinypier.i18n import _
from tinypier.profiles import store
from tinypier.profiles.forms import MIN_POSTS_MAX, RANK_TITLE_MAX_CHARS, RankData, RankForm
from tinypier.profiles.images import ImageRefused, normalized_png_off_loop
from tinypier.settings import Settings
from tinypier.torrents.forms import read_upload
from tinypier.web.confirm import Confirmation, render_confirmation, unconfirmed
from tinypier.web.numbers import whole_number
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]


class RankRefused(ValueError):
    """A rank form the board will not save; the message is meant for the admin."""


async def rank_change(form: RankForm, settings: Settings) -> store.RankChange:
    """The form as a change to save, or RankRefused naming what is wrong."""
    title = form.title.strip()
    if not title:
        raise RankRefused(_("A rank needs a title."))
    if len(title) > RANK_TITLE_MAX_CHARS:
        raise RankRefused(
            _("A rank's title is at most %(limit)s characters.", limit=RANK_TITLE_MAX_CHARS)
        )
    min_posts = None
    if form.min_posts.strip():
        min_posts = whole_number(form.min_posts, MIN_POSTS_MAX)
        if min_posts is None:
            raise RankRefused(
                _(
                    "The posts needed are a whole number from 0 to %(largest)s, or empty"
                    " for a rank only admins give.",
                    largest=MIN_POSTS_MAX,
                )
            )
    upload = await read_upload(form.image, settings.avatar_upload_max_bytes)
    image = None
    if upload:
        try:
            image = await normalized_png_off_loop(upload, settings)
        except ImageRefused as refused:
            raise RankRefused(str(refused)) from None
    return store.RankChange(title, min_posts, image, drop_image=form.drop_image is not None)


async def _rank_or_404(db: Database, rank_id: int) -> sqlite3.Row:
    rank = await store.rank_by_id(db, rank_id)
    if rank is None:
        raise NotFoundException(_("There is no such rank."))
    return rank


class RanksController(Controller):
    path = "/admin/ranks"
    guards = [require_admin]

    async def _list(
        self, request: ViewerRequest, db: Database, *, status_code: int = 200, **extra: Any
    ) -> Template:
        return render(
            request,
            "profiles/admin_ranks.html",
            status_code=status_code,
            ranks=await store.all_ranks(db),
            title_max=RANK_TITLE_MAX_CHARS,
            **extra,
        )

    async def _save(
        self,
        request: ViewerRequest,
        db: Database,
        settings: Settings,
        rank: sqlite3.Row | None,
        data: RankData,
    ) -> Template | Redirect:
        """Create (no ``rank``) or edit one: a refused form is shown again on the page it
        was filled in on, nothing saved."""
        try:
            change = await rank_change(data, settings)
        except RankRefused as refused:
            if rank is None:
                return await self._list(request, db, status_code=400, error=str(refused), form=data)
            return render(
                request,
                "profiles/rank_form.html",
                status_code=400,
                rank=rank,
                title_max=RANK_TITLE_MAX_CHARS,
                error=str(refused),
                form=data,
            )
        rank_id = None if rank is None else int(rank["id"])
        await store.save_rank(db, settings, rank_id, change, request.user.id or 0)
        saved = (
            _("The rank %(title)s is created.", title=change.title)
            if rank is None
            else _("The rank %(title)s is saved.", title=change.title)
        )
        return redirect(route(request, "profiles:ranks"), saved, "success")

    @get(name="profiles:ranks")
    async def ranks(self, request: ViewerRequest, db: NamedDependency[Database]) -> Template:
        return await self._list(request, db)

    @post(name="profiles:create_rank")
    async def create(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        data: RankData,
    ) -> Template | Redirect:
        return await self._save(request, db, settings, None, data)

    @get("/{rank_id:int}/edit", name="profiles:edit_rank_form")
    async def edit_form(
        self, request: ViewerRequest, db: NamedDependency[Database], rank_id: FromPath[int]
    ) -> Template:
        rank = await _rank_or_404(db, rank_id)
        return render(request, "profiles/rank_form.html", rank=rank, title_max=RANK_TITLE_MAX_CHARS)

    @post("/{rank_id:int}/edit", name="profiles:edit_rank")
    async def edit(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        rank_id: FromPath[int],
        data: RankData,
    ) -> Template | Redirect:
        return await self._save(request, db, settings, await _rank_or_404(db, rank_id), data)

    @get("/{rank_id:int}/delete", name="profiles:delete_rank_confirm")
    async def confirm_delete(
        self, request: ViewerRequest, db: NamedDependency[Database], rank_id: FromPath[int]
    ) -> Template:
        """What deleting does, and the button that does it (this page changes nothing)."""
        rank = await _rank_or_404(db, rank_id)
        return render_confirmation(
            request,
            Confirmation(
                heading=_("Delete the rank %(title)s?", title=rank["title"]),
                action=route(request, "profiles:delete_rank", rank_id=rank_id),
                button=_("Delete"),
                cancel=route(request, "profiles:ranks"),
                consequences=[
                    _("Members it was given to get the rank their posts earn instead."),
                    _("The deletion is logged in the moderation log."),
                ],
            ),
        )

    @post("/{rank_id:int}/delete", name="profiles:delete_rank")
    async def delete(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        rank_id: FromPath[int],
        data: ConfirmData,
    ) -> Redirect:
        rank = await _rank_or_404(db, rank_id)
        confirm_page = route(request, "profiles:delete_rank_confirm", rank_id=rank_id)
        if (ask := unconfirmed(data.confirm, confirm_page)) is not None:
            return ask
        await store.delete_rank(db, settings, rank, request.user.id or 0)
        return redirect(
            route(request, "profiles:ranks"),
            _("The rank %(title)s is deleted.", title=rank["title"]),
            "success",
        )


ROUTES = (RanksController,)
