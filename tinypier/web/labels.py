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
REGISTRATION_MODES = {"open": N_("open"), "invite": N_("invite only"), "closed": N_("closed")}


def _label(table: dict[str, str], key: str) -> str:
    return gettext(table[key]) if key in table else key


def role_label(role: str) -> str:
    return _label(ROLE_LABELS, role)


def member_order_label(key: str) -> str:
    return _label(MEMBER_ORDER_LABELS, key)


def freeleech_badge(level: str) -> str:
    return _label(FREELEECH_BADGES, level)


def registration_mode_label(mode: str) -> str:
    return _label(REGISTRATION_MODES, mode)
