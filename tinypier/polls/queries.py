"""Storing polls and votes. Every check that a write depends on ("nobody has voted yet",
"this member has not voted") runs inside the write's own transaction, so two requests at
once cannot both pass it."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import aiosqlite

from tinypier.db.connection import Database
from tinypier.forum.log_sentences import register_actions
from tinypier.forum.moderation_log import log_action
from tinypier.i18n import N_, _
from tinypier.polls.spec import SECONDS_PER_DAY, PollSpec

register_actions(
    {
        "close_poll": N_("%(actor)s closed the poll in topic %(target)s"),
        "delete_poll": N_("%(actor)s deleted the poll “%(details)s” in topic %(target)s"),
    }
)

CHANGE_AFTER_VOTES = N_("Members have voted: the poll can no longer be changed.")


class PollChangeRefused(Exception):
    """The write would break a rule of the poll; the message says which."""


async def poll_of_topic(db: Database, topic_id: int) -> sqlite3.Row | None:
    return await db.fetch_one("SELECT * FROM polls WHERE topic_id = ?", (topic_id,))


async def option_results(db: Database, poll_id: int) -> list[sqlite3.Row]:
    """The options in order, each with its number of votes (read from the primary key,
    plus the votes counted before who chose what was kept: ``earlier_votes``)."""
    return await db.fetch_all(
        "SELECT o.id, o.position, o.text, o.earlier_votes"
        " + (SELECT COUNT(*) FROM poll_votes v WHERE v.option_id = o.id) AS votes"
        " FROM poll_options o WHERE o.poll_id = ? ORDER BY o.position",
        (poll_id,),
    )


async def voter_count(db: Database, poll_id: int) -> int:
    """Members who voted: those whose choice is kept, and the poll's earlier voters."""
    count: int = await db.fetch_value(
        "SELECT (SELECT earlier_voters FROM polls WHERE id = ?)"
        " + (SELECT COUNT(DISTINCT user_id) FROM poll_votes WHERE poll_id = ?)",
        (poll_id, poll_id),
    )
    return count


async def voted_without_choice(db: Database, poll_id: int, user_id: int) -> bool:
    """The member voted before who chose what was kept (an imported poll's voter)."""
    row = await db.fetch_one(
        "SELECT 1 FROM poll_votes_without_choice WHERE poll_id = ? AND user_id = ?",
        (poll_id, user_id),
    )
    return row is not None


async def chosen_options(db: Database, poll_id: int, user_id: int) -> set[int]:
    rows = await db.fetch_all(
        "SELECT option_id FROM poll_votes WHERE poll_id = ? AND user_id = ?", (poll_id, user_id)
    )
    return {row[0] for row in rows}


async def _has_votes(connection: aiosqlite.Connection, poll_id: int) -> bool:
    cursor = await connection.execute(
        "SELECT 1 FROM poll_votes WHERE poll_id = ?"
        " UNION ALL SELECT 1 FROM polls WHERE id = ? AND earlier_voters > 0 LIMIT 1",
        (poll_id, poll_id),
    )
    return await cursor.fetchone() is not None


def _ends_at(spec: PollSpec, now: int) -> int | None:
    return None if spec.days is None else now + spec.days * SECONDS_PER_DAY


async def _write_options(
    connection: aiosqlite.Connection, poll_id: int, options: Sequence[str]
) -> None:
    await connection.executemany(
        "INSERT INTO poll_options (poll_id, position, text) VALUES (?, ?, ?)",
        [(poll_id, position, text) for position, text in enumerate(options, start=1)],
    )


async def create_poll(db: Database, topic_id: int, spec: PollSpec, now: int) -> None:
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "INSERT OR IGNORE INTO polls (topic_id, question, max_choices, allow_change,"
            " ends_at, closed_at, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)",
            (
                topic_id,
                spec.question,
                spec.max_choices,
                spec.allow_change,
                _ends_at(spec, now),
                now,
            ),
        )
        if cursor.rowcount != 1:
            raise PollChangeRefused(_("This topic already has a poll."))
        await _write_options(connection, cursor.lastrowid or 0, spec.options)


