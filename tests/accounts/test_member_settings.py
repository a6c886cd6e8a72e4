"""A member's settings page: password, passkey, API tokens."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from litestar import Litestar, Request, get
from litestar.testing import TestClient

from tests.accounts.browser import is_guest, query, session_of, submit, use_session
from tests.helpers import Member, add_member, login
from tinypier.accounts.sessions import viewer_for_api_token
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.settings import Settings

NEW_PASSWORD = "a brand new secret"


def resolve_api_token(settings: Settings, token: str) -> Viewer | None:
    async def resolve() -> Viewer | None:
        db = Database(settings.database_path)
        await db.open()
        try:
            return await viewer_for_api_token(db, token)
        finally:
            await db.close()

    return asyncio.run(resolve())


def shown_token(html: str) -> str:
    match = re.search(r"<code class=\"secret\" data-token>([^<]+)</code>", html)
    assert match, "the page shows no new token"
    return match.group(1)


def create_token(client: TestClient[Any], settings: Settings, member: Member) -> tuple[str, int]:
    """Make an API token on the settings page: the token shown and its row id."""
    token = shown_token(submit(client, "/settings", "/settings/tokens", {"name": "t"}).text)
    [row] = query(settings, "SELECT id FROM api_tokens WHERE user_id = ?", (member.id,))
    return token, row["id"]


def test_the_settings_page_shows_passkey_announce_url_and_feed_token(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)
    [user] = query(settings, "SELECT feed_token FROM users WHERE id = ?", (alice.id,))

    page = client.get("/settings").text

    assert f"http://127.0.0.1:8080/announce/{alice.passkey}" in page
    assert user["feed_token"] in page


def test_changing_the_password_needs_the_current_one(
    client: TestClient[Any], alice: Member
) -> None:
    login(client, "alice", alice.password)

    response = submit(
        client,
        "/settings",
        "/settings/password",
        {
            "current_password": "not it",
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )

    assert response.status_code == 400
    assert "current password is not right" in response.text
    submit(client, "/settings", "/logout")
    assert login(client, "alice", alice.password).status_code == 303


def test_a_changed_password_works_the_old_one_not_and_other_sessions_end(
    client: TestClient[Any], alice: Member
) -> None:
    login(client, "alice", alice.password)
    other_device = session_of(client)
    assert other_device
    client.cookies.clear()
    login(client, "alice", alice.password)

    response = submit(
        client,
        "/settings",
        "/settings/password",
        {
            "current_password": alice.password,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )

    assert response.status_code == 303
    assert not is_guest(client)
    use_session(client, other_device)
    assert is_guest(client)
    assert login(client, "alice", alice.password).status_code == 400
    assert login(client, "alice", NEW_PASSWORD).status_code == 303


def test_regenerating_the_passkey_changes_it_and_tells_the_tracker(
    client: TestClient[Any], settings: Settings, alice: Member, user_changes: list[int]
) -> None:
    login(client, "alice", alice.password)

    response = submit(client, "/settings", "/settings/passkey")

    assert response.status_code == 303
    [user] = query(settings, "SELECT passkey FROM users WHERE id = ?", (alice.id,))
    assert re.fullmatch(r"[0-9a-f]{32}", user["passkey"])
    assert user["passkey"] != alice.passkey
    assert user_changes == [alice.id]
    assert user["passkey"] in client.get("/settings").text


def test_a_new_api_token_is_shown_once_and_identifies_its_member(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)

    response = submit(client, "/settings", "/settings/tokens", {"name": "upload script"})

    assert response.status_code == 200
    token = shown_token(response.text)
    later = client.get("/settings").text
    assert "upload script" in later
    assert token not in later
    viewer = resolve_api_token(settings, token)
    assert viewer is not None and (viewer.id, viewer.name) == (alice.id, "alice")
    [row] = query(settings, "SELECT last_used_at FROM api_tokens WHERE user_id = ?", (alice.id,))
    assert row["last_used_at"] is not None


def test_an_api_token_is_not_a_session_cookie(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)
    token, _ = create_token(client, settings, alice)
    session = session_of(client)
    assert session

    use_session(client, token)

    assert is_guest(client)
    assert resolve_api_token(settings, session) is None


def test_under_api_only_the_bearer_token_identifies_the_member(
    app: Litestar, client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    @get("/api/test-whoami", sync_to_thread=False)
    def whoami(request: Request[Any, Any, Any]) -> dict[str, str]:
        return {"name": request.user.name}

    app.register(whoami)
    login(client, "alice", alice.password)
    token, _ = create_token(client, settings, alice)

    with_cookie_only = client.get("/api/test-whoami").json()
    with_bearer = client.get(
        "/api/test-whoami", headers={"Authorization": f"Bearer {token}"}
    ).json()

    assert with_cookie_only == {"name": "guest"}
    assert with_bearer == {"name": "alice"}


def test_a_token_needs_a_name(client: TestClient[Any], settings: Settings, alice: Member) -> None:
    login(client, "alice", alice.password)

    response = submit(client, "/settings", "/settings/tokens", {"name": "  "})

    assert response.status_code == 400
    assert "Give the token a name" in response.text
    assert query(settings, "SELECT id FROM api_tokens") == []


def test_a_revoked_token_stops_working(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)
    token, token_id = create_token(client, settings, alice)

    response = submit(client, "/settings", f"/settings/tokens/{token_id}/revoke")

    assert response.status_code == 303
    assert resolve_api_token(settings, token) is None
    assert "No API tokens" in client.get("/settings").text


def test_nobody_revokes_another_members_token(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)
    token, token_id = create_token(client, settings, alice)
    submit(client, "/settings", "/logout")
    add_member(settings, "mallory")
    login(client, "mallory")

    response = submit(client, "/settings", f"/settings/tokens/{token_id}/revoke")

    assert response.status_code == 404
    assert resolve_api_token(settings, token) is not None


def feed_token_of(settings: Settings, member: Member) -> str:
    [row] = query(settings, "SELECT feed_token FROM users WHERE id = ?", (member.id,))
    token: str = row["feed_token"]
    return token


def feed_status(client: TestClient[Any], token: str) -> int:
    return client.get("/feeds/releases.atom", params={"token": token}).status_code


@pytest.mark.parametrize(
    ("button", "action"),
    [
        ("Make a new feed token", "/settings/feed-token"),
        ("Make a new passkey", "/settings/passkey"),
    ],
)
def test_a_new_feed_token_stops_the_old_feed_url_and_the_new_one_works(
    client: TestClient[Any], settings: Settings, alice: Member, button: str, action: str
) -> None:
    """A leaked feed link shows what its member may read, staff forums included: the
    member can end it with its own button, and a passkey reset ends it too."""
    login(client, "alice", alice.password)
    old = feed_token_of(settings, alice)
    assert feed_status(client, old) == 200
    page = client.get("/settings").text
    assert button in page
    assert f'action="{action}"' in page

    response = submit(client, "/settings", action)

    assert response.status_code == 303
    new = feed_token_of(settings, alice)
    assert new != old
    assert feed_status(client, old) == 404
    assert feed_status(client, new) == 200
    assert new in client.get("/settings").text


def test_the_feed_token_cannot_be_renewed_without_the_csrf_token(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)
    old = feed_token_of(settings, alice)

    response = client.post("/settings/feed-token", follow_redirects=False)

    assert response.status_code == 403
    assert feed_token_of(settings, alice) == old
