"""Errors as a person or a script expects them: HTML pages, or JSON under ``/api/``."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_301_MOVED_PERMANENTLY,
    HTTP_401_UNAUTHORIZED,
    HTTP_404_NOT_FOUND,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from tinypier.accounts.sessions import API_PREFIX
from tinypier.i18n import N_, _
from tinypier.permissions.lookup import NotVisible
from tinypier.web.pages import render, route

logger = logging.getLogger("tinypier")

_TITLES = {
    400: N_("Bad request"),
    401: N_("Please log in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    413: N_("Too large"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
}


LITESTAR_VALIDATION = "Validation failed for "
"""How Litestar's own refusal of a parameter starts (the board's own refusals say why)."""


def _invalid_parameters(error: ValidationException) -> str:
    """Which parameters Litestar refused, in words: its own message names the whole URL
    (echoing up to the head's size of a hostile query) and not the parameter at fault."""
    extra = error.extra if isinstance(error.extra, list) else []
    names = sorted({str(item["key"]) for item in extra if isinstance(item, dict) and "key" in item})
    if not names:
        return _("The request is not valid: see the API schema at /api/schema.")
    return _(
        "Not a valid value for %(names)s: see the API schema at /api/schema for what it takes.",
        names=", ".join(names[:10]),
    )


def _status_and_message(error: Exception) -> tuple[int, str]:
    if isinstance(error, ValidationException) and str(error.detail).startswith(LITESTAR_VALIDATION):
        return error.status_code, _invalid_parameters(error)
    if isinstance(error, HTTPException):
        detail = str(error.detail)
        if detail == HTTPStatus(error.status_code).phrase and error.status_code in _TITLES:
            # Litestar's own refusals (an unknown route, a wrong method) say only the
            # status's English name; the page says it in the reader's language.
            return error.status_code, _(_TITLES[error.status_code])
        return error.status_code, detail
    if isinstance(error, NotVisible):
        return HTTP_404_NOT_FOUND, str(error)
    if isinstance(error, OverflowError):
        # An id beyond SQLite's 64-bit integers: sqlite3 refuses to bind it, and it can
        # name no row, so it is the same as any other id of nothing.
        return HTTP_404_NOT_FOUND, _("Not found")
    logger.exception("unhandled error", exc_info=error)
    return HTTP_500_INTERNAL_SERVER_ERROR, _("The server could not complete this request.")


def _moved_to(request: Request[Any, Any, Any], error: Exception) -> str | None:
    """Where a GET that matched no route has moved, if a feature recognises its address
    (``Feature.moved_addresses``): asked only when routing found nothing (Litestar sets
    the scope's route handler once it has one), never for a page's own 404."""
    if not isinstance(error, NotFoundException) or request.method not in ("GET", "HEAD"):
        return None
    if "route_handler" in request.scope:
        return None
    for moved in request.app.state.get("moved_addresses", ()):
        target: str | None = moved(request)
        if target is not None:
            return target
    return None


def handle_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    moved = _moved_to(request, error)
    if moved is not None:
        return Redirect(path=moved, status_code=HTTP_301_MOVED_PERMANENTLY)
    status_code, message = _status_and_message(error)
    if request.url.path.startswith(API_PREFIX):
        return Response(
            {"error": message, "status_code": status_code},
            status_code=status_code,
            media_type=MediaType.JSON,
        )
    if status_code == HTTP_401_UNAUTHORIZED and request.method == "GET":
        return Redirect(
            path=route(request, "accounts:login_form", query={"next": request.url.path}),
            status_code=303,
        )
    page: Template = render(
        request,
        "errors/error.html",
        status_code=status_code,
        title=_(_TITLES.get(status_code, N_("Error"))),
        message=message,
        error_status=status_code,
    )
    return page
