"""The admin area's member pages: who is on the board, and changing their standing."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from tinypier.accounts import administration, cheat_log
from tinypier.accounts.forms import Form, QuotaForm, RoleForm
from tinypier.accounts.guards import require_admin
from tinypier.accounts.members import member_or_404
from tinypier.accounts.roles import MEMBER_ROLES, Role
from tinypier.db.connection import Database
from tinypier.forum.pagination import paginate
from tinypier.i18n import _
from tinypier.web.formatting import when
from tinypier.web.numbers import whole_number
from tinypier.web.pages import redirect, render

MAX_INVITE_QUOTA = 1000
USERS_PATH = "/admin/users"


def _parse_role(text: str) -> Role | None:
    try:
        role = Role.parse(text)
    except ValueError:
        return None
    return role if role in MEMBER_ROLES else None


def _parse_quota(text: str) -> int | None:
    return whole_number(text, MAX_INVITE_QUOTA)


def _done(request: Request[Any, Any, Any], user_id: int, message: str) -> Redirect:
    """After a committed change: the tracker drops what it cached about the member."""
    request.app.state.changes.user_changed(user_id)
    return redirect(USERS_PATH, message, "success")


class AdminController(Controller):
    path = "/admin"
    guards = [require_admin]

    @get("/")
    async def dashboard(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> Template:
        return render(
            request,
            "accounts/admin.html",
            counts=await administration.board_counts(db),
        )

    @get("/users")
    async def users(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        page: FromQuery[str | None] = None,
    ) -> Template:
        total = await administration.count_members(db)
        pagination = paginate(page, total, administration.USERS_PER_PAGE)
        return render(
            request,
            "accounts/admin_users.html",
            members=await administration.members_page(db, pagination),
            pagination=pagination,
            roles=[role.label for role in MEMBER_ROLES],
            when=when,
        )

    @get("/cheats")
    async def cheats(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        page: FromQuery[str | None] = None,
    ) -> Template:
        """What the tracker's credit rules withheld: claimed against credited bytes."""
        total = await cheat_log.count_lines(db)
        pagination = paginate(page, total, cheat_log.LINES_PER_PAGE)
        return render(
            request,
            "accounts/admin_cheats.html",
            lines=await cheat_log.lines_page(db, pagination),
            pagination=pagination,
            when=when,
        )

    @post("/users/{user_id:int}/role")
    async def set_role(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        user_id: FromPath[int],
        data: Form[RoleForm],
    ) -> Redirect:
        target = await member_or_404(db, user_id)
        role = _parse_role(data.role)
        if role is None:
            return redirect(USERS_PATH, _("Choose user, moderator or admin."), "error")
        try:
            await administration.change_role(db, request.user.id, target, role)
        except administration.SelfLockout as refused:
            return redirect(USERS_PATH, str(refused), "error")
        return _done(request, user_id, f"{target['name']} is now {role.label}.")

    @post("/users/{user_id:int}/disable")
    async def disable(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], user_id: FromPath[int]
    ) -> Redirect:
        target = await member_or_404(db, user_id)
        try:
            await administration.change_disabled(db, request.user.id, target, True)
        except administration.SelfLockout as refused:
            return redirect(USERS_PATH, str(refused), "error")
        return _done(request, user_id, f"{target['name']} is disabled and logged out everywhere.")

    @post("/users/{user_id:int}/enable")
    async def enable(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], user_id: FromPath[int]
    ) -> Redirect:
        target = await member_or_404(db, user_id)
        await administration.change_disabled(db, request.user.id, target, False)
        return _done(request, user_id, f"{target['name']} is enabled again.")

    @post("/users/{user_id:int}/invite-quota")
    async def set_invite_quota(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        user_id: FromPath[int],
        data: Form[QuotaForm],
    ) -> Redirect:
        target = await member_or_404(db, user_id)
        quota = _parse_quota(data.invite_quota)
        if quota is None:
            return redirect(
                USERS_PATH, _("An invite quota is 0 to %(num)s.", num=MAX_INVITE_QUOTA), "error"
            )
        await administration.change_invite_quota(db, request.user.id, target, quota)
        return _done(request, user_id, f"{target['name']} may now have {quota} invites.")
