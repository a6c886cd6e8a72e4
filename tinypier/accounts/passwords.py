"""Password hashing with argon2, run off the event loop: a hash takes tens of ms.

Hashes copied from an imported TorrentPier board verify too, stored verbatim: PHP's
``password_hash()`` bcrypt (``$2y$``) and argon2 (``$argon2i$``/``$argon2id$``), and the
md5(md5(password)) of TorrentPier 2.0-2.3, stored as ``md5md5$<32 hex>``. Such a member
keeps their password; the first login that verifies it rehashes it to the board's own
scheme (``needs_rehash``), so the weak formats die out as members come back.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tinypier.i18n import _

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
MD5MD5_PREFIX = "md5md5$"
_BCRYPT_PREFIXES = ("$2y$", "$2b$", "$2a$")
# bcrypt reads no further than 72 bytes; PHP silently cut there, the bcrypt module refuses.
_BCRYPT_MAX_BYTES = 72

_DUMMY_HASH = _hasher.hash("a password nobody has")


def hash_password_sync(password: str) -> str:
    return _hasher.hash(password)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


def _verify_bcrypt(password_hash: str, password: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode()[:_BCRYPT_MAX_BYTES], password_hash.encode("ascii"))
    except ValueError:  # a malformed hash, or a byte bcrypt will not take
        return False


def _verify_md5md5(password_hash: str, password: str) -> bool:
    """TorrentPier 2.0-2.3: md5 of the lowercase hex md5 of the UTF-8 password."""
    inner = hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()
    outer = hashlib.md5(inner.encode("ascii"), usedforsecurity=False).hexdigest()
    return hmac.compare_digest(outer, password_hash.removeprefix(MD5MD5_PREFIX))


def _verify_argon2(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _verify(password_hash: str | None, password: str) -> bool:
    if password_hash is not None and password_hash.startswith(_BCRYPT_PREFIXES):
        return _verify_bcrypt(password_hash, password)
    if password_hash is not None and password_hash.startswith(MD5MD5_PREFIX):
        # md5 costs nothing: spend the argon2 time too, so timing does not say which.
        _verify_argon2(None, password)
        return _verify_md5md5(password_hash, password)
    return _verify_argon2(password_hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (no such user) it still spends the same time."""
    return await asyncio.to_thread(_verify, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    """True for a hash not in the board's own argon2 scheme and parameters: an imported
    legacy hash, or an argon2 hash made with other settings (PHP's argon2i)."""
    if not password_hash.startswith("$argon2"):
        return True
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Passwords need at least %(num)s characters.", num=MIN_PASSWORD_LENGTH)
    if len(password) > 1024:
        return _("Passwords may not be longer than 1024 characters.")
    return None
