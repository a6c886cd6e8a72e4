"""Members cannot flood the board: one post per ``post_interval_seconds``, at most
``posts_per_hour`` an hour, for topics, replies and releases, on pages and the API.

Before, a script posted 1,759 replies in four seconds. A refused post gets the form back
with its text and a message saying how long to wait (429), or a JSON 429 from the API,
and changes nothing. Moderators and admins are exempt.
"""

from __future__ import annotations

import pytest
from litestar import Litestar

from tests.forum.conftest import Board, Client, log_in, seed_topic, submit
from tests.helpers import FakeClock, add_member
from tests.torrents.releases import (
    api_token,
    post_release_api,
    post_release_page,
    release_forum,
    row_counts,
    shared_torrent,
    signed_in_member,
)
from tinypier.accounts.rate_limit import AttemptLimiter
from tinypier.forum.flood import PREVIEW_STATE_KEY, STATE_KEY, PostLimiter
from tinypier.settings import Settings


def test_a_second_post_within_the_interval_is_refused_with_the_wait() -> None:
    clock = FakeClock()
    limiter = PostLimiter(interval=5, per_hour=60, clock=clock)

    assert limiter.admit(7) is None
    clock.now += 2
    assert limiter.admit(7) == "You are posting too fast. Wait 3 seconds before posting again."
    assert limiter.admit(8) is None, "each member has their own allowance"
    clock.now += 3
    assert limiter.admit(7) is None


def test_the_hourly_cap_counts_a_rolling_hour() -> None:
    clock = FakeClock()
    limiter = PostLimiter(interval=1, per_hour=3, clock=clock)
    for _ in range(3):
        assert limiter.admit(7) is None
        clock.now += 10

    refusal = limiter.admit(7)

    assert refusal is not None
    assert refusal.startswith("You have written 3 posts in the last hour")
    assert refusal.endswith("Wait 3570 seconds before posting again.")
    clock.now += 3570
    assert limiter.admit(7) is None


def test_an_interval_of_zero_leaves_only_the_hourly_cap() -> None:
    limiter = PostLimiter(interval=0, per_hour=2, clock=FakeClock())

    assert [limiter.admit(7) is None for _ in range(3)] == [True, True, False]


def test_a_refused_post_is_not_counted_and_a_given_back_one_is_forgotten() -> None:
    clock = FakeClock()
    limiter = PostLimiter(interval=5, per_hour=2, clock=clock)
    assert limiter.admit(7) is None
    limiter.give_back(7)

    assert limiter.admit(7) is None
    assert limiter.admit(7) is not None
    clock.now += 5
    assert limiter.admit(7) is None, "the refused attempt did not count towards the cap"


def reply(client: Client, topic_id: int, body: str) -> tuple[int, str]:
    page = f"/topics/{topic_id}"
    response = submit(client, page, f"{page}/reply", {"body": body})
    return response.status_code, response.text


