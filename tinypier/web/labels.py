"""Words the database stores as keys (roles, sort orders, freeleech levels) as a reader
sees them, in the request's language."""

from __future__ import annotations

from tinypier.i18n import N_, gettext

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
# The moderation log stores what happened as keys; the page says it in words.
LOG_ACTIONS = {
    "lock": N_("locked"),
    "unlock": N_("unlocked"),
    "pin_normal": N_("unpinned"),
    "pin_sticky": N_("made sticky"),
    "pin_announcement": N_("made an announcement"),
    "move": N_("moved"),
    "delete": N_("deleted"),
    "edit_post": N_("edited a post"),
    "release_status": N_("set the release status"),
    "release_freeleech": N_("set freeleech"),
    "set role": N_("set the role"),
    "disable user": N_("disabled the member"),
    "enable user": N_("enabled the member"),
    "set invite quota": N_("set the invite quota"),
}
LOG_TARGETS = {
    "topic": N_("topic"),
    "post": N_("post"),
    "forum": N_("forum"),
    "user": N_("member"),
    "torrent": N_("release"),
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
