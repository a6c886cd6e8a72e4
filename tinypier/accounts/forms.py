"""The account forms as posted by a browser, and where a login may send the member next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from tinypier.accounts.passwords import password_problem
from tinypier.i18n import _
from tinypier.web import urls
from tinypier.web.pages import render

FormT = TypeVar("FormT")
Form = Annotated[FormT, Body(media_type=RequestEncodingType.URL_ENCODED)]

MAX_TOKEN_LABEL = 64


@dataclass
class LoginForm:
    name: str = ""
    password: str = ""
    next: str = "/"


@dataclass
class RegisterForm:
    name: str = ""
    password: str = ""
    password_confirm: str = ""
    invite_code: str = ""


@dataclass
class PasswordForm:
    current_password: str = ""
    new_password: str = ""
    new_password_confirm: str = ""


@dataclass
class TokenForm:
    name: str = ""


@dataclass
class LocaleForm:
    """Empty fields leave the choice to the browser and the board's defaults."""

    language: str = ""
    time_zone: str = ""


@dataclass
class PreferencesForm:
    """Checkboxes: a browser sends a ticked one (any value) and leaves an unticked out."""

    hide_signatures: str | None = None
    hide_online: str | None = None


@dataclass
class RoleForm:
    role: str = ""


@dataclass
class QuotaForm:
    invite_quota: str = ""


def new_password_problem(password: str, confirmation: str) -> str | None:
    if password != confirmation:
        return _("The two passwords differ.")
    return password_problem(password)


def token_label_problem(label: str) -> str | None:
    if not label.strip() or len(label) > MAX_TOKEN_LABEL:
        return _("Give the token a name of 1 to %(num)s characters.", num=MAX_TOKEN_LABEL)
    return None


def safe_next(path: str | None) -> str:
    """Only a path on this site: ``//host`` and ``/\\host`` are other sites to a browser,
    and a login page that forwards there lends the board's name to a phishing page."""
    if (
        not path
        or not path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        or any(ord(char) < 0x21 or ord(char) == 0x7F for char in path)
    ):
        return urls.path("forum:index")
    return path


def form_page(
    request: Request[Any, Any, Any], template_name: str, form: Any, error: str | None = None
) -> Template:
    """A form page, again with what was typed and the problem when a post was refused."""
    return render(request, template_name, status_code=400 if error else 200, form=form, error=error)
