"""Spending points and adjusting them: members exchange points for upload credit or
invites at the admins' prices, admins grant and take with a reason, and every change is
a ledger line the member (and only they and admins) can read."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.bonus.seeding import GIB, ledger_matches_balances
from tests.forum.board import sql
from tests.helpers import Member, add_member, csrf_token, login
from tests.torrents.releases import api_token, bearer
from tinypier.settings import Settings

Client = TestClient[Litestar]


def figures(settings: Settings, member: Member) -> tuple[int, int, int]:
    row = sql(settings, "SELECT bonus_points, uploaded, invite_quota FROM users WHERE id = ?",
              (member.id,))[0]  # fmt: skip
    return (row[0], row[1], row[2])


def post_form(client: Client, page: str, action: str, data: dict[str, str]) -> Any:
    token = csrf_token(client.get(page).text)
    return client.post(action, data={"_csrf_token": token, **data}, follow_redirects=True)


def adjust(client: Client, member: Member, data: dict[str, str]) -> Any:
    """An admin's grant or take, posted from the member's ledger page."""
    return post_form(
        client, f"/members/{member.id}/ledger", f"/admin/users/{member.id}/points", data
    )


def grant(client: Client, member: Member, points: int, reason: str = "welcome gift") -> Any:
    return adjust(client, member, {"direction": "grant", "points": str(points), "reason": reason})


@pytest.fixture
def admin(client: Client, settings: Settings) -> Member:
    member = add_member(settings, "boss", "admin")
    return member


@pytest.fixture
def seeder(settings: Settings) -> Member:
    return add_member(settings, "seeder")


def rich(client: Client, admin: Member, seeder: Member, points: int) -> None:
    """The seeder holds ``points``, granted by the admin; the client is the seeder's."""
    login(client, admin.name)
    assert grant(client, seeder, points).status_code == 200
    client.cookies.clear()
    login(client, seeder.name)


def test_points_buy_upload_credit_at_the_admins_price(
    client: Client, settings: Settings, admin: Member, seeder: Member
) -> None:
    rich(client, admin, seeder, 250)

    page = post_form(client, "/bonus", "/bonus/exchange", {"offer": "upload", "amount": "2"})

    assert "You spent 200 points on 2 GiB of upload credit." in page.text
    assert figures(settings, seeder) == (50, 2 * GIB, 2)
    assert "Points exchanged for upload credit" in client.get("/bonus").text
    assert ledger_matches_balances(settings)


def test_points_buy_invites(
    client: Client, settings: Settings, admin: Member, seeder: Member
) -> None:
    rich(client, admin, seeder, 2000)

    post_form(client, "/bonus", "/bonus/exchange", {"offer": "invites", "amount": "2"})

    assert figures(settings, seeder) == (0, 0, 2 + 2)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"offer": "upload", "amount": "3"}, "You need 300 points for that; nothing was changed."),
        ({"offer": "invites", "amount": "1"}, "You need 1000 points for that"),
        ({"offer": "upload", "amount": "0"}, "Enter a number from 1 to 10000."),
        ({"offer": "upload", "amount": "99999999"}, "Enter a number from 1 to 10000."),
        ({"offer": "upload", "amount": "-1"}, "Enter a number from 1 to 10000."),
        ({"offer": "gold", "amount": "1"}, "This board does not offer that exchange."),
    ],
)
def test_an_exchange_without_enough_points_or_with_bad_input_changes_nothing(
    client: Client,
    settings: Settings,
    admin: Member,
    seeder: Member,
    form: dict[str, str],
    message: str,
) -> None:
    rich(client, admin, seeder, 250)
    before = figures(settings, seeder), sql(settings, "SELECT COUNT(*) FROM member_ledger")

    page = post_form(client, "/bonus", "/bonus/exchange", form)

    assert message in page.text
    assert (
        figures(settings, seeder),
        sql(settings, "SELECT COUNT(*) FROM member_ledger"),
    ) == before


def test_an_exchange_the_admins_priced_at_zero_is_not_offered(
    client: Client, settings: Settings, admin: Member, seeder: Member
) -> None:
    rich(client, admin, seeder, 250)
    client.cookies.clear()
    login(client, admin.name)
    post_form(client, "/admin/settings", "/admin/settings",
              {"name": "bonus_upload_price", "value": "0"})  # fmt: skip
    client.cookies.clear()
    login(client, seeder.name)

    assert 'value="upload"' not in client.get("/bonus").text
    page = post_form(client, "/bonus", "/bonus/exchange", {"offer": "upload", "amount": "1"})

    assert "This board does not offer that exchange." in page.text
    assert figures(settings, seeder)[0] == 250


def test_admins_grant_and_take_points_with_a_reason_the_member_reads(
    client: Client, settings: Settings, admin: Member, seeder: Member
) -> None:
    login(client, admin.name)
    grant(client, seeder, 120, "contest winner")
    taken = adjust(
        client, seeder, {"direction": "take", "points": "20", "reason": "duplicate prize"}
    )
    assert "Took 20 points from seeder." in taken.text
    too_much = adjust(client, seeder, {"direction": "take", "points": "101", "reason": "all of it"})
    assert "seeder has only 100 points; nothing was changed." in too_much.text
    no_reason = adjust(client, seeder, {"direction": "grant", "points": "5", "reason": "  "})
    assert "Give a reason of 1 to 300 characters." in no_reason.text

    assert figures(settings, seeder)[0] == 100
    client.cookies.clear()
    login(client, seeder.name)
    own = client.get("/bonus").text
    assert "contest winner" in own and "duplicate prize" in own and "all of it" not in own
    rows = sql(settings, "SELECT kind, points, note, actor_id FROM member_ledger ORDER BY id")
    assert [tuple(row) for row in rows] == [
        ("grant", 120, "contest winner", admin.id),
        ("take", -20, "duplicate prize", admin.id),
    ]
    assert ledger_matches_balances(settings)


def test_a_ledger_is_read_by_its_member_and_admins_only(
    client: Client, settings: Settings, admin: Member, seeder: Member
) -> None:
    other = add_member(settings, "other")
    login(client, admin.name)
    grant(client, seeder, 5, "secret reason")
    assert "secret reason" in client.get(f"/members/{seeder.id}/ledger").text

    client.cookies.clear()
    login(client, other.name)
    refused = client.get(f"/members/{seeder.id}/ledger")
    profile = client.get(f"/members/{seeder.id}").text

    assert refused.status_code == 403 and "secret reason" not in refused.text
    assert f"/members/{seeder.id}/ledger" not in profile, "no link to a ledger they cannot read"


def test_the_profile_and_the_api_show_the_balance(
    client: Client, settings: Settings, admin: Member, seeder: Member
) -> None:
    rich(client, admin, seeder, 1234)

    profile = client.get(f"/members/{seeder.id}").text
    me = client.get("/api/me", headers=bearer(api_token(settings, seeder))).json()

    assert 'class="bonus-points"><a href="/bonus">1,234</a>' in profile
    assert me["bonus_points"] == 1234


def test_the_exchange_credits_upload_the_tracker_reads_at_once(
    client: Client, settings: Settings, admin: Member, seeder: Member, app: Litestar
) -> None:
    forgotten: list[int] = []
    app.state.changes.on_user_changed(forgotten.append)
    rich(client, admin, seeder, 100)

    post_form(client, "/bonus", "/bonus/exchange", {"offer": "upload", "amount": "1"})

    assert seeder.id in forgotten
