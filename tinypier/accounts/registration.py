"""Becoming a member, as the board's registration mode allows."""

from __future__ import annotations

from tinypier.accounts.forms import RegisterForm, new_password_problem
from tinypier.accounts.invites import find_usable_invite, mark_invite_used
from tinypier.accounts.names import name_problem
from tinypier.accounts.passwords import hash_password
from tinypier.accounts.queries import NewMember, insert_user
from tinypier.db.connection import Database
from tinypier.i18n import N_, _
from tinypier.settings import Settings

INVITE_UNUSABLE = N_("This invite code is not valid: it may be mistyped, used or expired.")


class InviteUnusable(ValueError):
    """The invite code is unknown, already used or expired."""


def registration_problem(form: RegisterForm, settings: Settings) -> str | None:
    if settings.registration_mode == "invite" and not form.invite_code.strip():
        return _("Registration needs an invite code.")
    return name_problem(form.name.strip()) or new_password_problem(
        form.password, form.password_confirm
    )


async def register_member(db: Database, form: RegisterForm, settings: Settings) -> NewMember:
    """Create the member; in invite mode the invite is used up in the same transaction,
    so one code lets in exactly one person even when two register at once."""
    password_hash = await hash_password(form.password)
    async with db.transaction() as connection:
        invite = None
        if settings.registration_mode == "invite":
            invite = await find_usable_invite(connection, form.invite_code.strip())
            if invite is None:
                raise InviteUnusable(_(INVITE_UNUSABLE))
        member = await insert_user(
            connection,
            form.name.strip(),
            password_hash,
            invite_quota=settings.invite_quota,
            invited_by=invite["created_by"] if invite else None,
        )
        if invite is not None:
            await mark_invite_used(connection, invite["id"], member.id)
    return member
