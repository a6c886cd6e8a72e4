"""Small formatting helpers the forum templates call, and the forum's page renderer."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from tinypier.i18n import N_
from tinypier.web.formatting import iso, ratio, when
from tinypier.web.pages import render

PIN_LABELS = {0: N_("normal"), 1: N_("sticky"), 2: N_("announcement")}
PIN_VALUES = {label: value for value, label in PIN_LABELS.items()}


def render_forum_page(
    request: Request[Any, Any, Any], template_name: str, *, status_code: int = 200, **context: Any
) -> Template:
    """``render`` with the forum's template helpers in the context."""
    return render(
        request,
        template_name,
        status_code=status_code,
        ratio=ratio,
        when=when,
        iso=iso,
        pin_labels=PIN_LABELS,
        **context,
    )
