"""Private messages: conversations between members, blocking, reports to moderators.

A feature package: ``app.py`` mounts ``ROUTES`` and the ``unread_badge`` middleware;
the forum imports nothing from here. Who may do what is asked of
``tinypier.permissions.messages``; the schema is migration 0015.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from tinypier.messages.api import API_ROUTES
from tinypier.messages.badge import unread_badge
from tinypier.messages.routes import ROUTES as PAGE_ROUTES

ROUTES: list[ControllerRouterHandler] = [*PAGE_ROUTES, *API_ROUTES]

__all__ = ["ROUTES", "unread_badge"]
