"""What a message must satisfy before it is stored, and the flood control of senders.

Every check runs before anything is written: recipients (known, at most
``message_recipients_max``, not disabled, not blocking the sender), subject, body
(``message_max_chars``), then the flood rules, which count the message. A refusal is a
:class:`MessageRefused` whose text the page or the API shows as it is.

Flood control shares the posts' counting (``tinypier.flood``) under its own rules: one
message per ``message_interval_seconds`` and at most ``messages_per_day`` in any
rolling 24 hours. Moderators and admins are exempt, as for posts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_429_TOO_MANY_REQUESTS,
)

from tinypier.accounts.rate_limit import made_once
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.flood import FloodLimiter, Rule
from tinypier.forum.posting import body_problem
from tinypier.i18n import _, ngettext
from tinypier.messages import store
from tinypier.notifications.notify import delivery_of
from tinypier.permissions.messages import can_receive_messages
from tinypier.settings import Settings

DAY_SECONDS = 86400.0
STATE_KEY = "message_limiter"
MAX_SUBJECT_LENGTH = 200
MAX_REASON_LENGTH = 1000


class MessageRefused(Exception):
    """A message that cannot be sent, and why, in the sender's language."""

    def __init__(self, message: str, status_code: int = HTTP_400_BAD_REQUEST) -> None:
        super().__init__(message)
        self.status_code = status_code


def recipient_names(raw: str) -> list[str]:
    """The names typed in the form's "To" field, separated by commas."""
    return [name.strip() for name in raw.split(",") if name.strip()]


def _distinct(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.strip().casefold(), name.strip())
    return [name for name in seen.values() if name]


async def recipients(
    db: Database, sender: Viewer, names: Sequence[str], settings: Settings
) -> list[sqlite3.Row]:
    """The members a new conversation goes to; refused unless every name is one."""
    wanted = [name for name in _distinct(names) if name.casefold() != sender.name.casefold()]
    if not wanted:
        raise MessageRefused(_("Name at least one other member to write to."))
    if len(wanted) > settings.message_recipients_max:
        raise MessageRefused(
            ngettext(
                "A conversation may include at most %(num)s other member.",
                "A conversation may include at most %(num)s other members.",
                settings.message_recipients_max,
            )
        )
    found = await store.members_named(db, wanted)
    known = {row["name"].casefold() for row in found}
    unknown = [name for name in wanted if name.casefold() not in known]
    if unknown:
        raise no_member_named(unknown)
    for row in found:
        if not can_receive_messages(bool(row["disabled"])):
            raise MessageRefused(
                _("%(name)s cannot receive messages.", name=row["name"]), HTTP_403_FORBIDDEN
            )
    await refuse_if_blocked(db, sender, [row["id"] for row in found])
    return found


async def refuse_if_blocked(db: Database, sender: Viewer, member_ids: Sequence[int]) -> None:
    """Refuse a message that would reach a member who blocks its sender."""
    blockers = await store.blocking_names(db, sender.id or 0, member_ids)
    if blockers:
        raise MessageRefused(
            ngettext(
                "%(names)s does not accept messages from you.",
                "%(names)s do not accept messages from you.",
                len(blockers),
                names=", ".join(blockers),
            ),
            HTTP_403_FORBIDDEN,
        )


def no_member_named(names: Sequence[str]) -> MessageRefused:
    return MessageRefused(
        ngettext(
            "There is no member named %(names)s.",
            "There are no members named %(names)s.",
            len(names),
            names=", ".join(names),
        )
    )


async def member_to_block(db: Database, blocker: Viewer, name: str) -> sqlite3.Row:
    """The member a block form names; refused when it names no one, or the blocker."""
    if not name.strip():
        raise MessageRefused(_("Name the member to block."))
    found = await store.members_named(db, [name.strip()])
    if not found:
        raise no_member_named([name.strip()])
    if found[0]["id"] == blocker.id:
        raise MessageRefused(_("You cannot block yourself."))
    return found[0]


def check_subject(subject: str) -> None:
    if not subject.strip():
        raise MessageRefused(_("The subject is empty."))
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise MessageRefused(
            _("Subjects may not be longer than %(num)s characters.", num=MAX_SUBJECT_LENGTH)
        )


def check_body(body: str, settings: Settings) -> None:
    problem = body_problem(body, settings.message_max_chars)
    if problem:
        raise MessageRefused(problem)


def check_reason(reason: str) -> None:
    if len(reason) > MAX_REASON_LENGTH:
        raise MessageRefused(
            _("Reasons may not be longer than %(num)s characters.", num=MAX_REASON_LENGTH)
        )


def limiter_of(state: State, settings: Settings) -> FloodLimiter:
    """The application's message limiter, made on first use (tests may put their own)."""
    return made_once(
        state,
        STATE_KEY,
        lambda: FloodLimiter(
            settings.message_interval_seconds, settings.messages_per_day, DAY_SECONDS
        ),
    )


def admit_message(request: Request[Viewer, Any, Any]) -> None:
    """Count the message the requester sends now, or refuse it with how long to wait."""
    viewer: Viewer = request.user
    if viewer.is_moderator or viewer.id is None:
        return
    state = request.app.state
    limiter = limiter_of(state, state.settings)
    wait = limiter.admit(viewer.id)
    if wait is None:
        return
    if wait.rule is Rule.INTERVAL:
        refusal = _(
            "You are sending messages too fast. Wait %(wait)s before sending another.",
            wait=wait.phrase,
        )
    else:
        refusal = ngettext(
            "You have sent %(num)s message in the last 24 hours, the most allowed."
            " Wait %(wait)s before sending another.",
            "You have sent %(num)s messages in the last 24 hours, the most allowed."
            " Wait %(wait)s before sending another.",
            limiter.cap,
            wait=wait.phrase,
        )
    raise MessageRefused(refusal, HTTP_429_TOO_MANY_REQUESTS)


async def send_new(
    request: Request[Viewer, Any, Any], names: Sequence[str], subject: str, body: str
) -> store.NewConversation:
    """Start a conversation after every check; raises :class:`MessageRefused`."""
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    sender: Viewer = request.user
    found = await recipients(db, sender, names, settings)
    check_subject(subject)
    check_body(body, settings)
    admit_message(request)
    return await store.start_conversation(
        db,
        sender.id or 0,
        [row["id"] for row in found],
        subject,
        body,
        delivery_of(request.app.state),
    )


async def send_reply(request: Request[Viewer, Any, Any], conversation_id: int, body: str) -> int:
    """Add a message to a conversation the sender takes part in (checked by the caller)."""
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    sender: Viewer = request.user
    check_body(body, settings)
    others = [
        row["id"]
        for row in await store.member_list(db, conversation_id)
        if row["removed_after_message_id"] is None and row["id"] != sender.id
    ]
    await refuse_if_blocked(db, sender, others)
    admit_message(request)
    delivery = delivery_of(request.app.state)
    return await store.add_message(db, conversation_id, sender.id or 0, body, delivery)
