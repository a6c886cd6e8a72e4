"""The layout around every page: navigation, flash messages, error pages."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, get
from litestar.testing import TestClient

from tests.accounts.browser import submit
from tests.helpers import Member, login


def test_a_missing_page_is_a_404_inside_the_layout(client: TestClient[Any]) -> None:
    response = client.get("/no/such/page")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<nav class="site-nav"' in response.text
    assert "404 · Not found" in response.text


def test_a_missing_api_path_is_a_json_404(client: TestClient[Any]) -> None:
    response = client.get("/api/no/such/thing")

    assert response.status_code == 404
    assert response.json()["status_code"] == 404


def test_a_crash_is_a_500_page_inside_the_layout_that_hides_the_details(
    app: Litestar, client: TestClient[Any]
) -> None:
    @get("/test-crash", sync_to_thread=False)
    def crash() -> None:
        raise RuntimeError("secret internals")

    app.register(crash)

    response = client.get("/test-crash")

    assert response.status_code == 500
    assert '<nav class="site-nav"' in response.text
    assert "500 · Something went wrong" in response.text
    assert "secret internals" not in response.text


def test_a_guest_posting_to_a_member_form_gets_a_401_page_with_a_login_link(
    client: TestClient[Any],
) -> None:
    response = submit(client, "/login", "/settings/passkey")

    assert response.status_code == 401
    assert 'href="/login"' in response.text


def test_navigation_shows_a_guest_how_to_log_in_and_register(client: TestClient[Any]) -> None:
    page = client.get("/login").text

    assert 'href="/login"' in page
    assert 'href="/register"' in page
    assert 'action="/logout"' not in page


def test_navigation_shows_a_member_their_settings_and_log_out(
    client: TestClient[Any], alice: Member
) -> None:
    login(client, "alice", alice.password)

    page = client.get("/settings").text

    assert f'href="/members/{alice.id}">alice</a>' in page
    assert 'action="/logout"' in page
    assert 'href="/admin"' not in page


def test_a_flash_message_is_shown_once(client: TestClient[Any], alice: Member) -> None:
    response = login(client, "alice", alice.password)

    first = client.get("/settings").text
    second = client.get("/settings").text

    assert response.status_code == 303
    assert "Welcome back, alice." in first
    assert "Welcome back, alice." not in second
