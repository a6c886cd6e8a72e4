"""Logging in and out.

One message for every failed login, whether the name is unknown, the password wrong or
the account disabled: a login form must not tell a stranger which names exist.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from tinypier.accounts.forms import Form, LoginForm, form_page, safe_next
from tinypier.accounts.passwords import verify_password
from tinypier.accounts.queries import find_user_by_name, upgrade_password_hash
from tinypier.accounts.rate_limit import check_attempt
from tinypier.accounts.sessions import SESSION_COOKIE, end_session, log_in, session_cookie
from tinypier.db.connection import Database
from tinypier.i18n import N_, _
from tinypier.settings import Settings
from tinypier.web.pages import redirect, route

LOGIN_FAILED = N_("Wrong name or password.")
LOGIN_TEMPLATE = "accounts/login.html"


async def enter(
    request: Request[Any, Any, Any],
    db: Database,
    settings: Settings,
    user_id: int,
    path: str,
    greeting: str,
) -> Redirect:
    """Log the member in with a fresh session and send them on to ``path``, greeted."""
    token = await log_in(db, user_id, settings, request.cookies.get(SESSION_COOKIE))
    response = redirect(path, greeting, "success")
    response.set_cookie(session_cookie(settings, token))
    return response


class LoginController(Controller):
    @get("/login", name="accounts:login_form")
    async def show_login(
        self, request: Request[Any, Any, Any], next: FromQuery[str] = "/"
    ) -> Template:
        return form_page(request, LOGIN_TEMPLATE, LoginForm(next=safe_next(next)))

    @post("/login", name="accounts:login")
    async def log_in(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        data: Form[LoginForm],
    ) -> Response[Any]:
        check_attempt(request, settings, "login")
        user = await find_user_by_name(db, data.name.strip())
        password_ok = await verify_password(user["password_hash"] if user else None, data.password)
        if user is None or user["disabled"] or not password_ok:
            form = LoginForm(name=data.name, next=safe_next(data.next))
            return form_page(request, LOGIN_TEMPLATE, form, _(LOGIN_FAILED))
        await upgrade_password_hash(db, user, data.password)
        message = _("Welcome back, %(name)s.", name=user["name"])
        return await enter(request, db, settings, user["id"], safe_next(data.next), message)

    @post("/logout", name="accounts:logout")
    async def log_out(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await end_session(db, token)
        response = redirect(route(request, "forum:index"), _("You are logged out."))
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
