"""Every internal path from a route name: the one place Python code builds a link.

House rule "URLs by route name, one helper": a path written by hand (``f"/topics/{id}"``)
keeps working until its route moves, then breaks silently; a path reversed from the route's
name follows the route or fails loudly. Handlers ask through ``tinypier.web.pages.route``,
which reverses with the request's app; code that runs without a request (search indexing,
release registration, BBCode rendering, feeds, notifications, mail, the importer) asks
through ``path`` here.

``create_app`` registers its app's reverser with ``use`` once. Code called without any app
(a test of the BBCode renderer, a command-line import) gets a reverser built from the same
route table (``tinypier.app.route_table``) the first time it asks: every app of this
process serves the same routes, so either answers the same.

A query string goes through the same functions (``query=``), so no caller glues ``"?"``
onto a path by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from urllib.parse import urlencode

Reverse = Callable[..., str]
Query = Mapping[str, str | int]

_registered: Reverse | None = None


def use(reverse: Reverse) -> None:
    """Reverse request-less paths with this app's reverser (``create_app`` calls it)."""
    global _registered
    _registered = reverse


@cache
def _table_reverser() -> Reverse:
    """A reverser over the route table alone, for code run before or without any app."""
    # Imported here: the app imports every package, and these ask this module for paths.
    from litestar import Litestar

    from tinypier.app import route_table
    from tinypier.web.dependencies import DEPENDENCIES

    return Litestar(
        route_handlers=route_table(), dependencies=DEPENDENCIES, openapi_config=None
    ).route_reverse


def address(reverse: Reverse, name: str, query: Query | None, params: Mapping[str, object]) -> str:
    """The path of route ``name`` with ``params`` filled in, then ``query`` if any."""
    built = reverse(name, **params)
    # A slash may stand in a query as it is (RFC 3986), so ``?next=/settings`` stays readable.
    return f"{built}?{urlencode(query, safe='/')}" if query else built


def path(name: str, *, query: Query | None = None, **params: int | str) -> str:
    """A path by route name, for code that has no request at hand."""
    return address(_registered or _table_reverser(), name, query, params)
