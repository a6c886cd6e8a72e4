"""Route guards: a route states the least role it needs, the guard refuses the rest.

A guest is told to log in (401, which browsers see as a redirect to the login page); a
member whose role is too low is refused (403).
"""

from __future__ import annotations

from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer
from tinypier.i18n import _

Guard = Callable[[ASGIConnection, BaseRouteHandler], None]  # type: ignore[type-arg]


def require_role(role: Role) -> Guard:
    def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
        viewer: Viewer = connection.user
        if not viewer.is_member:
            raise NotAuthorizedException(_("Log in to continue."))
        if viewer.role < role:
            raise PermissionDeniedException(_("You do not have permission to do that."))

    guard.__name__ = f"require_{role.label}"
    return guard


require_member = require_role(Role.USER)
require_moderator = require_role(Role.MODERATOR)
require_admin = require_role(Role.ADMIN)
