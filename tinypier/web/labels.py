"""Words the database stores as keys (roles, sort orders, freeleech levels) as a reader
sees them, in the request's language."""

from __future__ import annotations

from tinypier.i18n import N_, gettext
from tinypier.torrents.statuses import FREELEECH_LABELS, STATUS_LABELS

ROLE_LABELS = {
    "guest": N_("guest"),
    "user": N_("user"),
    "moderator": N_("moderator"),
    "admin": N_("admin"),
}
MEMBER_ORDER_LABELS = {
    "name": N_("name"),
    "joined": N_("joined"),
    "posts": N_("posts"),
    "uploaded": N_("uploaded"),
}
FREELEECH_BADGES = {"silver": N_("silver"), "gold": N_("gold")}
REGISTRATION_MODES = {"open": N_("open"), "invite": N_("invite only"), "closed": N_("closed")}
# The moderation log stores what happened as keys; English shows them as they are,
# other languages in words.
LOG_ACTIONS = {
    "lock": N_("lock"),
    "unlock": N_("unlock"),
    "pin_normal": N_("pin_normal"),
    "pin_sticky": N_("pin_sticky"),
    "pin_announcement": N_("pin_announcement"),
    "move": N_("move"),
    "delete": N_("delete"),
    "delete_with_topic": N_("delete_with_topic"),
    "edit_post": N_("edit_post"),
    "release_status": N_("release_status"),
    "release_freeleech": N_("release_freeleech"),
    "set role": N_("set role"),
    "disable user": N_("disable user"),
    "enable user": N_("enable user"),
    "set invite quota": N_("set invite quota"),
    "change setting": N_("change setting"),
    "reset setting": N_("reset setting"),
    "create user": N_("create user"),
    "create": N_("create"),
}
LOG_TARGETS = {
    "topic": N_("topic"),
    "post": N_("post"),
    "forum": N_("forum"),
    "user": N_("user"),
    "torrent": N_("torrent"),
    "setting": N_("site setting"),
}


def _label(table: dict[str, str], key: str) -> str:
    return gettext(table[key]) if key in table else key


def role_label(role: str) -> str:
    return _label(ROLE_LABELS, role)


def member_order_label(key: str) -> str:
    return _label(MEMBER_ORDER_LABELS, key)


def freeleech_badge(level: str) -> str:
    return _label(FREELEECH_BADGES, level)


def log_action_label(action: str) -> str:
    return _label(LOG_ACTIONS, action)


def log_target_label(target_type: str) -> str:
    return _label(LOG_TARGETS, target_type)


def registration_mode_label(mode: str) -> str:
    return _label(REGISTRATION_MODES, mode)


# Changes the log stores as "old -> new" keys (see the moderation routes).
_CHANGES = {
    "release_status": STATUS_LABELS,
    "release_freeleech": FREELEECH_LABELS,
    "set role": ROLE_LABELS,
}


def log_details_label(action: str, details: str) -> str:
    """An entry's details as a reader reads them: a stored change of keys ("checked ->
    closed") in the words of their language; names, titles and numbers as written."""
    labels = _CHANGES.get(action)
    was, arrow, now = details.partition(" -> ")
    if labels is None or not arrow or was not in labels or now not in labels:
        return details
    return f"{gettext(labels[was])} → {gettext(labels[now])}"
