"""Grants to write and moderate: start topics, reply, upload releases, moderate one forum.

The forums here let only moderators write, so a member of the user role writes there
through a group's grant alone; a ``moderate`` grant makes a member a moderator of that
forum and of no other.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.forum.board import add_topic, on_board, sql
from tests.groups.board import act_as, add_group, grant, post_form, put_in_group
from tests.helpers import Member, add_member
from tests.torrents.releases import post_release_page, shared_torrent
from tinypier.forum.queries import create_forum, ensure_category
from tinypier.settings import Settings

Client = TestClient[Any]


def staff_written_forum(settings: Settings, name: str) -> int:
    """Everyone views it; only moderators start topics, reply and post releases."""

    async def make(db: Any) -> int:
        category = await ensure_category(db, "General")
        forum_id: int = await create_forum(
            db, category, name, allows_releases=True, topic_role="moderator",
            reply_role="moderator",
        )  # fmt: skip
        return forum_id

    forum: int = on_board(settings, make)
    return forum


def member_granted(settings: Settings, forum_id: int, *rights: str) -> Member:
    member = add_member(settings, "grantee")
    if rights:
        group = add_group(settings, "Writers")
        put_in_group(settings, group, member)
        grant(settings, group, forum_id, *rights)
    return member


@pytest.mark.parametrize("granted", [True, False])
def test_a_post_grant_lets_a_member_start_topics(
    settings: Settings, client: Client, granted: bool
) -> None:
    forum = staff_written_forum(settings, "Announcements")
    act_as(client, member_granted(settings, forum, *(["post"] if granted else [])))

    form = client.get(f"/forums/{forum}/new")
    assert form.status_code == (200 if granted else 403)
    posted = post_form(
        client, f"/forums/{forum}/new", {"title": "By grant", "body": "Written by a group member."}
    )
    assert posted.status_code == (303 if granted else 403)
    topics = sql(settings, "SELECT COUNT(*) FROM topics WHERE forum_id = ?", (forum,))[0][0]
    assert topics == (1 if granted else 0)


@pytest.mark.parametrize("granted", [True, False])
def test_a_reply_grant_lets_a_member_reply(
    settings: Settings, client: Client, granted: bool
) -> None:
    forum = staff_written_forum(settings, "Announcements")
    staff = add_member(settings, "staff", "moderator")
    topic = add_topic(settings, forum, staff, "News", "The news.")
    act_as(client, member_granted(settings, forum, *(["reply"] if granted else [])))

    replied = post_form(client, f"/topics/{topic.topic_id}/reply", {"body": "Thanks for it."})

    assert replied.status_code == (303 if granted else 403)
    posts = sql(settings, "SELECT COUNT(*) FROM posts WHERE topic_id = ?", (topic.topic_id,))
    assert posts[0][0] == (2 if granted else 1)


@pytest.mark.parametrize("granted", [True, False])
def test_an_upload_grant_lets_a_member_post_releases(
    settings: Settings, client: Client, granted: bool
) -> None:
    forum = staff_written_forum(settings, "Releases")
    act_as(client, member_granted(settings, forum, *(["upload"] if granted else [])))

    if granted:
        posted = post_release_page(client, forum, shared_torrent("v1-mktorrent-single.torrent"))
        assert posted.status_code == 303, posted.text
    else:
        assert client.get(f"/forums/{forum}/releases/new").status_code == 403
    releases = sql(settings, "SELECT COUNT(*) FROM torrents WHERE forum_id = ?", (forum,))
    assert releases[0][0] == (1 if granted else 0)


def test_a_moderate_grant_moderates_that_forum_and_no_other(
    settings: Settings, client: Client
) -> None:
    theirs = staff_written_forum(settings, "Theirs")
    other = staff_written_forum(settings, "Other")
    staff = add_member(settings, "staff", "moderator")
    in_theirs = add_topic(settings, theirs, staff, "Here", "A topic here.")
    in_other = add_topic(settings, other, staff, "There", "A topic there.")
    act_as(client, member_granted(settings, theirs, "moderate"))

    assert post_form(client, f"/topics/{in_theirs.topic_id}/lock").status_code == 303
    assert post_form(client, f"/topics/{in_other.topic_id}/lock").status_code == 403
    moved = post_form(client, f"/topics/{in_theirs.topic_id}/move", {"forum_id": str(other)})
    assert moved.status_code == 403, "nor into a forum they do not moderate"
    locked = dict(sql(settings, "SELECT id, locked FROM topics"))
    assert locked == {in_theirs.topic_id: 1, in_other.topic_id: 0}
    assert "locked topic" in client.get("/moderation").text
    assert 'href="/moderation"' in client.get("/").text, "the header leads them to the log"


def test_without_a_moderate_grant_a_member_reaches_no_moderation_route(
    settings: Settings, client: Client
) -> None:
    forum = staff_written_forum(settings, "Theirs")
    staff = add_member(settings, "staff", "moderator")
    topic = add_topic(settings, forum, staff, "Here", "A topic here.")
    act_as(client, member_granted(settings, forum, "post", "reply"))

    assert post_form(client, f"/topics/{topic.topic_id}/lock").status_code == 403
    assert client.get("/moderation").status_code == 403
    assert 'href="/moderation"' not in client.get("/").text
