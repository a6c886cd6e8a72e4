"""``tinypier user``: creating and managing members from a shell, for admins and scripts."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from tinypier.accounts.secrets import digest
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings, load_settings

from .runner import run_cli

PASSWORD = "a long enough password\n"


def _settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "board", environ={})


def _sql(settings: Settings, sql: str, *params: object) -> list[sqlite3.Row]:
    """One statement on its own connection (autocommit), as another process would run it."""
    connection = connect_sync(settings.database_path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def _user(settings: Settings, name: str) -> sqlite3.Row:
    [row] = _sql(settings, "SELECT * FROM users WHERE name = ?", name)
    return row


def _create(settings: Settings, name: str, *options: str) -> dict[str, object]:
    result = run_cli(
        settings.data_dir,
        "user",
        "create",
        name,
        "--password-stdin",
        "--json",
        *options,
        stdin=PASSWORD,
    )
    assert result.exit_code == 0, result.output
    created: dict[str, object] = json.loads(result.output)
    return created


def test_create_json_prints_the_member_with_working_credentials(tmp_path: Path) -> None:
    settings = _settings(tmp_path)

    created = _create(settings, "alice", "--role", "admin")

    assert set(created) >= {"id", "name", "role", "passkey", "api_token"}
    assert created["name"] == "alice"
    assert created["role"] == "admin"
    row = _user(settings, "alice")
    assert row["id"] == created["id"]
    assert row["role"] == "admin"
    assert row["passkey"] == created["passkey"]
    token_hashes = _sql(
        settings, "SELECT token_hash FROM api_tokens WHERE user_id = ?", created["id"]
    )
    assert [row[0] for row in token_hashes] == [digest(str(created["api_token"]))]


def test_create_without_json_shows_the_token_once_in_words(tmp_path: Path) -> None:
    settings = _settings(tmp_path)

    result = run_cli(settings.data_dir, "user", "create", "bob", "--password-stdin", stdin=PASSWORD)

    assert result.exit_code == 0, result.output
    assert "created user bob" in result.output
    assert "API token (shown once):" in result.output


def test_a_taken_name_is_refused_whatever_its_case(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _create(settings, "alice")

    result = run_cli(
        settings.data_dir, "user", "create", "ALICE", "--password-stdin", stdin=PASSWORD
    )

    assert result.exit_code != 0
    assert "taken" in result.output
    assert [row["name"] for row in _sql(settings, "SELECT name FROM users")] == ["alice"]


def test_a_short_password_is_refused_and_nobody_is_created(tmp_path: Path) -> None:
    settings = _settings(tmp_path)

    result = run_cli(
        settings.data_dir, "user", "create", "carol", "--password-stdin", stdin="short\n"
    )

    assert result.exit_code != 0
    assert "at least 8 characters" in result.output
    assert not settings.database_path.exists() or not _sql(settings, "SELECT id FROM users")


def test_an_invalid_name_is_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path)

    result = run_cli(
        settings.data_dir, "user", "create", "no spaces", "--password-stdin", stdin=PASSWORD
    )

    assert result.exit_code != 0
    assert "Names are" in result.output


def test_set_role_changes_the_members_role(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _create(settings, "dave")

    result = run_cli(settings.data_dir, "user", "set-role", "dave", "moderator")

    assert result.exit_code == 0, result.output
    assert _user(settings, "dave")["role"] == "moderator"


def test_set_role_of_an_unknown_member_fails_with_a_message(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _create(settings, "dave")

    result = run_cli(settings.data_dir, "user", "set-role", "nobody", "admin")

    assert result.exit_code != 0
    assert "no member named 'nobody'" in result.output


def test_disable_marks_the_member_and_ends_their_sessions_and_tokens(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    created = _create(settings, "erin")
    now = int(time.time())
    _sql(
        settings,
        "INSERT INTO sessions (id, user_id, created_at, expires_at, data)"
        " VALUES (?, ?, ?, ?, '{}')",
        "session-of-erin",
        created["id"],
        now,
        now + 3600,
    )

    result = run_cli(settings.data_dir, "user", "disable", "erin")

    assert result.exit_code == 0, result.output
    assert _user(settings, "erin")["disabled"] == 1
    for table in ("sessions", "api_tokens"):
        assert not _sql(settings, f"SELECT id FROM {table} WHERE user_id = ?", created["id"])


def test_a_new_member_gets_the_invite_quota_saved_on_the_web(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _create(settings, "root", "--role", "admin")
    _sql(
        settings,
        "INSERT INTO site_settings (name, value, changed_at) VALUES ('invite_quota', '7', 0)",
    )

    _create(settings, "newcomer")

    assert _user(settings, "newcomer")["invite_quota"] == 7


def test_create_if_missing_returns_the_existing_member_unchanged(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    created = _create(settings, "alice", "--role", "admin")
    before = dict(_user(settings, "alice"))

    again = _create(settings, "ALICE", "--if-missing")

    assert again == {**created, "api_token": None, "created": False}
    assert dict(_user(settings, "alice")) == before
    assert len(_sql(settings, "SELECT id FROM api_tokens")) == 1


def test_create_if_missing_creates_a_member_who_is_missing(tmp_path: Path) -> None:
    settings = _settings(tmp_path)

    created = _create(settings, "bob", "--if-missing")

    assert created["created"] is True and created["api_token"]
    assert _user(settings, "bob")["id"] == created["id"]


def test_create_if_missing_says_so_in_words(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _create(settings, "alice")

    result = run_cli(
        settings.data_dir,
        "user",
        "create",
        "alice",
        "--if-missing",
        "--password-stdin",
        stdin=PASSWORD,
    )

    assert result.exit_code == 0, result.output
    assert "exists, left unchanged" in result.output


def test_create_accepts_a_cyrillic_name_and_refuses_its_other_case(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _create(settings, "Вася")

    result = run_cli(
        settings.data_dir, "user", "create", "ВАСЯ", "--password-stdin", stdin=PASSWORD
    )

    assert result.exit_code != 0
    assert "taken" in result.output


def test_create_refuses_a_name_that_mixes_alphabets(tmp_path: Path) -> None:
    settings = _settings(tmp_path)

    result = run_cli(
        settings.data_dir, "user", "create", "p\u0430ypal", "--password-stdin", stdin=PASSWORD
    )

    assert result.exit_code != 0
    assert "one alphabet" in result.output
