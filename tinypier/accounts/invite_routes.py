"""A member's invites: the codes they made and who used them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from tinypier.accounts.guards import require_member
from tinypier.accounts.invites import create_invite, invite_allowance, list_invites
from tinypier.accounts.members import member_or_404
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import _
from tinypier.settings import Settings
from tinypier.web import urls
from tinypier.web.formatting import when
from tinypier.web.pages import redirect, render, route


async def _quota_of(db: Database, viewer: Viewer) -> int:
    quota: int = (await member_or_404(db, viewer.id))["invite_quota"]
    return quota


def _invites_page() -> str:
    """Where asking for an invite goes back to."""
    return urls.path("accounts:invites")


class InviteController(Controller):
    path = "/invites"
    guards = [require_member]

    @get("/", name="accounts:invites")
    async def show_invites(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
    ) -> Template:
        viewer: Viewer = request.user
        return render(
            request,
            "accounts/invites.html",
            invites=await list_invites(db, viewer.id or 0),
            allowance=await invite_allowance(db, viewer, await _quota_of(db, viewer)),
            register_url=settings.base_url.rstrip("/")
            + route(request, "accounts:register_form")
            + "?code=",
            when=when,
        )

    @post("/", name="accounts:create_invite")
    async def new_invite(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> Redirect:
        viewer: Viewer = request.user
        code = await create_invite(db, viewer, await _quota_of(db, viewer))
        if code is None:
            return redirect(_invites_page(), _("You have no invites left."), "error")
        return redirect(_invites_page(), _("New invite code: %(code)s", code=code), "success")
