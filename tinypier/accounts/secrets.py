"""Random credentials and how they are stored.

Session ids and API tokens are stored only as SHA-256 digests, so a copy of the
database (a backup, say) does not let anyone log in as a member.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def new_passkey() -> str:
    """32 hex characters: the form every tracker and client expects in an announce URL."""
    return secrets.token_hex(16)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
