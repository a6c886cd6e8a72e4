"""The expiry job: removing what has expired on the board.

What expires here: sessions past their end (a login also removes them, but a board
nobody logs in to keeps them), and invite codes that expired unused more than
:data:`EXPIRED_INVITES_KEPT_SECONDS` ago (their member's invites page shows a recently
expired code a while, and an expired one no longer counts against the quota anyway).
Rate limits and flood counters are kept in memory and forget by themselves; feed tokens,
passkeys and API tokens never expire; the tracker expires silent peers itself.

Each statement deletes only rows past their end, so a second run finds nothing and a
run cut short is simply finished by the next.
"""

from __future__ import annotations

from tinypier.db.connection import Database
from tinypier.i18n import N_
from tinypier.jobs.base import Job, JobResult
from tinypier.settings import Settings

EXPIRED_INVITES_KEPT_SECONDS = 30 * 86400
INTERVAL_SECONDS = 3600

SESSIONS_REMOVED = N_("expired sessions removed")
INVITES_REMOVED = N_("expired invites removed")

DELETE_SESSIONS = "DELETE FROM sessions WHERE expires_at <= ?"
DELETE_INVITES = "DELETE FROM invites WHERE expires_at <= ? AND used_by IS NULL"


async def expire(db: Database, settings: Settings, now: int) -> JobResult:
    del settings  # the lifetimes were fixed when the rows were written
    async with db.transaction() as connection:
        sessions = await connection.execute(DELETE_SESSIONS, (now,))
        invites = await connection.execute(DELETE_INVITES, (now - EXPIRED_INVITES_KEPT_SECONDS,))
        return {SESSIONS_REMOVED: sessions.rowcount, INVITES_REMOVED: invites.rowcount}


EXPIRY_JOB = Job("expiry", N_("Expiry"), INTERVAL_SECONDS, expire)
