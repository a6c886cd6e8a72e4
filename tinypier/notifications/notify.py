"""Who is told what: the notices a post, a private message or a release verdict sends.

The one service the features share: the forum reaches it through its ``post_published``
hook (``tinypier.web.extensions``), private messages and release moderation call it
directly. Each runs inside the transaction that writes what it tells of, so a notice
exists exactly when its post, message or verdict does.

Nobody is told of what they may not view (each recipient is checked as a viewer through
``tinypier.permissions``), of what they did themselves, or by a member they block, and a
disabled member is told nothing. One post tells each member once, the most personal way:
a quote before a mention before a reply in a watched topic or forum.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

import aiosqlite
from litestar.datastructures import State

from tinypier.accounts.roles import Role
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import after_commit
from tinypier.i18n import Audience, _, speaking_to
from tinypier.notifications import store, words
from tinypier.notifications.mail import STATE_KEY, Letter, Outbox
from tinypier.notifications.mentions import mentioned_keys, quoted_keys
from tinypier.permissions.grants import FORUM_GRANTS_SQL, NO_GRANTS, Grants, grants_by_member
from tinypier.permissions.lookup import FORUM_COLUMNS
from tinypier.permissions.messages import can_read_conversation
from tinypier.permissions.rules import can_view_topic
from tinypier.settings import Settings
from tinypier.web import urls
from tinypier.web.extensions import PublishedPost

RECIPIENT_COLUMNS = (
    "u.id, u.name, u.role, u.disabled, u.language, u.time_zone, u.email, u.email_notifications"
)


@dataclass(frozen=True)
class Delivery:
    """What telling needs: the settings' bounds and, when the board mails, its outbox."""

    settings: Settings
    outbox: Outbox | None = None


def delivery_of(state: State) -> Delivery:
    return Delivery(state.settings, state.get(STATE_KEY))


async def _rows(
    connection: aiosqlite.Connection, sql: str, params: Sequence[object]
) -> list[sqlite3.Row]:
    cursor = await connection.execute(sql, params)
    return list(await cursor.fetchall())


def _as_viewer(member: sqlite3.Row, grants: Grants = NO_GRANTS) -> Viewer:
    """A recipient as the policy sees them: their role and, where given, their groups'
    grants in the forum at hand."""
    return Viewer(member["id"], member["name"], Role.parse(member["role"]), grants=grants)


async def _grants_in_forum(
    connection: aiosqlite.Connection, forum_id: int, member_ids: Iterable[int]
) -> dict[int, Grants]:
    """What the members' groups grant in one forum: a member may read a forum their
    role does not open through a group, and must hear of its replies."""
    rows = await _rows(connection, FORUM_GRANTS_SQL, (forum_id, json.dumps(list(member_ids))))
    return grants_by_member((row[0], row[1], row[2]) for row in rows)


async def _blocking(
    connection: aiosqlite.Connection, actor_id: int, member_ids: Iterable[int]
) -> set[int]:
    """Those among ``member_ids`` who block ``actor_id``: they hear nothing from them."""
    ids = list(member_ids)
    if not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    rows = await _rows(
        connection,
        f"SELECT user_id FROM message_blocks WHERE blocked_id = ? AND user_id IN ({marks})",  # noqa: S608
        (actor_id, *ids),
    )
    return {int(row[0]) for row in rows}


@dataclass(frozen=True)
class _Recipient:
    member: sqlite3.Row
    notice: store.Notice


async def _deliver(
    connection: aiosqlite.Connection,
    delivery: Delivery,
    actor_id: int,
    recipients: Sequence[_Recipient],
    subject: dict[str, object],
) -> None:
    """Write the notices of those who may hear from ``actor_id``, and mail them if asked."""
    blocked = await _blocking(connection, actor_id, (r.member["id"] for r in recipients))
    told = [
        recipient
        for recipient in recipients
        if recipient.member["id"] != actor_id
        and not recipient.member["disabled"]
        and recipient.member["id"] not in blocked
    ]
    now = int(time.time())
    await store.record(
        connection, [r.notice for r in told], now, delivery.settings.notifications_kept
    )
    outbox = delivery.outbox
    if outbox is None or not outbox.enabled:
        return
    for recipient in told:
        if recipient.member["email_notifications"] and recipient.member["email"]:
            notice = {**subject, "kind": recipient.notice.kind, "count": 1}
            # Mailed only once the notice has committed: a post rolled back mails nobody.
            after_commit(
                partial(outbox.post, letter(delivery.settings, outbox, recipient.member, notice))
            )


def letter(
    settings: Settings, outbox: Outbox, member: sqlite3.Row, notice: dict[str, object]
) -> Letter:
    """The notice as a plain-text letter in the member's own language."""
    audience = Audience(
        member["language"] or settings.default_language,
        member["time_zone"] or settings.default_timezone,
    )
    link = settings.base_url.rstrip("/") + urls.path("notifications:page")
    with speaking_to(audience):
        text = words.notice_text(notice)
        subject = _("%(site)s: %(notice)s", site=settings.site_name, notice=text)
        return Letter(
            to=str(member["email"]),
            # One line whatever a title holds: a line break would start a new header.
            subject=" ".join(subject.split()),
            body=_(
                "%(notice)s\n\nYour notifications: %(link)s\n\n"
                "You receive this because you asked for notices by e-mail in your settings"
                " on %(site)s; turn it off there.",
                notice=text,
                link=link,
                site=settings.site_name,
            ),
        )


