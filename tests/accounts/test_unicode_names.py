"""Member names in any script: normalised, unique without case, and no look-alikes.

The attacks: registering ``аdmin`` (a Cyrillic ``а``) beside the real ``admin``, hiding
a zero-width space or a right-to-left override in a name so two names that look the
same differ, or taking ``ВАСЯ`` when ``Вася`` exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.accounts.browser import is_guest, query, submit
from tests.accounts.test_registration import PASSWORD, assert_refused, register
from tinypier.accounts.names import name_key, name_problem
from tinypier.db.connection import connect_sync
from tinypier.db.migrations import migrate
from tinypier.settings import Settings

INVISIBLE = "Names cannot contain invisible or control characters"
ONE_ALPHABET = "A name must be written in one alphabet"
BEFORE_NAME_KEYS = 11
"""A schema version from before ``users.name_key`` (0016)."""


def log_in(client: TestClient[Any], name: str) -> Any:
    return submit(client, "/login", "/login", {"name": name, "password": PASSWORD})


def test_a_cyrillic_name_registers_and_logs_in_in_any_case(client: TestClient[Any]) -> None:
    assert register(client, "Вася").status_code == 303
    submit(client, "/settings", "/logout")

    assert log_in(client, "вася").status_code == 303
    assert not is_guest(client)


def test_a_name_taken_in_another_case_is_refused(
    client: TestClient[Any], settings: Settings
) -> None:
    register(client, "Вася")
    submit(client, "/settings", "/logout")

    response = register(client, "вАСЯ")

    assert response.status_code == 400
    assert "That name is taken" in response.text
    assert [tuple(row) for row in query(settings, "SELECT name FROM users", ())] == [("Вася",)]


def test_a_name_is_stored_in_its_normal_form(client: TestClient[Any], settings: Settings) -> None:
    register(client, "\uff30\uff49\uff45\uff52")  # "Pier" in full-width letters

    assert [tuple(row) for row in query(settings, "SELECT name, name_key FROM users", ())] == [
        ("Pier", "pier")
    ]


def test_a_latin_name_with_a_cyrillic_lookalike_is_refused(
    client: TestClient[Any], settings: Settings
) -> None:
    response = register(client, "\u0430dmin")  # Cyrillic а, then Latin

    assert_refused(response, settings, "\u0430dmin", ONE_ALPHABET)
    assert "Cyrillic, Latin" in response.text


@pytest.mark.parametrize(
    "name",
    ["ali\u200bce", "ali\u202ece", "bob\u200d", "\u2066eve\u2069", "mal\u0007ory", "tab\tname"],
    ids=["zero-width space", "rtl override", "zero-width joiner", "isolate", "bell", "tab"],
)
def test_invisible_and_control_characters_are_refused(
    client: TestClient[Any], settings: Settings, name: str
) -> None:
    assert_refused(register(client, name), settings, name, INVISIBLE)


def test_existing_ascii_names_keep_working(client: TestClient[Any], settings: Settings) -> None:
    assert register(client, "old.timer-42").status_code == 303
    submit(client, "/settings", "/logout")

    assert log_in(client, "OLD.TIMER-42").status_code == 303


@pytest.mark.parametrize(
    "name", ["Вася", "Ελένη", "山田太郎", "やまだタロウ", "김철수", "José", "Ann_1"]
)
def test_names_in_one_writing_system_are_accepted(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("x", "2 to 32"),
        ("я" * 33, "2 to 32"),
        ("two words", "letters, digits"),
        ("Pa\u0441al", ONE_ALPHABET),  # Cyrillic с between Latin letters
        ("Ελένη\u200e", INVISIBLE),  # left-to-right mark
    ],
)
def test_name_rules_say_what_is_wrong(name: str, reason: str) -> None:
    problem = name_problem(name)

    assert problem is not None and reason in problem


def test_the_length_limit_counts_characters_not_bytes() -> None:
    assert name_problem("я" * 32) is None


def test_names_compare_by_their_case_folded_normal_form() -> None:
    assert name_key("STRASSE") == name_key("straße") == "strasse"
    assert name_key("\uff36\uff41\uff53\uff59\uff41") == name_key("vasya")


def test_an_upgraded_board_keys_its_ascii_names_without_case(tmp_path: Path) -> None:
    path = tmp_path / "board.sqlite3"
    migrate(path, tmp_path / "backups", target=BEFORE_NAME_KEYS)
    connection = connect_sync(path)
    try:
        connection.execute(
            "INSERT INTO users (name, password_hash, role, disabled, passkey, feed_token,"
            " created_at, uploaded, downloaded, post_count, invite_quota)"
            " VALUES ('Old.Timer', 'hash', 'user', 0, 'pk', 'feed', 0, 0, 0, 0, 0)"
        )
    finally:
        connection.close()

    migrate(path, tmp_path / "backups")

    connection = connect_sync(path)
    try:
        assert connection.execute("SELECT name_key FROM users").fetchone()[0] == "old.timer"
    finally:
        connection.close()
