"""The sweep: record the hit-and-runs whose window is over, clear those seeded off since.

It is a periodic job's body (the jobs framework runs it; it schedules nothing itself).
Each chunk of work is one transaction that also moves the sweep's mark, so the sweep is
safe to rerun at any time and resumes after a crash where it stopped:

- recording walks the snatches by completion time (``ix_snatches_completed``) from the
  mark in ``hit_and_run_sweep`` up to ``now - hnr_window_days``; each chunk inserts its
  unmet obligations and moves the mark past its last snatch in the same commit, so no
  snatch is judged twice (and the table's key refuses a second row anyway);
- clearing walks the active hit-and-runs (``ix_hit_and_runs_active``) and sets
  ``cleared_at`` on those now settled; setting it again would change nothing.

A release a moderator froze or deleted cannot be seeded (the tracker refuses it), so it
owes nothing and a recorded hit-and-run on it is cleared; nor does an uploader owe their
own release. While the rules are off (``hnr_seed_hours`` = 0) the sweep only moves the
mark to ``now``: what members complete before the rules are turned on owes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import aiosqlite

from tinypier.db.connection import Database
from tinypier.hit_and_run.obligations import Terms, settled_sql, terms
from tinypier.permissions.hit_and_run import hit_and_runs_on
from tinypier.settings import Settings

SWEEP_CHUNK = 500
"""Snatches or hit-and-runs judged per transaction: the write lock is held for one chunk."""

MemberChanged = Callable[[int], None]

_MARK = "SELECT through_at, through_id FROM hit_and_run_sweep WHERE id = 1"
_MOVE_MARK = "UPDATE hit_and_run_sweep SET through_at = ?, through_id = ? WHERE id = 1"
_RECORD = (
    "INSERT OR IGNORE INTO hit_and_runs (user_id, torrent_id, completed_at, recorded_at)"
    " VALUES (?, ?, ?, ?)"
)
_CLEAR = (
    "UPDATE hit_and_runs SET cleared_at = ?"
    " WHERE user_id = ? AND torrent_id = ? AND cleared_at IS NULL"
)


def due_snatches_sql(rules: Terms) -> tuple[str, list[object]]:
    """The next chunk of snatches whose window is over, after the mark: parameters
    ``(mark at, mark at, mark id, window end, chunk)`` follow the returned ones."""
    settled, params = settled_sql(rules)
    return (
        f"SELECT s.id, s.user_id, s.torrent_id, s.completed_at, {settled}"  # noqa: S608
        " OR t.uploader_id = s.user_id AS settled"
        " FROM snatches s JOIN torrents t ON t.id = s.torrent_id"
        " LEFT JOIN transfers x ON x.torrent_id = s.torrent_id AND x.user_id = s.user_id"
        " WHERE s.completed_at >= ? AND (s.completed_at > ? OR s.id > ?)"
        " AND s.completed_at <= ? ORDER BY s.completed_at, s.id LIMIT ?",
        params,
    )


def active_sql(rules: Terms) -> tuple[str, list[object]]:
    """The next chunk of active hit-and-runs after a (member, release) key, each with
    whether it is settled now: parameters ``(user id, user id, torrent id, chunk)``
    follow the returned ones."""
    settled, params = settled_sql(rules)
    return (
        f"SELECT h.user_id, h.torrent_id, {settled} AS settled"  # noqa: S608
        " FROM hit_and_runs h JOIN torrents t ON t.id = h.torrent_id"
        " LEFT JOIN transfers x ON x.torrent_id = h.torrent_id AND x.user_id = h.user_id"
        " WHERE h.cleared_at IS NULL AND h.user_id >= ?"
        " AND (h.user_id > ? OR h.torrent_id > ?)"
        " ORDER BY h.user_id, h.torrent_id LIMIT ?",
        params,
    )


async def sweep(
    db: Database, now: int, settings: Settings, member_changed: MemberChanged | None = None
) -> int:
    """Record and clear what is due at ``now``; returns how many hit-and-runs it recorded
    or cleared (0 on a rerun). ``member_changed`` is told each member whose count of
    active hit-and-runs changed, after the commit (the tracker forgets its cached count)."""
    if not hit_and_runs_on(settings):
        await _exempt_until(db, now)
        return 0
    rules = terms(settings)
    changed = await _record(db, now, rules, member_changed)
    return changed + await _clear(db, now, rules, member_changed)


async def _exempt_until(db: Database, now: int) -> None:
    """With the rules off, what completed until ``now`` will never be judged."""
    async with db.transaction() as connection:
        await connection.execute(
            "UPDATE hit_and_run_sweep SET through_at = ?, through_id = 0"
            " WHERE id = 1 AND through_at < ?",
            (now, now),
        )


async def _record(db: Database, now: int, rules: Terms, told: MemberChanged | None) -> int:
    sql, params = due_snatches_sql(rules)
    window_end = now - rules.window_seconds
    recorded = 0
    while True:
        async with db.transaction() as connection:
            mark = await _fetch(connection, _MARK, ())
            through_at, through_id = mark[0]
            rows = await _fetch(
                connection,
                sql,
                (*params, through_at, through_at, through_id, window_end, SWEEP_CHUNK),
            )
            unmet = [(row[1], row[2], row[3], now) for row in rows if not row[4]]
            inserted = await connection.executemany(_RECORD, unmet)
            if rows:
                await connection.execute(_MOVE_MARK, (rows[-1][3], rows[-1][0]))
        # Counted as written: a row already there (which the mark rules out) is not new.
        recorded += max(0, inserted.rowcount)
        _tell(told, {row[0] for row in unmet})
        if len(rows) < SWEEP_CHUNK:
            return recorded


async def _clear(db: Database, now: int, rules: Terms, told: MemberChanged | None) -> int:
    sql, params = active_sql(rules)
    after = (0, 0)
    cleared = 0
    while True:
        async with db.transaction() as connection:
            rows = await _fetch(connection, sql, (*params, after[0], *after, SWEEP_CHUNK))
            settled = [(now, row[0], row[1]) for row in rows if row[2]]
            updated = await connection.executemany(_CLEAR, settled)
        cleared += max(0, updated.rowcount)
        _tell(told, {row[1] for row in settled})
        if len(rows) < SWEEP_CHUNK:
            return cleared
        after = (rows[-1][0], rows[-1][1])


async def _fetch(
    connection: aiosqlite.Connection, sql: str, params: Sequence[object]
) -> list[tuple[int, ...]]:
    cursor = await connection.execute(sql, params)
    return [tuple(row) for row in await cursor.fetchall()]


def _tell(told: MemberChanged | None, user_ids: set[int]) -> None:
    if told is not None:
        for user_id in sorted(user_ids):
            told(user_id)
