"""Password hashing with argon2, run off the event loop: a hash takes tens of ms."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tinypier.i18n import _

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8

_DUMMY_HASH = _hasher.hash("a password nobody has")


def hash_password_sync(password: str) -> str:
    return _hasher.hash(password)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (no such user) it still spends the same time."""
    return await asyncio.to_thread(_verify, password_hash, password)


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Passwords need at least %(num)s characters.", num=MIN_PASSWORD_LENGTH)
    if len(password) > 1024:
        return _("Passwords may not be longer than 1024 characters.")
    return None
