"""Joining and leaving groups by their join mode, and leaders answering requests.

Open groups take a member at once; request groups hold a pending request that holds no
rights until a leader or an admin approves it; closed groups take members only from a
leader or an admin. Each change a leader or admin makes is in the moderation log, in
words.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.groups.board import act_as, add_group, post_form, put_in_group, status_in
from tests.helpers import add_member
from tinypier.settings import Settings

Client = TestClient[Litestar]


def test_an_open_group_takes_a_member_who_joins_and_lets_them_leave(
    settings: Settings, client: Client
) -> None:
    group = add_group(settings, "Seeders", "open")
    member = add_member(settings, "alice")
    act_as(client, member)

    joined = post_form(client, f"/groups/{group}/join")
    assert joined.status_code == 303
    assert status_in(settings, group, member) == "member"
    assert "alice" in client.get(f"/groups/{group}").text

    left = post_form(client, f"/groups/{group}/leave")
    assert left.status_code == 303
    assert status_in(settings, group, member) is None


def test_a_request_group_holds_a_request_until_a_leader_approves_it(
    settings: Settings, client: Client
) -> None:
    group = add_group(settings, "Releasers", "request")
    leader, asker = add_member(settings, "lead"), add_member(settings, "asker")
    put_in_group(settings, group, leader, "leader")

    act_as(client, asker)
    assert post_form(client, f"/groups/{group}/join").status_code == 303
    assert status_in(settings, group, asker) == "pending"
    assert "Approve" not in client.get(f"/groups/{group}").text

    act_as(client, leader)
    page = client.get(f"/groups/{group}").text
    assert "asker" in page and "Approve" in page
    approved = post_form(client, f"/groups/{group}/requests/{asker.id}/approve")
    assert approved.status_code == 303
    assert status_in(settings, group, asker) == "member"


def test_a_refused_request_leaves_the_member_outside(settings: Settings, client: Client) -> None:
    group = add_group(settings, "Releasers", "request")
    asker = add_member(settings, "asker")
    put_in_group(settings, group, asker, "pending")
    admin = add_member(settings, "boss", "admin")
    act_as(client, admin)

    refused = post_form(client, f"/groups/{group}/requests/{asker.id}/refuse")

    assert refused.status_code == 303
    assert status_in(settings, group, asker) is None
    log = client.get("/moderation").text
    assert "refused the request of asker to join group" in log


def test_only_leaders_and_admins_answer_requests(settings: Settings, client: Client) -> None:
    group = add_group(settings, "Releasers", "request")
    asker, member = add_member(settings, "asker"), add_member(settings, "plain")
    put_in_group(settings, group, asker, "pending")
    put_in_group(settings, group, member, "member")
    act_as(client, member)

    assert post_form(client, f"/groups/{group}/requests/{asker.id}/approve").status_code == 403
    assert status_in(settings, group, asker) == "pending"


def test_a_closed_group_refuses_a_member_who_joins_and_takes_one_a_leader_adds(
    settings: Settings, client: Client
) -> None:
    group = add_group(settings, "VIP", "closed")
    leader, member = add_member(settings, "lead"), add_member(settings, "guesty")
    put_in_group(settings, group, leader, "leader")

    act_as(client, member)
    assert post_form(client, f"/groups/{group}/join").status_code == 403
    assert status_in(settings, group, member) is None

    act_as(client, leader)
    added = post_form(client, f"/groups/{group}/members", {"name": "guesty"})
    assert added.status_code == 303
    assert status_in(settings, group, member) == "member"


def test_a_leader_names_no_leaders_and_removes_no_leader(
    settings: Settings, client: Client
) -> None:
    group = add_group(settings, "VIP", "closed")
    leader, other = add_member(settings, "lead"), add_member(settings, "colead")
    newcomer = add_member(settings, "newcomer")
    put_in_group(settings, group, leader, "leader")
    put_in_group(settings, group, other, "leader")
    act_as(client, leader)

    promoted = post_form(client, f"/groups/{group}/members", {"name": "newcomer", "leader": "on"})
    assert promoted.status_code == 403
    assert status_in(settings, group, newcomer) is None
    assert post_form(client, f"/groups/{group}/members/{other.id}/remove").status_code == 403
    assert status_in(settings, group, other) == "leader"


def test_adding_an_unknown_name_says_so_and_changes_nothing(
    settings: Settings, client: Client
) -> None:
    group = add_group(settings, "VIP", "closed")
    act_as(client, add_member(settings, "boss", "admin"))

    added = post_form(client, f"/groups/{group}/members", {"name": "nobody here"})

    assert added.status_code == 303
    page = client.get(f"/groups/{group}").text
    assert "There is no active member by that name." in page
    assert "Nobody is in this group yet." in page


def test_admins_create_edit_and_delete_groups_and_the_log_tells_it(
    settings: Settings, client: Client
) -> None:
    act_as(client, add_member(settings, "boss", "admin"))
    token_page = client.get("/admin/groups/new")
    assert token_page.status_code == 200
    created = post_form(
        client,
        "/admin/groups/new",
        {"name": "Uploaders", "description": "Trusted", "join_mode": "request"},
    )
    assert created.status_code == 303
    group = int(created.headers["location"].rsplit("/", 1)[1])
    assert "Trusted" in client.get(f"/groups/{group}").text

    duplicate = post_form(client, "/admin/groups/new", {"name": "uploaders", "join_mode": "open"})
    assert duplicate.status_code == 400
    assert "Another group has that name." in duplicate.text

    renamed = post_form(
        client, f"/admin/groups/{group}/edit", {"name": "Releasers", "join_mode": "closed"}
    )
    assert renamed.status_code == 303
    assert "Releasers" in client.get("/groups").text

    unconfirmed = post_form(client, f"/admin/groups/{group}/delete")
    assert unconfirmed.status_code == 303
    assert client.get(f"/groups/{group}").status_code == 200
    deleted = post_form(client, f"/admin/groups/{group}/delete", {"confirm": "yes"})
    assert deleted.status_code == 303
    assert client.get(f"/groups/{group}").status_code == 404

    log = client.get("/moderation").text
    assert "created group" in log and "edited group" in log
    assert "deleted group" in log and "Releasers" in log


def test_a_group_without_a_name_is_refused_with_a_reason(
    settings: Settings, client: Client
) -> None:
    act_as(client, add_member(settings, "boss", "admin"))

    refused = post_form(client, "/admin/groups/new", {"name": "  ", "join_mode": "open"})

    assert refused.status_code == 400
    assert "The name is empty." in refused.text
    assert "There are no groups yet." in client.get("/groups").text


def test_group_names_and_descriptions_are_shown_as_text(settings: Settings, client: Client) -> None:
    hostile = '<script>alert("group")</script>'
    group = add_group(settings, hostile, "open", description=f"<img src=x onerror=1>{hostile}")
    act_as(client, add_member(settings, "boss", "admin"))
    post_form(client, f"/groups/{group}/members", {"name": "boss"})

    for path in (
        "/groups",
        f"/groups/{group}",
        f"/admin/groups/{group}/edit",
        f"/admin/groups/{group}/rights",
        f"/admin/groups/{group}/delete",
        "/moderation",
    ):
        page = client.get(path).text
        assert hostile not in page, path
        assert "<img src=x" not in page, path
        assert "&lt;script&gt;" in page, path
