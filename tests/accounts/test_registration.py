"""Registration honours the board's mode: open, invite or closed."""

from __future__ import annotations

import time
from typing import Any

from litestar.testing import TestClient

from tests.accounts.browser import is_guest, query, session_of, submit
from tests.accounts.conftest import board_with
from tests.helpers import Member
from tinypier.settings import Settings

PASSWORD = "a long enough secret"


def register(client: TestClient[Any], name: str, **fields: str) -> Any:
    return submit(
        client,
        "/register",
        "/register",
        {"name": name, "password": PASSWORD, "password_confirm": PASSWORD, **fields},
    )


def assert_refused(response: Any, settings: Settings, name: str, reason: str) -> None:
    assert response.status_code == 400
    assert reason in response.text
    assert query(settings, "SELECT id FROM users WHERE name = ?", (name,)) == []


def add_invite(settings: Settings, created_by: int, code: str, *, expires_in: int) -> None:
    now = int(time.time())
    query(
        settings,
        "INSERT INTO invites (code, created_by, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (code, created_by, now, now + expires_in),
    )


@board_with(registration_mode="open", invite_quota=3)
def test_on_an_open_board_anyone_registers_and_is_logged_in(
    client: TestClient[Any], settings: Settings
) -> None:
    response = register(client, "newcomer")

    assert response.status_code == 303
    assert session_of(client)
    assert "Welcome to TinyPier, newcomer!" in client.get(response.headers["location"]).text
    [user] = query(
        settings, "SELECT role, invite_quota, disabled FROM users WHERE name = ?", ("newcomer",)
    )
    assert (user["role"], user["invite_quota"], user["disabled"]) == ("user", 3, 0)


def test_the_new_member_can_log_in_with_the_chosen_password(client: TestClient[Any]) -> None:
    register(client, "newcomer")
    submit(client, "/settings", "/logout")

    response = submit(client, "/login", "/login", {"name": "newcomer", "password": PASSWORD})

    assert response.status_code == 303
    assert not is_guest(client)


def test_names_follow_the_name_rules(client: TestClient[Any], settings: Settings) -> None:
    response = register(client, "no spaces allowed")

    assert_refused(response, settings, "no spaces allowed", "Names are 2 to 32 letters")


def test_passwords_follow_the_password_rules_and_must_be_typed_twice(
    client: TestClient[Any], settings: Settings
) -> None:
    too_short = register(client, "newcomer", password="short", password_confirm="short")
    mistyped = register(client, "newcomer", password_confirm=PASSWORD + "!")

    assert "at least 8 characters" in too_short.text
    assert "The two passwords differ." in mistyped.text
    assert query(settings, "SELECT id FROM users") == []


def test_a_taken_name_is_refused_whatever_its_case(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    response = register(client, "ALICE")

    assert response.status_code == 400
    assert "That name is taken" in response.text
    assert len(query(settings, "SELECT id FROM users")) == 1


@board_with(registration_mode="closed")
def test_a_closed_board_says_so_and_refuses_registrations(
    client: TestClient[Any], settings: Settings
) -> None:
    page = client.get("/register")
    assert "Registration is closed" in page.text
    assert 'action="/register"' not in page.text

    response = submit(
        client,
        "/login",
        "/register",
        {"name": "newcomer", "password": PASSWORD, "password_confirm": PASSWORD},
    )

    assert response.status_code == 403
    assert "Registration is closed." in response.text
    assert query(settings, "SELECT id FROM users") == []


@board_with(registration_mode="invite")
def test_an_invite_board_refuses_registration_without_a_code(
    client: TestClient[Any], settings: Settings
) -> None:
    response = register(client, "newcomer")

    assert_refused(response, settings, "newcomer", "needs an invite code")


@board_with(registration_mode="invite")
def test_a_valid_invite_lets_one_person_in_and_is_marked_used_by_them(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    add_invite(settings, alice.id, "welcome-code", expires_in=3600)

    response = register(client, "newcomer", invite_code="welcome-code")

    assert response.status_code == 303
    [newcomer] = query(settings, "SELECT id, invited_by FROM users WHERE name = 'newcomer'")
    assert newcomer["invited_by"] == alice.id
    [invite] = query(settings, "SELECT used_by, used_at FROM invites WHERE code = 'welcome-code'")
    assert invite["used_by"] == newcomer["id"]
    assert invite["used_at"] is not None


@board_with(registration_mode="invite")
def test_a_used_invite_is_refused(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    add_invite(settings, alice.id, "welcome-code", expires_in=3600)
    register(client, "first", invite_code="welcome-code")
    submit(client, "/settings", "/logout")

    response = register(client, "second", invite_code="welcome-code")

    assert_refused(response, settings, "second", "not valid")


@board_with(registration_mode="invite")
def test_an_expired_invite_is_refused(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    add_invite(settings, alice.id, "stale-code", expires_in=-1)

    response = register(client, "newcomer", invite_code="stale-code")

    assert_refused(response, settings, "newcomer", "not valid")


@board_with(registration_mode="invite")
def test_a_failed_registration_leaves_the_invite_unused(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    add_invite(settings, alice.id, "welcome-code", expires_in=3600)

    register(client, "alice", invite_code="welcome-code")

    [invite] = query(settings, "SELECT used_by FROM invites WHERE code = 'welcome-code'")
    assert invite["used_by"] is None


@board_with(registration_mode="invite")
def test_an_invite_link_fills_in_the_code(client: TestClient[Any]) -> None:
    page = client.get("/register", params={"code": "from-a-link"})

    assert 'value="from-a-link"' in page.text