async def _topic(connection: aiosqlite.Connection, topic_id: int) -> sqlite3.Row | None:
    rows = await _rows(
        connection,
        f"SELECT t.id, t.title, t.author_id, t.locked, t.deleted_at,"  # noqa: S608 - constant
        f" NULL AS topic_deleted_at, {FORUM_COLUMNS}"
        " FROM topics t JOIN forums f ON f.id = t.forum_id WHERE t.id = ?",
        (topic_id,),
    )
    return rows[0] if rows else None


async def _member_name(connection: aiosqlite.Connection, member_id: int) -> str:
    rows = await _rows(connection, "SELECT name FROM users WHERE id = ?", (member_id,))
    return str(rows[0][0]) if rows else ""


async def _watchers(
    connection: aiosqlite.Connection, post: PublishedPost, limit: int
) -> list[sqlite3.Row]:
    """Who watches the post's forum, and (for a reply) its topic: the first ``limit`` of
    each (``notify_watchers_max``), by the time they started watching."""
    found = await _rows(
        connection,
        f"SELECT {RECIPIENT_COLUMNS} FROM forum_watches w JOIN users u ON u.id = w.user_id"  # noqa: S608
        " WHERE w.forum_id = ? ORDER BY w.created_at LIMIT ?",
        (post.forum_id, limit),
    )
    if not post.starts_topic:
        found += await _rows(
            connection,
            f"SELECT {RECIPIENT_COLUMNS} FROM topic_watches w JOIN users u ON u.id = w.user_id"  # noqa: S608
            " WHERE w.topic_id = ? ORDER BY w.created_at LIMIT ?",
            (post.topic_id, limit),
        )
    return found


async def _members_by_key(
    connection: aiosqlite.Connection, keys: Sequence[str]
) -> list[sqlite3.Row]:
    if not keys:
        return []
    marks = ", ".join("?" for _ in keys)
    return await _rows(
        connection,
        f"SELECT {RECIPIENT_COLUMNS}, u.name_key FROM users u WHERE u.name_key IN ({marks})",  # noqa: S608
        tuple(keys),
    )


async def on_post_published(
    connection: aiosqlite.Connection, post: PublishedPost, state: State
) -> None:
    """The forum's hook: the starter watches their new topic; watchers, the quoted and the
    mentioned are told."""
    delivery = delivery_of(state)
    settings = delivery.settings
    now = int(time.time())
    if post.starts_topic:
        await store.watch_own_topic(connection, post.author_id, post.topic_id, now)
    topic = await _topic(connection, post.topic_id)
    if topic is None:
        return
    watch_kind = words.NEW_TOPIC if post.starts_topic else words.REPLY
    chosen: dict[int, tuple[sqlite3.Row, str]] = {}
    for member in await _watchers(connection, post, settings.notify_watchers_max):
        chosen[member["id"]] = (member, watch_kind)
    limit = settings.mentions_per_post
    for kind, keys in (
        (words.MENTION, mentioned_keys(post.body_html, limit)),
        (words.QUOTE, quoted_keys(post.body_html, limit)),
    ):
        for member in await _members_by_key(connection, keys):
            chosen[member["id"]] = (member, kind)
    grants = await _grants_in_forum(connection, post.forum_id, chosen)
    recipients = [
        _Recipient(
            member, store.Notice(member["id"], kind, post.author_id, post.topic_id, post.post_id)
        )
        for member, kind in chosen.values()
        if can_view_topic(_as_viewer(member, grants.get(member["id"], NO_GRANTS)), topic)
    ]
    subject = {
        "actor_name": await _member_name(connection, post.author_id),
        "topic_title": topic["title"],
        "conversation_subject": None,
        "detail": None,
    }
    await _deliver(connection, delivery, post.author_id, recipients, subject)


async def on_message(
    connection: aiosqlite.Connection,
    delivery: Delivery,
    conversation_id: int,
    message_id: int,
    author_id: int,
) -> None:
    """A private message: every member still taking part, but its author, is told."""
    members = await _rows(
        connection,
        f"SELECT {RECIPIENT_COLUMNS}, m.removed_after_message_id, c.subject"  # noqa: S608
        " FROM conversation_members m JOIN users u ON u.id = m.user_id"
        " JOIN conversations c ON c.id = m.conversation_id"
        " WHERE m.conversation_id = ? AND m.removed_after_message_id IS NULL",
        (conversation_id,),
    )
    recipients = [
        _Recipient(
            member,
            store.Notice(member["id"], words.MESSAGE, author_id, conversation_id=conversation_id),
        )
        for member in members
        if can_read_conversation(_as_viewer(member), member)
    ]
    subject = {
        "actor_name": await _member_name(connection, author_id),
        "topic_title": None,
        "conversation_subject": members[0]["subject"] if members else "",
        "detail": None,
    }
    await _deliver(connection, delivery, author_id, recipients, subject)


async def on_release_status(
    connection: aiosqlite.Connection,
    delivery: Delivery,
    torrent_id: int,
    actor_id: int,
    status: str,
) -> None:
    """A moderator's verdict on a release: its uploader is told, if they may view it."""
    rows = await _rows(
        connection,
        f"SELECT {RECIPIENT_COLUMNS}, r.topic_id FROM torrents r"  # noqa: S608
        " JOIN users u ON u.id = r.uploader_id WHERE r.id = ?",
        (torrent_id,),
    )
    if not rows:
        return
    uploader = rows[0]
    topic = await _topic(connection, uploader["topic_id"])
    if topic is None or not can_view_topic(_as_viewer(uploader), topic):
        return
    notice = store.Notice(
        uploader["id"], words.RELEASE_STATUS, actor_id, topic["id"], detail=status
    )
    subject = {
        "actor_name": await _member_name(connection, actor_id),
        "topic_title": topic["title"],
        "conversation_subject": None,
        "detail": status,
    }
    await _deliver(connection, delivery, actor_id, [_Recipient(uploader, notice)], subject)
