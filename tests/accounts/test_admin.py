"""Admins manage members; every change is logged and reaches the tracker."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.accounts.browser import is_guest, query, session_of, submit, use_session
from tests.helpers import Member, add_member, login
from tinypier.settings import Settings

ADMIN_PAGES = ["/admin", "/admin/users"]
CONFIRM = {"confirm": "yes"}


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_send_guests_to_log_in(client: TestClient[Any], path: str) -> None:
    response = client.get(path, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_refuse_a_plain_member(
    client: TestClient[Any], alice: Member, path: str
) -> None:
    login(client, "alice", alice.password)

    response = client.get(path)

    assert response.status_code == 403
    assert "Not allowed" in response.text


def test_a_plain_member_cannot_post_admin_changes(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)

    response = submit(client, "/settings", f"/admin/users/{alice.id}/role", {"role": "admin"})

    assert response.status_code == 403
    assert query(settings, "SELECT role FROM users WHERE id = ?", (alice.id,))[0]["role"] == "user"


def test_the_dashboard_links_to_members_and_forums(client: TestClient[Any], admin: Member) -> None:
    login(client, "root", admin.password)

    page = client.get("/admin").text

    assert 'href="/admin/users"' in page
    assert 'href="/admin/forums"' in page


def test_the_member_list_shows_role_status_and_transfer(
    client: TestClient[Any], settings: Settings, admin: Member, alice: Member
) -> None:
    query(settings, "UPDATE users SET uploaded = ? WHERE id = ?", (3 * 1024**3, alice.id))
    login(client, "root", admin.password)

    page = client.get("/admin/users").text

    assert f'<tr id="user-{alice.id}">' in page
    assert "3.0 GiB" in page
    assert f'href="/admin/users/{alice.id}/disable"' in page


def test_the_member_list_is_paginated(
    client: TestClient[Any], settings: Settings, admin: Member
) -> None:
    query(
        settings,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)"
        " INSERT INTO users (name, password_hash, role, disabled, passkey, feed_token,"
        " created_at, uploaded, downloaded, post_count, invite_quota)"
        " SELECT 'member' || i, 'x', 'user', 0, 'pk' || i, 'ft' || i, 0, 0, 0, 0, 0 FROM n",
    )
    login(client, "root", admin.password)

    first = client.get("/admin/users").text
    second = client.get("/admin/users", params={"page": 2}).text

    assert "Page 1 of 2" in first and ">member49<" in first and ">member50<" not in first
    assert ">member50<" in second and ">member60<" in second


def test_changing_a_role_is_logged_and_reaches_the_tracker(
    client: TestClient[Any],
    settings: Settings,
    admin: Member,
    alice: Member,
    user_changes: list[int],
) -> None:
    login(client, "root", admin.password)

    response = submit(
        client, "/admin/users", f"/admin/users/{alice.id}/role", {"role": "moderator"}
    )

    assert response.status_code == 303
    assert query(settings, "SELECT role FROM users WHERE id = ?", (alice.id,))[0]["role"] == (
        "moderator"
    )
    [entry] = query(settings, "SELECT * FROM moderation_log")
    assert (entry["actor_id"], entry["action"], entry["target_type"], entry["target_id"]) == (
        admin.id,
        "set role",
        "user",
        alice.id,
    )
    assert entry["details"] == "user -> moderator"
    assert user_changes == [alice.id]


def test_an_unknown_role_is_refused(
    client: TestClient[Any], settings: Settings, admin: Member, alice: Member
) -> None:
    login(client, "root", admin.password)

    submit(client, "/admin/users", f"/admin/users/{alice.id}/role", {"role": "guest"})

    assert query(settings, "SELECT role FROM users WHERE id = ?", (alice.id,))[0]["role"] == "user"
    assert query(settings, "SELECT id FROM moderation_log") == []


def test_a_disabled_members_session_stops_working_at_once(
    client: TestClient[Any],
    settings: Settings,
    admin: Member,
    alice: Member,
    user_changes: list[int],
) -> None:
    login(client, "alice", alice.password)
    alices_session = session_of(client)
    assert alices_session
    client.cookies.clear()
    login(client, "root", admin.password)

    response = submit(client, "/admin/users", f"/admin/users/{alice.id}/disable", CONFIRM)

    assert response.status_code == 303
    assert user_changes == [alice.id]
    assert query(settings, "SELECT action FROM moderation_log")[0]["action"] == "disable user"
    use_session(client, alices_session)
    assert is_guest(client)
    assert login(client, "alice", alice.password).status_code == 400


def test_the_session_middleware_ignores_a_disabled_members_session_row(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)

    query(settings, "UPDATE users SET disabled = 1 WHERE id = ?", (alice.id,))

    assert is_guest(client)


def test_an_enabled_member_may_log_in_again(
    client: TestClient[Any], settings: Settings, admin: Member, alice: Member
) -> None:
    login(client, "root", admin.password)
    submit(client, "/admin/users", f"/admin/users/{alice.id}/disable", CONFIRM)

    submit(client, "/admin/users", f"/admin/users/{alice.id}/enable")

    assert query(settings, "SELECT disabled FROM users WHERE id = ?", (alice.id,))[0][0] == 0
    client.cookies.clear()
    assert login(client, "alice", alice.password).status_code == 303


def test_admins_cannot_disable_or_demote_themselves(
    client: TestClient[Any], settings: Settings, admin: Member
) -> None:
    login(client, "root", admin.password)

    disable = submit(client, "/admin/users", f"/admin/users/{admin.id}/disable", CONFIRM)
    assert "cannot disable your own account" in client.get(disable.headers["location"]).text
    demote = submit(client, "/admin/users", f"/admin/users/{admin.id}/role", {"role": "user"})
    assert "cannot take the admin role from yourself" in client.get(demote.headers["location"]).text

    [me] = query(settings, "SELECT role, disabled FROM users WHERE id = ?", (admin.id,))
    assert (me["role"], me["disabled"]) == ("admin", 0)
    assert query(settings, "SELECT id FROM moderation_log") == []


def test_setting_an_invite_quota_is_logged(
    client: TestClient[Any], settings: Settings, admin: Member, alice: Member
) -> None:
    login(client, "root", admin.password)

    submit(client, "/admin/users", f"/admin/users/{alice.id}/invite-quota", {"invite_quota": "7"})
    submit(client, "/admin/users", f"/admin/users/{alice.id}/invite-quota", {"invite_quota": "-1"})

    assert query(settings, "SELECT invite_quota FROM users WHERE id = ?", (alice.id,))[0][0] == 7
    [entry] = query(settings, "SELECT action, details FROM moderation_log")
    assert (entry["action"], entry["details"]) == ("set invite quota", "2 -> 7")


def test_changes_to_a_member_that_does_not_exist_are_404(
    client: TestClient[Any], admin: Member
) -> None:
    login(client, "root", admin.password)

    response = submit(client, "/admin/users", "/admin/users/999/disable")

    assert response.status_code == 404


def test_a_moderator_is_not_an_admin(client: TestClient[Any], settings: Settings) -> None:
    moderator = add_member(settings, "mod", role="moderator")
    login(client, "mod", moderator.password)

    assert client.get("/admin/users").status_code == 403


def test_disabling_a_member_asks_first_and_the_question_changes_nothing(
    client: TestClient[Any], settings: Settings, admin: Member, alice: Member
) -> None:
    login(client, "root", admin.password)

    question = client.get(f"/admin/users/{alice.id}/disable")
    unconfirmed = submit(client, "/admin/users", f"/admin/users/{alice.id}/disable")

    assert question.status_code == 200
    assert "Disable alice?" in question.text
    assert "logged out everywhere" in question.text
    assert f'action="/admin/users/{alice.id}/disable"' in question.text
    assert '<input type="hidden" name="confirm" value="yes">' in question.text
    assert unconfirmed.headers["location"] == f"/admin/users/{alice.id}/disable"
    assert query(settings, "SELECT disabled FROM users WHERE id = ?", (alice.id,))[0][0] == 0
    assert query(settings, "SELECT id FROM moderation_log") == []
