"""Every body a member sends is held to ``post_max_chars``: new topics, replies, edits,
release descriptions (page, preview and API). A longer one gets a clear message, keeps
its form, and saves nothing (here the bound is set to 100 to keep the bodies small)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.forum.conftest import Board, Client, log_in, seed_topic, submit
from tests.helpers import add_member
from tests.torrents.releases import (
    api_token,
    post_release_api,
    post_release_page,
    release_forum,
    row_counts,
    shared_torrent,
    signed_in_member,
)
from tinypier.settings import Settings, load_settings

LIMIT = 100
TOO_LONG = "x" * (LIMIT + 1)
MESSAGE = f"Messages may not be longer than {LIMIT} characters; this one has {LIMIT + 1}."
TORRENT = "v1-libtorrent-single.torrent"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data", environ={}, post_max_chars=LIMIT)


def test_a_body_at_the_limit_is_accepted(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Room")
    log_in(client, board.user)
    page = f"/topics/{topic.topic_id}"

    response = submit(client, page, f"{page}/reply", {"body": "x" * LIMIT})

    assert response.status_code == 303


@pytest.mark.parametrize("form", ["reply", "new topic", "edit"])
def test_a_longer_body_is_refused_with_its_form_kept(
    client: Client, board: Board, form: str
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Room")
    log_in(client, board.user)
    page, fields = {
        "reply": (f"/topics/{topic.topic_id}/reply", {"body": TOO_LONG}),
        "new topic": (f"/forums/{board.public_forum}/new", {"title": "T", "body": TOO_LONG}),
        "edit": (f"/posts/{topic.post_id}/edit", {"title": "Room", "body": TOO_LONG}),
    }[form]
    posts_before = board.rows("SELECT id, body FROM posts")

    response = submit(client, page, page, fields)

    assert response.status_code == 400
    assert MESSAGE in response.text
    assert TOO_LONG in response.text
    assert board.rows("SELECT id, body FROM posts") == posts_before


@pytest.mark.parametrize("preview", [False, True])
def test_a_longer_release_description_is_refused_on_the_page(
    client: Client, settings: Settings, preview: bool
) -> None:
    forum = release_forum(settings)
    signed_in_member(client, settings, "uploader")
    counts = row_counts(settings)

    response = post_release_page(
        client, forum, shared_torrent(TORRENT), description=TOO_LONG, preview=preview
    )

    assert response.status_code == 400
    assert MESSAGE in response.text
    assert row_counts(settings) == counts


def test_a_longer_release_description_is_refused_by_the_api(
    client: Client, settings: Settings
) -> None:
    forum = release_forum(settings)
    token = api_token(settings, add_member(settings, "script"))
    counts = row_counts(settings)

    response = post_release_api(client, token, forum, shared_torrent(TORRENT), description=TOO_LONG)

    assert response.status_code == 400
    assert response.json()["error"] == MESSAGE
    assert row_counts(settings) == counts