@pytest.mark.flood_control
def test_a_reply_too_soon_gets_the_form_back_with_its_text_and_saves_nothing(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Busy")
    log_in(client, board.other_user)
    assert reply(client, topic.topic_id, "First")[0] == 303
    posts_before = board.value("SELECT COUNT(*) FROM posts")

    status, page = reply(client, topic.topic_id, "Second, [b]kept[/b]")

    assert status == 429
    assert "You are posting too fast. Wait 5 seconds before posting again." in page
    assert "Second, [b]kept[/b]" in page
    assert board.value("SELECT COUNT(*) FROM posts") == posts_before
    assert board.post_count(board.other_user) == 1


@pytest.mark.flood_control
def test_new_topics_and_replies_share_one_allowance(client: Client, board: Board) -> None:
    log_in(client, board.user)
    form = f"/forums/{board.public_forum}/new"
    first = submit(client, form, form, {"title": "One", "body": "Hello"})
    assert first.status_code == 303
    topic_id = int(first.headers["location"].rsplit("/", 1)[1])

    second = submit(client, form, form, {"title": "Two", "body": "Again"})

    assert second.status_code == 429
    assert "posting too fast" in second.text
    assert reply(client, topic_id, "And a reply")[0] == 429
    assert board.counters(board.public_forum)[:2] == (1, 1)


@pytest.mark.flood_control
def test_the_hourly_cap_applies_through_the_pages(
    app: Litestar, client: Client, board: Board
) -> None:
    clock = FakeClock()
    app.state[STATE_KEY] = PostLimiter(interval=1, per_hour=3, clock=clock)
    topic = seed_topic(board.settings, board.public_forum, board.user, "Chatty")
    log_in(client, board.other_user)
    for number in range(3):
        assert reply(client, topic.topic_id, f"Reply {number}")[0] == 303
        clock.now += 2

    status, page = reply(client, topic.topic_id, "One too many")

    assert status == 429
    assert "You have written 3 posts in the last hour" in page


def save_site_setting(client: Client, board: Board, name: str, value: str) -> None:
    log_in(client, board.admin)
    page = "/admin/settings"
    assert submit(client, page, page, {"name": name, "value": value}).status_code == 303


@pytest.mark.flood_control
def test_intervals_an_admin_changes_on_the_web_apply_to_the_next_post(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Busy")
    save_site_setting(client, board, "post_interval_seconds", "0")
    log_in(client, board.other_user)
    assert [reply(client, topic.topic_id, f"Quick {n}")[0] for n in range(2)] == [303, 303]

    save_site_setting(client, board, "posts_per_hour", "2")
    log_in(client, board.other_user)
    status, page = reply(client, topic.topic_id, "One too many")

    assert status == 429
    assert "You have written 2 posts in the last hour" in page


@pytest.mark.flood_control
@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_and_admins_are_not_limited(client: Client, board: Board, role: str) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Cleanup")
    log_in(client, board.moderator if role == "moderator" else board.admin)

    statuses = [reply(client, topic.topic_id, f"Notice {number}")[0] for number in range(4)]

    assert statuses == [303] * 4


@pytest.mark.flood_control
def test_a_release_too_soon_is_refused_on_the_page_with_its_text_kept(
    client: Client, settings: Settings
) -> None:
    forum = release_forum(settings)
    signed_in_member(client, settings, "uploader")
    first = post_release_page(client, forum, shared_torrent("v1-libtorrent-single.torrent"))
    assert first.status_code == 303
    counts = row_counts(settings)

    second = post_release_page(
        client,
        forum,
        shared_torrent("v1-mktorrent-single.torrent"),
        description="A second description",
    )

    assert second.status_code == 429
    assert "posting too fast" in second.text
    assert "A second description" in second.text
    assert row_counts(settings) == counts


@pytest.mark.flood_control
def test_a_refused_release_does_not_use_up_the_allowance(
    client: Client, settings: Settings
) -> None:
    forum = release_forum(settings)
    signed_in_member(client, settings, "uploader")

    invalid = post_release_page(client, forum, b"not a torrent")
    valid = post_release_page(client, forum, shared_torrent("v1-libtorrent-single.torrent"))

    assert invalid.status_code == 400
    assert valid.status_code == 303


@pytest.mark.flood_control
def test_the_api_answers_429_and_saves_nothing(client: Client, settings: Settings) -> None:
    forum = release_forum(settings)
    token = api_token(settings, add_member(settings, "script"))
    first = post_release_api(client, token, forum, shared_torrent("v1-libtorrent-single.torrent"))
    assert first.status_code == 201
    counts = row_counts(settings)

    second = post_release_api(client, token, forum, shared_torrent("v1-mktorrent-single.torrent"))

    assert second.status_code == 429
    assert "posting too fast" in second.json()["error"]
    assert row_counts(settings) == counts


def preview(client: Client, form: str, body: str) -> tuple[int, str]:
    response = submit(client, form, form, {"title": "Draft", "body": body, "preview": "1"})
    return response.status_code, response.text


@pytest.mark.flood_control
def test_previews_past_the_minute_s_budget_are_refused_with_the_text_kept(
    app: Litestar, client: Client, board: Board
) -> None:
    """A preview writes nothing but renders a whole body: one member previewing back to
    back kept a core busy and made every other request wait."""
    app.state[PREVIEW_STATE_KEY] = AttemptLimiter(3, clock=FakeClock())
    log_in(client, board.user)
    form = f"/forums/{board.public_forum}/new"

    statuses = [preview(client, form, f"Draft {number}")[0] for number in range(3)]
    status, page = preview(client, form, "One more [b]draft[/b]")

    assert statuses == [200] * 3
    assert status == 429
    assert "You have previewed 3 times in the last minute" in page
    assert "One more [b]draft[/b]" in page
    assert board.value("SELECT COUNT(*) FROM topics WHERE title = 'Draft'") == 0


@pytest.mark.flood_control
def test_release_previews_share_the_budget(client: Client, settings: Settings) -> None:
    forum = release_forum(settings)
    signed_in_member(client, settings, "drafter")
    path = f"/forums/{forum}/releases/new"
    statuses = [
        submit(client, path, path, {"title": "T", "description": "D", "preview": "1"}).status_code
        for _ in range(settings.previews_per_minute + 1)
    ]

    assert statuses == [200] * settings.previews_per_minute + [429]
