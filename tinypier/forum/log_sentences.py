"""The moderation log as sentences: "alice moved topic <a>Title</a> from A to B".

The log stores keys and names, never words (``forum.moderation_log``); each entry is
told here, in the reader's language (a feature's own actions registered by the feature,
:func:`register_actions`), with a link to what it is about. A name the
reader may not view now is a placeholder (``forum.queries`` leaves it NULL); a target
removed since is named from the stored text, unlinked. An entry with no actor was
written from the shell (``tinypier`` commands), which has no member.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup, escape

from tinypier.i18n import N_, gettext
from tinypier.web.labels import ROLE_LABELS

Reverse = Callable[..., str]
# An entry of ``forum.queries.moderation_log_page`` (sqlite3.Row reads like a mapping).
LogEntry = Mapping[str, Any] | sqlite3.Row

# One sentence per action id, or per "action:target type" where the id is shared.
SENTENCES = {
    "lock": N_("%(actor)s locked topic %(target)s"),
    "unlock": N_("%(actor)s unlocked topic %(target)s"),
    "pin_normal": N_("%(actor)s unpinned topic %(target)s"),
    "pin_sticky": N_("%(actor)s made topic %(target)s sticky"),
    "pin_announcement": N_("%(actor)s made topic %(target)s an announcement"),
    "move": N_("%(actor)s moved topic %(target)s from %(from)s to %(to)s"),
    "delete:topic": N_("%(actor)s deleted topic %(target)s"),
    "delete:post": N_("%(actor)s deleted a post by %(author)s in %(target)s"),
    "delete:forum": N_("%(actor)s deleted forum %(target)s and everything in it"),
    "delete_with_topic": N_(
        "%(actor)s deleted the first post by %(author)s, and with it the topic %(target)s"
    ),
    "restore:topic": N_("%(actor)s restored topic %(target)s"),
    "restore:post": N_("%(actor)s restored a post by %(author)s in %(target)s"),
    "edit_post": N_("%(actor)s edited a post in %(target)s"),
    "split": N_("%(actor)s split topic %(target)s off %(source)s"),
    "merge": N_("%(actor)s merged %(source)s into topic %(target)s"),
    "set role": N_("%(actor)s made %(target)s %(now)s (was %(was)s)"),
    "disable user": N_("%(actor)s disabled member %(target)s"),
    "enable user": N_("%(actor)s enabled member %(target)s"),
    "set invite quota": N_("%(actor)s set the invite quota of %(target)s to %(now)s (was %(was)s)"),
    "create user": N_("%(actor)s created member %(target)s"),
    "create:forum": N_("%(actor)s created forum %(target)s"),
    "change setting": N_("%(actor)s changed the site setting %(details)s"),
    "reset setting": N_(
        "%(actor)s reset the site setting %(details)s to its file or default value"
    ),
}
# A move logged before moves kept their forums: its stored text is all there is.
OLD_MOVE = N_("%(actor)s moved topic %(target)s (%(details)s)")
UNKNOWN_ACTION = N_("%(actor)s did “%(action)s” to %(target)s")
SHELL_ACTOR = N_("(shell)")
DELETED_ACTOR = N_("(deleted member)")
QUOTED = N_("“%(name)s”")
SINCE_REMOVED = N_("“%(name)s” (since removed)")
# Placeholders for what the reader may not view now, or what left no name behind.
HIDDEN = {
    "topic": N_("(a topic you cannot view)"),
    "post": N_("(a post you cannot view)"),
    "torrent": N_("(a release you cannot view)"),
    "forum": N_("(a forum you cannot view)"),
    "user": N_("(a member)"),
}
REMOVED = {
    "topic": N_("(a topic since removed)"),
    "post": N_("(a post since removed)"),
    "torrent": N_("(a release since removed)"),
    "forum": N_("(a forum since removed)"),
    "user": N_("(a member since removed)"),
}
# Where each kind of target is read: route name and its path parameter.
TARGET_ROUTES = {
    "topic": ("forum:topic", "topic_id"),
    "post": ("forum:post", "post_id"),
    "forum": ("forum:forum", "forum_id"),
    "user": ("forum:member", "member_id"),
    "torrent": ("forum:topic", "topic_id"),
}
# Changes stored as "old -> new" keys, told in the reader's words.
CHANGE_LABELS: dict[str, Mapping[str, str]] = {"set role": ROLE_LABELS}
# The stored text of these is the name of the target itself (see the routes that log).
NAMED_BY_DETAILS = {"lock", "unlock", "pin_normal", "pin_sticky", "pin_announcement", "delete",
                    "restore", "edit_post", "disable user", "enable user", "create user",
                    "create"}  # fmt: skip


def register_actions(
    sentences: Mapping[str, str], change_labels: Mapping[str, Mapping[str, str]] | None = None
) -> None:
    """A feature's own actions, registered by the module that logs them when it is
    imported: their sentences and, for changes stored as "old -> new" keys, the labels
    that tell those keys. The forum's log then tells them without importing the feature.
    An id registered twice with another sentence is a bug: refused."""
    for action, sentence in sentences.items():
        if SENTENCES.setdefault(action, sentence) != sentence:
            raise ValueError(f"the log action {action!r} already has another sentence")
    CHANGE_LABELS.update(change_labels or {})


def sentence_for(action: str, target_type: str) -> str | None:
    """The untranslated sentence of an action, or None for an id it does not know."""
    return SENTENCES.get(f"{action}:{target_type}", SENTENCES.get(action))


def _link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text)


def _muted(text: str) -> Markup:
    return Markup('<span class="muted">{}</span>').format(text)


def _actor(entry: LogEntry, reverse: Reverse) -> Markup:
    if entry["actor_id"] is None:
        return _muted(gettext(SHELL_ACTOR if entry["from_shell"] else DELETED_ACTOR))
    return _link(reverse("forum:member", member_id=entry["actor_id"]), entry["actor_name"])


def _stored_name(entry: LogEntry) -> str | None:
    """The target's name as the entry stored it (for posts "author: topic title")."""
    details: str = entry["details"] or ""
    if entry["target_type"] == "post":
        return details.partition(": ")[2] or None
    if entry["action"] in NAMED_BY_DETAILS or entry["target_type"] == "forum":
        return details or None
    return None


