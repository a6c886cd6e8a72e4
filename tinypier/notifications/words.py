"""A notice in words, in the reader's language: one sentence per kind.

The notifications page and the e-mail both say it this way; the page escapes it as any
text (names and titles are what members typed), so a notice carries no markup.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from tinypier.i18n import _, ngettext
from tinypier.release_statuses import STATUS_LABELS

REPLY = "reply"
NEW_TOPIC = "topic"
QUOTE = "quote"
MENTION = "mention"
MESSAGE = "message"
RELEASE_STATUS = "release_status"

KINDS = (REPLY, NEW_TOPIC, QUOTE, MENTION, MESSAGE, RELEASE_STATUS)


def notice_text(notice: Mapping[str, Any] | sqlite3.Row) -> str:
    """A row with ``kind``, ``count``, ``actor_name``, ``topic_title``,
    ``conversation_subject`` and ``detail`` (a release's new status) as one sentence."""
    actor = notice["actor_name"] or _("A member")
    topic = notice["topic_title"] or ""
    kind, count = notice["kind"], int(notice["count"])
    if kind == REPLY:
        return ngettext(
            "%(actor)s replied in %(topic)s",
            "%(num)s new replies in %(topic)s, the latest by %(actor)s",
            count,
            actor=actor,
            topic=topic,
        )
    if kind == NEW_TOPIC:
        return _("%(actor)s started the topic %(topic)s", actor=actor, topic=topic)
    if kind == QUOTE:
        return _("%(actor)s quoted you in %(topic)s", actor=actor, topic=topic)
    if kind == MENTION:
        return _("%(actor)s mentioned you in %(topic)s", actor=actor, topic=topic)
    if kind == MESSAGE:
        return ngettext(
            "%(actor)s sent you a message: %(subject)s",
            "%(num)s new messages in %(subject)s, the latest from %(actor)s",
            count,
            actor=actor,
            subject=notice["conversation_subject"] or "",
        )
    status = STATUS_LABELS.get(notice["detail"] or "", notice["detail"] or "")
    return _(
        "%(actor)s marked your release %(topic)s '%(status)s'",
        actor=actor,
        topic=topic,
        status=_(status),
    )
