"""The registration page: open to all, by invite only, or closed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.response import Template

from tinypier.accounts.forms import Form, RegisterForm
from tinypier.accounts.queries import NameTaken
from tinypier.accounts.rate_limit import check_attempt
from tinypier.accounts.registration import InviteUnusable, register_member, registration_problem
from tinypier.accounts.sessions import SESSION_COOKIE, log_in, session_cookie
from tinypier.db.connection import Database
from tinypier.settings import Settings
from tinypier.web.pages import redirect, render

REGISTRATION_CLOSED = "Registration is closed."


def register_page(
    request: Request[Any, Any, Any], form: RegisterForm, error: str | None = None
) -> Template:
    return render(
        request,
        "accounts/register.html",
        status_code=400 if error else 200,
        form=form,
        error=error,
    )


class RegisterController(Controller):
    @get("/register")
    async def show_register(self, request: Request[Any, Any, Any], code: str = "") -> Template:
        return register_page(request, RegisterForm(invite_code=code))

    @post("/register")
    async def register(
        self,
        request: Request[Any, Any, Any],
        db: Database,
        settings: Settings,
        data: Form[RegisterForm],
    ) -> Response[Any]:
        if settings.registration_mode == "closed":
            raise PermissionDeniedException(REGISTRATION_CLOSED)
        check_attempt(request, settings, "register")
        form = RegisterForm(name=data.name, invite_code=data.invite_code)
        problem = registration_problem(data, settings)
        if problem:
            return register_page(request, form, problem)
        try:
            member = await register_member(db, data, settings)
        except NameTaken:
            return register_page(request, form, "That name is taken; pick another.")
        except InviteUnusable as unusable:
            return register_page(request, form, str(unusable))
        token = await log_in(db, member.id, settings, request.cookies.get(SESSION_COOKIE))
        response = redirect("/", f"Welcome to {settings.site_name}, {member.name}!", "success")
        response.set_cookie(session_cookie(settings, token))
        return response