def _target(entry: LogEntry, reverse: Reverse) -> Markup:
    kind = entry["target_type"]
    name = entry["target_name"]
    if name is not None and kind in TARGET_ROUTES:
        route, parameter = TARGET_ROUTES[kind]
        target_id = entry["release_topic_id"] if kind == "torrent" else entry["target_id"]
        return _link(reverse(route, **{parameter: target_id}), name)
    if not entry["target_gone"] or entry["details_withheld"]:
        return _muted(gettext(HIDDEN.get(kind, HIDDEN["topic"])))
    stored = _stored_name(entry)
    if stored is None:
        return _muted(gettext(REMOVED.get(kind, REMOVED["topic"])))
    return escape(gettext(SINCE_REMOVED, name=stored))


def _forum(name: str | None) -> Markup:
    return escape(gettext(QUOTED, name=name)) if name else _muted(gettext(HIDDEN["forum"]))


def _change(entry: LogEntry) -> dict[str, str]:
    """``was`` and ``now`` of a stored "old -> new", in the reader's words."""
    was, _arrow, now = (entry["details"] or "").partition(" -> ")
    labels = CHANGE_LABELS.get(entry["action"], {})
    return {
        "was": gettext(labels[was]) if was in labels else was,
        "now": gettext(labels[now]) if now in labels else now,
    }


def _source(entry: LogEntry) -> Markup:
    """The other topic of a split or merge, named only if the reader may view its forum."""
    if entry["from_name"] is None:
        return _muted(gettext(HIDDEN["topic"]))
    return escape(gettext(QUOTED, name=entry["details"]))


def log_sentence(entry: LogEntry, reverse: Reverse) -> Markup:
    """One entry as a sentence in the reader's language, its names escaped and linked."""
    action, kind = entry["action"], entry["target_type"]
    parts: dict[str, Markup | str] = {
        "actor": _actor(entry, reverse),
        "target": _target(entry, reverse),
        "action": escape(action),
    }
    template = sentence_for(action, kind) or UNKNOWN_ACTION
    parts["details"] = "" if entry["details_withheld"] else escape(entry["details"])
    if action == "move" and entry["to_forum_id"] is None:
        template = OLD_MOVE
    parts["from"] = _forum(entry["from_name"])
    parts["to"] = _forum(entry["to_name"])
    parts["author"] = escape((entry["details"] or "").partition(": ")[0])
    parts["source"] = _source(entry)
    parts.update({key: escape(value) for key, value in _change(entry).items()})
    return escape(gettext(template)) % parts
