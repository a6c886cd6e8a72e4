"""The confirm page every destructive action goes through, so nothing is lost to one click.

The action's GET shows what will happen and a form that posts back with ``confirm=yes``
and the CSRF token; it changes nothing. The POST acts only with ``confirm=yes``: a
form posted without it (an old page, a hand-made request) is sent to the confirm page.
Plain HTML, so it works without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from litestar.response import Redirect, Template

from tinypier.web.pages import render

CONFIRMED = "yes"


@dataclass(frozen=True)
class Confirmation:
    """What the page says: the question, each consequence, where yes and no lead."""

    heading: str
    action: str
    button: str
    cancel: str
    consequences: list[str] = field(default_factory=list)


def render_confirmation(
    request: Request[Any, Any, Any],
    confirmation: Confirmation,
    template_name: str = "confirm.html",
    **context: Any,
) -> Template:
    return render(request, template_name, confirmation=confirmation, **context)


def unconfirmed(confirm: str | None, confirm_page: str) -> Redirect | None:
    """The way to the confirm page when the form did not say yes; None when it did."""
    if confirm == CONFIRMED:
        return None
    return Redirect(path=confirm_page, status_code=303)
