"""How TorrentPier's values read in TinyPier: roles, rights, statuses, passwords, names."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from tinypier.release_statuses import (
    CHECKED,
    CLOSED,
    CONSUMED,
    DUPLICATE,
    GOLD,
    NEEDS_EDITING,
    NO_FREELEECH,
    NOT_CHECKED,
    SILVER,
)

_MD5_HEX = re.compile(r"^[0-9a-fA-F]{32}$")
_VERBATIM_HASH = ("$2y$", "$2a$", "$2b$", "$argon2i$", "$argon2id$")
UNUSABLE_PASSWORD = "!torrentpier-no-password"  # noqa: S105 (no hash: matches nothing)
"""Stored for a member whose TorrentPier hash is empty or of no known form: no password
verifies against it (it is no valid hash), so the member resets it by e-mail or an admin."""

# user_level: 0 user, 1 admin, 2 moderator, 20 group member (a user).
_ROLES = {1: "admin", 2: "moderator"}
# auth_* of bb_forums: 0 all, 1 registered, 2 ACL, 3 moderators, 5 admins.
_RIGHT_ROLES = {0: "guest", 1: "user", 2: "moderator", 3: "moderator", 5: "admin"}
_ROLE_ORDER = ("guest", "user", "moderator", "admin")
ACL_RIGHT = 2
# library/defines.php TOR_* -> TinyPier's statuses. TorrentPier's frozen statuses stay
# frozen (closed, duplicate, consumed); "being checked" and "pre-moderation" wait for a
# moderator (not checked), "doubtful" asks the uploader (needs editing), and "temporary"
# and "replenishing" stay downloadable (checked).
_STATUSES = {
    0: NOT_CHECKED,
    1: CLOSED,
    2: CHECKED,
    3: NEEDS_EDITING,
    4: CLOSED,
    5: DUPLICATE,
    6: CLOSED,
    7: CONSUMED,
    8: NEEDS_EDITING,
    9: NOT_CHECKED,
    10: CHECKED,
    11: NOT_CHECKED,
    12: CHECKED,
}
_FREELEECH = {1: GOLD, 2: SILVER}


def text(value: object) -> str:
    """TorrentPier stores names, titles and post text HTML-escaped: the text itself."""
    return html.unescape("" if value is None else str(value))


def password_hash(value: object) -> str | None:
    """The member's hash as TinyPier's legacy check reads it, or None when unusable:
    bcrypt and argon2 verbatim, md5(md5) as ``md5md5$<lowercase hex>``."""
    stored = "" if value is None else str(value).strip()
    if _MD5_HEX.match(stored):
        return "md5md5$" + stored.lower()
    if stored.startswith(_VERBATIM_HASH):
        return stored
    return None


def role(user_level: object) -> str:
    return _ROLES.get(_int(user_level), "user")


def right_role(value: object, floor: str = "guest") -> str:
    """A forum right as the least role holding it, never below ``floor``."""
    mapped = _RIGHT_ROLES.get(_int(value), "admin")
    return max(mapped, floor, key=_ROLE_ORDER.index)


def release_status(tor_status: object) -> str:
    return _STATUSES.get(_int(tor_status), NOT_CHECKED)


def freeleech(tor_type: object) -> str:
    return _FREELEECH.get(_int(tor_type), NO_FREELEECH)


def padded_info_hash(stored: object) -> bytes | None:
    """A v1 info hash as TorrentPier 2.x wrote it, trailing 0x20 bytes restored: MySQL
    right-trimmed them from the VARBINARY(20) before 2.4; 3.0 stores NULL for none."""
    if not isinstance(stored, bytes | bytearray) or not stored:
        return None
    return bytes(stored).ljust(20, b" ")


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return 0


def as_int(value: object) -> int:
    return _int(value)


def timestamp(value: object) -> int | None:
    """A unix time or a MySQL ``TIMESTAMP`` text as seconds; None for none."""
    if isinstance(value, int | float):
        return int(value) or None
    if isinstance(value, str) and value and not value.startswith("0000"):
        try:
            return int(datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp())
        except ValueError:
            return None
    return None
