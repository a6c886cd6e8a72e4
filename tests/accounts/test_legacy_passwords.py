"""Members imported from TorrentPier log in with the passwords they had there.

Their hashes are copied verbatim (bcrypt and argon2 from PHP's ``password_hash()``, the
md5(md5()) of 2.0-2.3 as ``md5md5$<hex>``); the first login verifies one and replaces it
by the board's own argon2 hash, the password unchanged.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from argon2 import PasswordHasher, Type
from litestar.testing import TestClient

from tests.accounts.browser import query, session_of
from tests.helpers import Member, add_member, csrf_token, login
from tinypier.accounts.passwords import needs_rehash, verify_password
from tinypier.settings import Settings

# The PHP manual's password_verify() example: a hash PHP itself made.
PHP_BCRYPT = "$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq"
PHP_BCRYPT_PASSWORD = "rasmuslerdorf"
CYRILLIC_PASSWORD = "пароль от трекера"


def md5md5(password: str) -> str:
    inner = hashlib.md5(password.encode()).hexdigest()
    return "md5md5$" + hashlib.md5(inner.encode()).hexdigest()


LEGACY_HASHES = {
    "bcrypt $2y$ from PHP": (PHP_BCRYPT, PHP_BCRYPT_PASSWORD),
    "md5(md5()) of UTF-8": (md5md5(CYRILLIC_PASSWORD), CYRILLIC_PASSWORD),
    "argon2i from PHP": (
        PasswordHasher(time_cost=2, memory_cost=1024, parallelism=2, type=Type.I).hash(
            CYRILLIC_PASSWORD
        ),
        CYRILLIC_PASSWORD,
    ),
    "argon2id with PHP's parameters": (
        PasswordHasher(time_cost=4, memory_cost=65536, parallelism=1, type=Type.ID).hash(
            "секрет-argon2id"
        ),
        "секрет-argon2id",
    ),
}


def imported_member(settings: Settings, password_hash: str) -> Member:
    """A member whose stored hash is ``password_hash`` verbatim, as the importer leaves it."""
    member = add_member(settings, "importé")
    query(settings, "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, member.id))
    return member


def stored_hash(settings: Settings, member: Member) -> str:
    rows = query(settings, "SELECT password_hash FROM users WHERE id = ?", (member.id,))
    return str(rows[0]["password_hash"])


@pytest.mark.parametrize(("legacy_hash", "password"), LEGACY_HASHES.values(), ids=LEGACY_HASHES)
def test_a_legacy_hash_logs_in_and_is_replaced_by_the_boards_own(
    client: TestClient[Any], settings: Settings, legacy_hash: str, password: str
) -> None:
    member = imported_member(settings, legacy_hash)

    response = login(client, member.name, password)

    assert response.status_code == 303
    assert session_of(client) is not None
    upgraded = stored_hash(settings, member)
    assert upgraded.startswith("$argon2id$")
    assert not needs_rehash(upgraded)
    client.cookies.clear()
    assert login(client, member.name, password).status_code == 303
    assert stored_hash(settings, member) == upgraded


@pytest.mark.parametrize(("legacy_hash", "password"), LEGACY_HASHES.values(), ids=LEGACY_HASHES)
def test_a_wrong_password_is_refused_and_the_legacy_hash_kept(
    client: TestClient[Any], settings: Settings, legacy_hash: str, password: str
) -> None:
    member = imported_member(settings, legacy_hash)

    response = login(client, member.name, password + "x")

    assert response.status_code == 400
    assert "Wrong name or password." in response.text
    assert session_of(client) is None
    assert stored_hash(settings, member) == legacy_hash


async def test_bcrypt_reads_only_the_first_72_bytes_as_php_did() -> None:
    import bcrypt

    long_password = "я" * 40  # 80 bytes of UTF-8
    php_hash = bcrypt.hashpw(long_password.encode()[:72], bcrypt.gensalt(4)).decode()
    php_hash = "$2y$" + php_hash.removeprefix("$2b$")

    assert await verify_password(php_hash, long_password)
    assert await verify_password(php_hash, long_password[:36] + "zzzz")
    assert not await verify_password(php_hash, long_password[:35])


@pytest.mark.parametrize(
    "broken",
    ["md5md5$", "md5md5$" + "0" * 32, "md5md5$zz", "$2y$10$short", "$argon2i$v=19$nonsense", ""],
)
async def test_a_malformed_or_empty_stored_hash_verifies_nothing(broken: str) -> None:
    assert not await verify_password(broken, "")
    assert not await verify_password(broken, "anything at all")


async def test_md5md5_needs_the_exact_hex_not_a_prefix_or_uppercase() -> None:
    real = md5md5("hunter22")

    assert await verify_password(real, "hunter22")
    assert not await verify_password(real.upper().replace("MD5MD5$", "md5md5$"), "hunter22")
    assert not await verify_password(real[:-1], "hunter22")


def test_changing_the_password_checks_the_current_one_against_the_legacy_hash(
    client: TestClient[Any], settings: Settings
) -> None:
    member = imported_member(settings, PHP_BCRYPT)
    assert login(client, member.name, PHP_BCRYPT_PASSWORD).status_code == 303
    query(settings, "UPDATE users SET password_hash = ? WHERE id = ?", (PHP_BCRYPT, member.id))
    page = client.get("/settings")
    form = {"_csrf_token": csrf_token(page.text), "new_password": "a new one, long enough"}
    form["new_password_confirm"] = form["new_password"]

    wrong = client.post("/settings/password", data={**form, "current_password": "nope"})
    right = client.post(
        "/settings/password", data={**form, "current_password": PHP_BCRYPT_PASSWORD}
    )

    assert wrong.status_code == 400
    assert "Your current password is not right." in wrong.text
    assert right.status_code == 200
    client.cookies.clear()
    assert login(client, member.name, "a new one, long enough").status_code == 303
