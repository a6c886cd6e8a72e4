"""What the ``tinypier`` command creates on a board, for admins and setup scripts.

Each creation is committed with its moderation log entry, whose actor is the shell
(:data:`~tinypier.forum.moderation_log.SHELL`): nobody is logged in there, yet the
board's admins must be able to see what changed. Both are idempotent where a script
needs it: run twice, they find what the first run made instead of making it again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tinypier.accounts import queries as accounts
from tinypier.accounts.passwords import hash_password
from tinypier.accounts.roles import Role
from tinypier.db.connection import Database
from tinypier.forum import queries as forum_queries
from tinypier.forum.moderation_log import SHELL, log_action


@dataclass(frozen=True)
class ProvisionedForum:
    id: int
    name: str
    category_id: int
    releases: bool
    created: bool


async def provision_forum(
    db: Database, category: str, name: str, *, allows_releases: bool
) -> ProvisionedForum:
    """The forum ``name`` in ``category`` (made if missing), or the one already there.
    A forum found keeps its own settings: ``releases`` tells what it has."""
    async with db.transaction() as connection:
        category_id = await forum_queries.write_category(connection, category)
        existing = await forum_queries.find_forum(connection, category_id, name)
        if existing is not None:
            releases = bool(existing["allows_releases"])
            return ProvisionedForum(existing["id"], name, category_id, releases, created=False)
        forum_id = await forum_queries.insert_forum(
            connection, category_id, name, allows_releases=allows_releases
        )
        await log_action(connection, SHELL, "create", "forum", forum_id, name, forum_id=forum_id)
    return ProvisionedForum(forum_id, name, category_id, allows_releases, created=True)


@dataclass(frozen=True)
class ProvisionedMember:
    id: int
    name: str
    role: str
    passkey: str
    created: bool


def _existing(row: sqlite3.Row) -> ProvisionedMember:
    return ProvisionedMember(row["id"], row["name"], row["role"], row["passkey"], created=False)


async def provision_member(
    db: Database,
    name: str,
    password: str,
    role: Role,
    *,
    invite_quota: int,
    if_missing: bool,
) -> ProvisionedMember:
    """A new member; with ``if_missing`` the member already named so (in any case or
    Unicode form) is returned unchanged instead. Raises ``NameTaken`` otherwise."""
    if if_missing and (row := await accounts.find_user_by_name(db, name)) is not None:
        return _existing(row)
    password_hash = await hash_password(password)
    try:
        async with db.transaction() as connection:
            member = await accounts.insert_user(
                connection, name, password_hash, role, invite_quota=invite_quota
            )
            await log_action(connection, SHELL, "create user", "user", member.id, member.name)
    except accounts.NameTaken:
        # Another script made it between the look-up and the insert.
        if if_missing and (row := await accounts.find_user_by_name(db, name)) is not None:
            return _existing(row)
        raise
    return ProvisionedMember(member.id, member.name, role.label, member.passkey, created=True)
