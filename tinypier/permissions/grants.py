"""Rights a member holds through their groups, per forum, beyond what their role gives.

A group (``tinypier.groups``) grants rights in forums; a member holds the union of the
grants of the groups they belong to (a pending request holds none). Grants only add: the
policy (``rules`` and ``sql``) allows what the role allows OR what a grant allows, never
less. The viewer carries their grants (loaded with the session, :func:`load_grants`), so
a check costs a set lookup and a SQL filter inlines the few forum ids.

Every right implies seeing the forum: nobody posts, downloads or moderates where they
cannot see. ``read`` opens the forum's topics and posts; ``view`` alone lists the forum
and its topics without opening them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tinypier.db.connection import Database


class Right(StrEnum):
    VIEW = "view"
    READ = "read"
    POST = "post"
    REPLY = "reply"
    UPLOAD = "upload"
    DOWNLOAD = "download"
    MODERATE = "moderate"


# What a right implies besides itself: posting means reading, reading means viewing.
IMPLIES: Mapping[Right, frozenset[Right]] = {
    Right.VIEW: frozenset({Right.VIEW}),
    Right.READ: frozenset({Right.VIEW, Right.READ}),
    Right.POST: frozenset({Right.VIEW, Right.READ, Right.POST}),
    Right.REPLY: frozenset({Right.VIEW, Right.READ, Right.REPLY}),
    Right.UPLOAD: frozenset({Right.VIEW, Right.READ, Right.UPLOAD}),
    Right.DOWNLOAD: frozenset({Right.VIEW, Right.READ, Right.DOWNLOAD}),
    Right.MODERATE: frozenset({Right.VIEW, Right.READ, Right.MODERATE}),
}

# The statuses of a membership that hold the group's rights (not a pending request).
HOLDING_STATUSES = ("member", "leader")

# A member's grants: their memberships by the primary key (user_id, group_id), each
# group's grants by theirs (group_id, ...).
GRANTS_SQL = (
    "SELECT DISTINCT g.forum_id, g.permission FROM group_members m"
    " JOIN group_grants g ON g.group_id = m.group_id"
    " WHERE m.user_id = ? AND m.status IN ('member', 'leader')"
)


# Several members' grants in one forum (to check many members' rights at once, such as
# those a notice would go to): by group_grants' forum index, then the memberships' key.
FORUM_GRANTS_SQL = (
    "SELECT m.user_id, g.forum_id, g.permission FROM group_grants g"
    " JOIN group_members m ON m.group_id = g.group_id"
    " WHERE g.forum_id = ? AND m.status IN ('member', 'leader')"
    " AND m.user_id IN (SELECT value FROM json_each(?))"
)


@dataclass(frozen=True, slots=True)
class Grants:
    """forum id -> the rights held there (implied ones included)."""

    by_forum: Mapping[int, frozenset[Right]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str]]) -> Grants:
        by_forum: dict[int, set[Right]] = {}
        for forum_id, permission in rows:
            by_forum.setdefault(int(forum_id), set()).update(IMPLIES[Right(permission)])
        return cls({forum_id: frozenset(rights) for forum_id, rights in by_forum.items()})

    def allows(self, forum_id: int, right: Right) -> bool:
        return right in self.by_forum.get(forum_id, ())

    def forums_with(self, right: Right) -> tuple[int, ...]:
        """The forums where this right is held, sorted (a stable SQL parameter list)."""
        return tuple(sorted(f for f, rights in self.by_forum.items() if right in rights))

    def __bool__(self) -> bool:
        return bool(self.by_forum)


NO_GRANTS = Grants()


def grants_by_member(rows: Iterable[tuple[int, int, str]]) -> dict[int, Grants]:
    """Rows of :data:`FORUM_GRANTS_SQL` (member, forum, right) as each member's grants."""
    by_member: dict[int, list[tuple[int, str]]] = {}
    for user_id, forum_id, permission in rows:
        by_member.setdefault(int(user_id), []).append((forum_id, permission))
    return {user_id: Grants.from_rows(pairs) for user_id, pairs in by_member.items()}


async def load_grants(db: Database, user_id: int) -> Grants:
    """The grants of a member's groups: one indexed query as each request signs in."""
    rows = await db.fetch_all(GRANTS_SQL, (user_id,))
    return Grants.from_rows((row[0], row[1]) for row in rows)