async def record_earlier_votes(
    db: Database,
    topic_id: int,
    votes_by_position: dict[int, int],
    voters: int,
    members: Sequence[tuple[int, int]],
) -> None:
    """Votes counted before who chose what was kept (an imported poll): the count per
    option position, the number of voters, and ``(member, voted at)`` for each member
    known to have voted. Setting them again sets the same (an import rerun after a crash)."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "UPDATE polls SET earlier_voters = ? WHERE topic_id = ? RETURNING id",
            (voters, topic_id),
        )
        row = await cursor.fetchone()
        if row is None:
            raise PollChangeRefused(_("This topic has no poll."))
        poll_id = int(row[0])
        await connection.executemany(
            "UPDATE poll_options SET earlier_votes = ? WHERE poll_id = ? AND position = ?",
            [(votes, poll_id, position) for position, votes in votes_by_position.items()],
        )
        await connection.executemany(
            "INSERT OR IGNORE INTO poll_votes_without_choice (poll_id, user_id, created_at)"
            " VALUES (?, ?, ?)",
            [(poll_id, user_id, at) for user_id, at in members],
        )


async def update_poll(db: Database, poll_id: int, spec: PollSpec, now: int) -> None:
    """Replace the question and options: only while nobody has voted."""
    async with db.transaction() as connection:
        if await _has_votes(connection, poll_id):
            raise PollChangeRefused(_(CHANGE_AFTER_VOTES))
        await connection.execute(
            "UPDATE polls SET question = ?, max_choices = ?, allow_change = ?, ends_at = ?"
            " WHERE id = ?",
            (spec.question, spec.max_choices, spec.allow_change, _ends_at(spec, now), poll_id),
        )
        await connection.execute("DELETE FROM poll_options WHERE poll_id = ?", (poll_id,))
        await _write_options(connection, poll_id, spec.options)


async def record_vote(
    db: Database,
    poll: sqlite3.Row,
    user_id: int,
    option_ids: Sequence[int],
    now: int,
) -> None:
    """The member's choice; a second vote replaces the first only where the poll allows
    it, and never a vote without a choice (its option is unknown, so is what to undo)."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "SELECT 1 FROM poll_votes_without_choice WHERE poll_id = ? AND user_id = ?",
            (poll["id"], user_id),
        )
        if await cursor.fetchone() is not None:
            raise PollChangeRefused(_("You have already voted in this poll."))
        cursor = await connection.execute(
            "SELECT 1 FROM poll_votes WHERE poll_id = ? AND user_id = ? LIMIT 1",
            (poll["id"], user_id),
        )
        if await cursor.fetchone() is not None:
            if not poll["allow_change"]:
                raise PollChangeRefused(_("You have already voted in this poll."))
            await connection.execute(
                "DELETE FROM poll_votes WHERE poll_id = ? AND user_id = ?", (poll["id"], user_id)
            )
        await connection.executemany(
            "INSERT INTO poll_votes (option_id, user_id, poll_id, created_at) VALUES (?, ?, ?, ?)",
            [(option_id, user_id, poll["id"], now) for option_id in option_ids],
        )


async def close_poll(
    db: Database, poll: sqlite3.Row, topic: sqlite3.Row, actor_id: int, now: int
) -> None:
    """Close the poll now; the moderation log says who closed it, in the same commit."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "UPDATE polls SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
            (now, poll["id"]),
        )
        if cursor.rowcount:
            await _log(connection, actor_id, "close_poll", topic)


async def delete_poll(db: Database, poll: sqlite3.Row, topic: sqlite3.Row, actor_id: int) -> None:
    """Delete the poll with its votes; the log keeps the question, since nothing else will."""
    async with db.transaction() as connection:
        await connection.execute("DELETE FROM polls WHERE id = ?", (poll["id"],))
        await _log(connection, actor_id, "delete_poll", topic, poll["question"])


async def _log(
    connection: aiosqlite.Connection,
    actor_id: int,
    action: str,
    topic: sqlite3.Row,
    question: str = "",
) -> None:
    await log_action(
        connection, actor_id, action, "topic", topic["id"], question, forum_id=topic["forum_id"]
    )
