"""Members invite within their quota; admins without limit; codes expire after a week."""

from __future__ import annotations

import time
from typing import Any

from litestar.testing import TestClient

from tests.accounts.browser import query, submit
from tests.helpers import Member, login
from tinypier.settings import Settings

WEEK = 7 * 86400


def test_invites_need_a_member(client: TestClient[Any]) -> None:
    response = client.get("/invites", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/invites"


def test_a_member_creates_an_invite_that_expires_in_seven_days(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)

    response = submit(client, "/invites", "/invites")

    assert response.status_code == 303
    [invite] = query(settings, "SELECT code, created_at, expires_at FROM invites")
    assert invite["expires_at"] - invite["created_at"] == WEEK
    assert invite["code"] in client.get("/invites").text


def test_a_member_may_not_go_over_the_quota(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    login(client, "alice", alice.password)
    for _ in range(2):
        submit(client, "/invites", "/invites")

    response = submit(client, "/invites", "/invites")

    assert "You have no invites left." in client.get(response.headers["location"]).text
    assert len(query(settings, "SELECT id FROM invites")) == 2


def test_used_invites_keep_counting_and_expired_unused_ones_give_their_place_back(
    client: TestClient[Any], settings: Settings, alice: Member
) -> None:
    now = int(time.time())
    query(
        settings,
        "INSERT INTO invites (code, created_by, created_at, expires_at, used_by, used_at)"
        " VALUES ('used-long-ago', ?, ?, ?, ?, ?), ('went-stale', ?, ?, ?, NULL, NULL)",
        (alice.id, now - 2 * WEEK, now - WEEK, alice.id, now - WEEK,
         alice.id, now - 2 * WEEK, now - WEEK),
    )  # fmt: skip
    login(client, "alice", alice.password)
    assert "You may create 1 more invite." in client.get("/invites").text

    submit(client, "/invites", "/invites")
    submit(client, "/invites", "/invites")

    assert len(query(settings, "SELECT id FROM invites WHERE created_by = ?", (alice.id,))) == 3


def test_admins_invite_without_limit(
    client: TestClient[Any], settings: Settings, admin: Member
) -> None:
    login(client, "root", admin.password)

    for _ in range(4):
        submit(client, "/invites", "/invites")

    assert len(query(settings, "SELECT id FROM invites")) == 4


def test_the_invites_page_shows_who_used_a_code(
    client: TestClient[Any], settings: Settings, alice: Member, admin: Member
) -> None:
    now = int(time.time())
    query(
        settings,
        "INSERT INTO invites (code, created_by, created_at, expires_at, used_by, used_at)"
        " VALUES ('taken-code', ?, ?, ?, ?, ?)",
        (admin.id, now, now + WEEK, alice.id, now),
    )
    login(client, "root", admin.password)

    page = client.get("/invites").text

    assert "taken-code" in page
    assert f'<a href="/members/{alice.id}">alice</a>' in page
