"""Who is looking at a page: a member, or a guest."""

from __future__ import annotations

from dataclasses import dataclass

from tinypier.accounts.roles import Role
from tinypier.permissions.grants import NO_GRANTS, Grants


@dataclass(frozen=True)
class Viewer:
    """The requester as every route sees it (``request.user``); guests are ``GUEST``."""

    id: int | None
    name: str
    role: Role
    # The member's own choices; None leaves them to the browser and the board's defaults.
    language: str | None = None
    time_zone: str | None = None
    # Rights held through groups, per forum, beyond the role (``permissions.grants``).
    grants: Grants = NO_GRANTS

    @property
    def is_member(self) -> bool:
        return self.id is not None

    @property
    def is_moderator(self) -> bool:
        return self.role >= Role.MODERATOR

    @property
    def is_admin(self) -> bool:
        return self.role >= Role.ADMIN

    def may(self, required: Role | str) -> bool:
        """True when this viewer's role reaches ``required`` (a Role or its name)."""
        needed = required if isinstance(required, Role) else Role.parse(required)
        return self.role >= needed


GUEST = Viewer(id=None, name="guest", role=Role.GUEST)
