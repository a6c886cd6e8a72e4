"""Logging in and out through the real forms."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.accounts.browser import is_guest, query, session_of, submit, use_session
from tests.accounts.conftest import board_with
from tests.helpers import Member, add_member, csrf_token, login
from tinypier.accounts.sessions import SESSION_COOKIE
from tinypier.settings import Settings


def test_a_browser_style_form_login_sets_the_session_cookie_and_greets_the_member(
    client: TestClient[Any], alice: Member
) -> None:
    response = login(client, "alice", alice.password)

    assert response.status_code == 303
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Max-Age=2592000" in cookie
    assert "Secure" not in cookie
    page = client.get("/settings")
    assert page.status_code == 200
    assert ">alice</a>" in page.text


@board_with(base_url="https://board.example", session_days=2)
def test_the_session_cookie_is_secure_on_an_https_board(app: Litestar, alice: Member) -> None:
    with TestClient(app, base_url="https://board.example") as browser:
        response = login(browser, "alice", alice.password)

    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "Secure" in cookie
    assert "Max-Age=172800" in cookie


def test_a_login_post_without_the_csrf_token_is_refused(
    client: TestClient[Any], alice: Member
) -> None:
    client.get("/login")

    response = client.post("/login", data={"name": "alice", "password": alice.password})

    assert response.status_code == 403
    assert session_of(client) is None


def test_wrong_password_and_unknown_name_get_the_identical_answer(
    client: TestClient[Any], alice: Member
) -> None:
    wrong_password = login(client, "alice", "not her password")
    unknown_name = login(client, "nobody", "not her password")

    assert wrong_password.status_code == unknown_name.status_code == 400
    assert "Wrong name or password." in wrong_password.text
    assert _without_tokens(wrong_password.text) == _without_tokens(
        unknown_name.text.replace("nobody", "alice")
    )
    assert session_of(client) is None


def test_a_disabled_account_gets_the_same_message_as_a_wrong_password(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    query(settings, "UPDATE users SET disabled = 1 WHERE id = ?", (alice.id,))

    response = login(client, "alice", alice.password)

    assert response.status_code == 400
    assert "Wrong name or password." in response.text
    assert is_guest(client)


def test_every_login_gets_a_new_session_id_and_the_old_one_is_gone(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)
    first = session_of(client)

    login(client, "alice", alice.password)
    second = session_of(client)

    assert first and second and first != second
    assert len(query(settings, "SELECT id FROM sessions WHERE user_id = ?", (alice.id,))) == 1
    use_session(client, first)
    assert is_guest(client)


def test_a_session_id_set_before_login_is_not_the_one_used_after(
    client: TestClient[Any], alice: Member
) -> None:
    use_session(client, "planted-by-an-attacker")

    login(client, "alice", alice.password)

    assert session_of(client) not in (None, "planted-by-an-attacker")


def test_logout_ends_the_session_on_the_server(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)
    old_cookie = session_of(client)
    assert old_cookie

    response = submit(client, "/settings", "/logout")

    assert response.status_code == 303
    assert query(settings, "SELECT id FROM sessions WHERE user_id = ?", (alice.id,)) == []
    use_session(client, old_cookie)
    assert is_guest(client)


def log_in_via(client: TestClient[Any], member: Member, next_page: str) -> Any:
    """Follow a login link that carries ``next``, as a browser sent there by a guard would."""
    page = client.get("/login", params={"next": next_page})
    return client.post(
        "/login",
        data={
            "_csrf_token": csrf_token(page.text),
            "name": member.name,
            "password": member.password,
            "next": next_page,
        },
        follow_redirects=False,
    )


def test_the_login_page_sends_the_member_on_to_a_local_next_page(
    client: TestClient[Any], alice: Member
) -> None:
    response = log_in_via(client, alice, "/invites?tab=mine")

    assert response.headers["location"] == "/invites?tab=mine"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "evil.example",
        "/\t/evil.example",
    ],
)
def test_a_next_page_on_another_site_is_ignored(
    client: TestClient[Any], alice: Member, target: str
) -> None:
    assert "evil.example" not in client.get("/login", params={"next": target}).text

    response = log_in_via(client, alice, target)

    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_a_guest_asking_for_a_member_page_is_sent_to_log_in_and_back(
    client: TestClient[Any], settings: Settings
) -> None:
    add_member(settings, "bob")

    response = client.get("/settings", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/settings"


def _without_tokens(html: str) -> str:
    """The page minus its CSRF token, which differs from one response to the next."""
    token = csrf_token(html)
    return html.replace(token, "")
