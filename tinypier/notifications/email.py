"""A member's e-mail address and whether notices are mailed to it."""

from __future__ import annotations

from dataclasses import dataclass

from tinypier.db.connection import Database
from tinypier.i18n import _

EMAIL_MAX_CHARS = 254
"""The longest address SMTP carries (RFC 5321's path limit)."""


@dataclass
class EmailSettings:
    """The form: an address, and a checkbox (present, as "on", when ticked)."""

    email: str = ""
    email_notifications: str | None = None

    @property
    def wants_mail(self) -> bool:
        return self.email_notifications is not None


def email_problem(form: EmailSettings) -> str | None:
    """Why an address cannot be saved, or None; empty is fine (no mail then)."""
    email = form.email.strip()
    if not email:
        return (
            _("Give an e-mail address to receive notices by e-mail.") if form.wants_mail else None
        )
    local, at, domain = email.rpartition("@")
    if (
        len(email) > EMAIL_MAX_CHARS
        or not at
        or not local
        or "." not in domain
        or any(char.isspace() or ord(char) < 32 for char in email)
        or any(char in '<>,;"()[]\\' for char in email)
    ):
        return _("This does not look like an e-mail address: %(email)s", email=email)
    return None


async def email_settings(db: Database, user_id: int) -> EmailSettings:
    row = await db.fetch_one(
        "SELECT email, email_notifications FROM users WHERE id = ?", (user_id,)
    )
    if row is None:
        return EmailSettings()
    return EmailSettings(row["email"] or "", "on" if row["email_notifications"] else None)


async def save_email(db: Database, user_id: int, form: EmailSettings) -> None:
    await db.execute(
        "UPDATE users SET email = ?, email_notifications = ? WHERE id = ?",
        (form.email.strip() or None, int(form.wants_mail), user_id),
    )
