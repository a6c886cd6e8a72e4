"""The member ledger: every change to a member's points, upload credit, download figure
or invites that the tracker's own crediting does not make.

A change and its ledger row are written together, by :func:`apply_change` (one member,
refused when it would take a figure below zero) or :func:`apply_changes` (many, for the
bonus job), always inside the caller's transaction. So the ledger's points of a member
sum to their balance, and anything that credits upload (an admin, a future rule) appends
here by building a :class:`BalanceChange`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from tinypier.db.connection import Database
from tinypier.forum.pagination import Pagination
from tinypier.i18n import N_

GIB = 1024**3

SEEDING = "seeding"
UPLOAD_EXCHANGE = "upload exchange"
INVITE_EXCHANGE = "invite exchange"
GRANT = "grant"
TAKE = "take"

KIND_LABELS = {
    SEEDING: N_("Seeding bonus"),
    UPLOAD_EXCHANGE: N_("Points exchanged for upload credit"),
    INVITE_EXCHANGE: N_("Points exchanged for invites"),
    GRANT: N_("Granted by an admin"),
    TAKE: N_("Taken by an admin"),
}
"""What each kind of entry is called on the ledger page; code that adds a kind adds its
label here."""


@dataclass(frozen=True)
class BalanceChange:
    """One member's change: amounts are added (negative takes away). ``quantity`` is what
    the kind counts (hours paid, GiB or invites bought); ``note`` an admin's reason."""

    user_id: int
    kind: str
    points: int = 0
    uploaded: int = 0
    downloaded: int = 0
    invites: int = 0
    quantity: int = 0
    note: str = ""
    actor_id: int | None = None


class BalanceTooLow(Exception):
    """The change would take the member's points (or another figure) below zero."""


_UPDATE_MEMBER = (
    "UPDATE users SET bonus_points = bonus_points + ?, uploaded = uploaded + ?,"
    " downloaded = downloaded + ?, invite_quota = invite_quota + ? WHERE id = ?"
    " AND bonus_points + ? >= 0 AND uploaded + ? >= 0 AND downloaded + ? >= 0"
    " AND invite_quota + ? >= 0"
)
_INSERT_ENTRY = (
    "INSERT INTO member_ledger (user_id, kind, points, uploaded, downloaded, invites,"
    " quantity, note, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _member_row(change: BalanceChange) -> tuple[int, ...]:
    amounts = (change.points, change.uploaded, change.downloaded, change.invites)
    return (*amounts, change.user_id, *amounts)


def _entry_row(change: BalanceChange, now: int) -> tuple[object, ...]:
    return (change.user_id, change.kind, change.points, change.uploaded, change.downloaded,
            change.invites, change.quantity, change.note, change.actor_id, now)  # fmt: skip


async def apply_change(connection: aiosqlite.Connection, change: BalanceChange, now: int) -> None:
    """Apply one change and write its ledger row, in the caller's transaction; raise
    :class:`BalanceTooLow` (nothing written) when a figure would fall below zero or the
    member is gone."""
    cursor = await connection.execute(_UPDATE_MEMBER, _member_row(change))
    if cursor.rowcount != 1:
        raise BalanceTooLow(change.user_id)
    await connection.execute(_INSERT_ENTRY, _entry_row(change, now))


async def apply_changes(
    connection: aiosqlite.Connection, changes: Sequence[BalanceChange], now: int
) -> None:
    """Apply many credits at once (the bonus job's): each only adds, so none is refused."""
    if any(min(c.points, c.uploaded, c.downloaded, c.invites) < 0 for c in changes):
        raise ValueError("apply_changes only credits; take away with apply_change")
    await connection.executemany(_UPDATE_MEMBER, [_member_row(c) for c in changes])
    await connection.executemany(_INSERT_ENTRY, [_entry_row(c, now) for c in changes])


async def count_entries(db: Database, user_id: int) -> int:
    return int(
        await db.fetch_value("SELECT COUNT(*) FROM member_ledger WHERE user_id = ?", (user_id,))
    )


async def entries_page(db: Database, user_id: int, pagination: Pagination) -> list[sqlite3.Row]:
    """One page of a member's ledger, newest first, with who made each admin change."""
    return await db.fetch_all(
        "SELECT l.id, l.kind, l.points, l.uploaded, l.downloaded, l.invites, l.quantity,"
        " l.note, l.created_at, a.id AS actor_id, a.name AS actor_name FROM member_ledger l"
        " LEFT JOIN users a ON a.id = l.actor_id WHERE l.user_id = ?"
        " ORDER BY l.id DESC LIMIT ? OFFSET ?",
        (user_id, pagination.per_page, pagination.offset),
    )
