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
from tinypier.forum.forms import ConfirmForm
from tinypier.forum.pagination import paginate
from tinypier.i18n import _
from tinypier.web import urls
from tinypier.web.confirm import Confirmation, render_confirmation, unconfirmed
from tinypier.web.formatting import when
from tinypier.web.numbers import whole_number
from tinypier.web.pages import redirect, render, route

MAX_INVITE_QUOTA = 1000


def _users_page() -> str:
    """Where the member administration's forms go back to: the members list."""
    return urls.path("admin:users")


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
    return redirect(_users_page(), message, "success")


class AdminController(Controller):
    path = "/admin"
    guards = [require_admin]

    @get("/", name="admin:index")
    async def dashboard(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> Template:
        return render(
            request,
            "accounts/admin.html",
            counts=await administration.board_counts(db),
        )

    @get("/users", name="admin:users")
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

    @get("/cheats", name="admin:cheats")
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

    @post("/users/{user_id:int}/role", name="admin:member_role")
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
            return redirect(_users_page(), _("Choose user, moderator or admin."), "error")
        try:
            await administration.change_role(db, request.user.id, target, role)
        except administration.SelfLockout as refused:
            return redirect(_users_page(), str(refused), "error")
        return _done(request, user_id, f"{target['name']} is now {role.label}.")

    @get("/users/{user_id:int}/disable", name="admin:disable_member_confirm")
    async def confirm_disable(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], user_id: FromPath[int]
    ) -> Template:
        """What disabling does, and the button that does it (this page changes nothing)."""
        target = await member_or_404(db, user_id)
        return render_confirmation(
            request,
            Confirmation(
                heading=_("Disable %(name)s?", name=target["name"]),
                action=route(request, "admin:disable_member", user_id=user_id),
                button=_("Disable"),
                cancel=_users_page(),
                consequences=[
                    _("They are logged out everywhere and cannot log in."),
                    _("The tracker refuses their passkey; their posts and releases stay."),
                    _("You can enable them again from the member list."),
                ],
            ),
        )

    @post("/users/{user_id:int}/disable", name="admin:disable_member")
    async def disable(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        user_id: FromPath[int],
        data: Form[ConfirmForm],
    ) -> Redirect:
        target = await member_or_404(db, user_id)
        confirm_page = route(request, "admin:disable_member_confirm", user_id=user_id)
        if (ask := unconfirmed(data.confirm, confirm_page)) is not None:
            return ask
        try:
            await administration.change_disabled(db, request.user.id, target, True)
        except administration.SelfLockout as refused:
            return redirect(_users_page(), str(refused), "error")
        return _done(request, user_id, f"{target['name']} is disabled and logged out everywhere.")

    @post("/users/{user_id:int}/enable", name="admin:enable_member")
    async def enable(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], user_id: FromPath[int]
    ) -> Redirect:
        target = await member_or_404(db, user_id)
        await administration.change_disabled(db, request.user.id, target, False)
        return _done(request, user_id, f"{target['name']} is enabled again.")

    @post("/users/{user_id:int}/invite-quota", name="admin:invite_quota")
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
                _users_page(), _("An invite quota is 0 to %(num)s.", num=MAX_INVITE_QUOTA), "error"
            )
        await administration.change_invite_quota(db, request.user.id, target, quota)
        return _done(request, user_id, f"{target['name']} may now have {quota} invites.")
