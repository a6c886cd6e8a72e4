"""The registration page: open to all, by invite only, or closed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromQuery
from litestar.response import Template

from tinypier.accounts.forms import Form, RegisterForm, form_page
from tinypier.accounts.login_routes import enter
from tinypier.accounts.queries import NameTaken
from tinypier.accounts.rate_limit import check_attempt
from tinypier.accounts.registration import InviteUnusable, register_member, registration_problem
from tinypier.db.connection import Database
from tinypier.i18n import N_, _
from tinypier.settings import Settings
from tinypier.web.pages import route

REGISTRATION_CLOSED = N_("Registration is closed.")
REGISTER_TEMPLATE = "accounts/register.html"
NAME_TAKEN = N_("That name is taken; pick another.")


class RegisterController(Controller):
    @get("/register", name="accounts:register_form")
    async def show_register(
        self, request: Request[Any, Any, Any], code: FromQuery[str] = ""
    ) -> Template:
        return form_page(request, REGISTER_TEMPLATE, RegisterForm(invite_code=code))

    @post("/register", name="accounts:register")
    async def register(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        data: Form[RegisterForm],
    ) -> Response[Any]:
        if settings.registration_mode == "closed":
            raise PermissionDeniedException(_(REGISTRATION_CLOSED))
        check_attempt(request, settings, "register")
        form = RegisterForm(name=data.name, invite_code=data.invite_code)
        problem = registration_problem(data, settings)
        if problem:
            return form_page(request, REGISTER_TEMPLATE, form, problem)
        try:
            member = await register_member(db, data, settings)
        except NameTaken:
            return form_page(request, REGISTER_TEMPLATE, form, _(NAME_TAKEN))
        except InviteUnusable as unusable:
            return form_page(request, REGISTER_TEMPLATE, form, str(unusable))
        greeting = _("Welcome to %(site)s, %(name)s!", site=settings.site_name, name=member.name)
        home = route(request, "forum:index")
        return await enter(request, db, settings, member.id, home, greeting)
