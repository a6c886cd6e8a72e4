"""Moderators split a topic from a chosen post and merge two topics; both ask first, and
counters, search, feeds and the release block follow."""

from __future__ import annotations

import re

from tests.forum.conftest import Board, Client, log_in, seed_topic, submit
from tests.helpers import add_member
from tests.torrents.releases import api_token, post_release_api, release_forum, shared_torrent

CONFIRM = {"confirm": "yes"}


def found_by_search(client: Client, words: str) -> list[str]:
    page = client.get("/search", params={"q": words}).text
    return re.findall(r'<h2><a href="(/posts/\d+)">', page)


def post_ids(board: Board, topic_id: int) -> list[int]:
    return [row[0] for row in board.rows("SELECT id FROM posts WHERE topic_id = ?", (topic_id,))]


def topic_counters(board: Board, topic_id: int) -> tuple[int, int]:
    row = board.rows("SELECT post_count, last_post_id FROM topics WHERE id = ?", (topic_id,))[0]
    return row[0], row[1]


def test_a_split_moves_the_chosen_post_and_the_later_ones_into_a_new_topic(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Mixed", replies=3)
    first, reply1, reply2, reply3 = post_ids(board, topic.topic_id)
    log_in(client, board.moderator)

    confirm_page = client.get(f"/posts/{reply2}/split")
    assert confirm_page.status_code == 200
    assert "(by alice) and 1 later post become a new topic" in confirm_page.text
    assert post_ids(board, topic.topic_id) == [first, reply1, reply2, reply3]

    response = submit(
        client,
        f"/posts/{reply2}/split",
        f"/posts/{reply2}/split",
        {**CONFIRM, "title": "Off-topic tangent", "forum_id": str(board.other_forum)},
    )

    assert response.status_code == 303
    new_topic_id = board.value("SELECT id FROM topics WHERE title = 'Off-topic tangent'")
    assert response.headers["location"] == f"/topics/{new_topic_id}"
    assert post_ids(board, topic.topic_id) == [first, reply1]
    assert post_ids(board, new_topic_id) == [reply2, reply3]
    assert topic_counters(board, topic.topic_id) == (2, reply1)
    assert topic_counters(board, new_topic_id) == (2, reply3)
    assert board.counters(board.public_forum) == (1, 2, reply1)
    assert board.counters(board.other_forum) == (1, 2, reply3)
    assert found_by_search(client, "tangent Reply 2") == [f"/posts/{reply2}"]
    assert "Off-topic tangent" in client.get(f"/feeds/forums/{board.other_forum}.atom").text
    assert board.rows("SELECT action, target_id FROM moderation_log") == [("split", new_topic_id)]


def test_a_split_refuses_the_first_post_and_an_empty_title(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Whole", replies=1)
    first, reply = post_ids(board, topic.topic_id)
    log_in(client, board.moderator)

    from_first = client.get(f"/posts/{first}/split")
    no_title = submit(
        client,
        f"/posts/{reply}/split",
        f"/posts/{reply}/split",
        {**CONFIRM, "title": "  ", "forum_id": str(board.public_forum)},
    )

    assert from_first.status_code == 400
    assert "move the topic instead" in from_first.text
    assert no_title.status_code == 400 and "The title is empty." in no_title.text
    assert post_ids(board, topic.topic_id) == [first, reply]


def test_a_merge_puts_the_posts_in_the_order_they_were_written_and_removes_the_source(
    client: Client, board: Board
) -> None:
    target = seed_topic(board.settings, board.public_forum, board.user, "Keeper", replies=1)
    source = seed_topic(board.settings, board.other_forum, board.other_user, "Dupe", replies=1)
    log_in(client, board.user)
    submit(client, f"/topics/{target.topic_id}", f"/topics/{target.topic_id}/reply", {"body": "x"})
    target_posts, source_posts = post_ids(board, target.topic_id), post_ids(board, source.topic_id)
    log_in(client, board.moderator)

    confirm_page = client.get(f"/topics/{source.topic_id}/merge")
    assert confirm_page.status_code == 200 and 'name="into_topic_id"' in confirm_page.text
    response = submit(
        client,
        f"/topics/{source.topic_id}/merge",
        f"/topics/{source.topic_id}/merge",
        {**CONFIRM, "into_topic_id": str(target.topic_id)},
    )

    assert response.status_code == 303
    merged = post_ids(board, target.topic_id)
    assert merged == sorted(target_posts + source_posts)
    assert board.value("SELECT COUNT(*) FROM topics WHERE id = ?", (source.topic_id,)) == 0
    assert client.get(f"/topics/{source.topic_id}").status_code == 404
    assert topic_counters(board, target.topic_id) == (5, max(merged))
    assert board.counters(board.public_forum) == (1, 5, max(merged))
    assert board.counters(board.other_forum) == (0, 0, None)
    assert found_by_search(client, "Keeper Opening Dupe") == [f"/posts/{source.post_id}"]
    assert board.rows("SELECT action, target_id, details FROM moderation_log") == [
        ("merge", target.topic_id, "Dupe")
    ]


def test_a_merge_refuses_itself_and_a_missing_target(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Alone")
    page = f"/topics/{topic.topic_id}/merge"
    log_in(client, board.moderator)

    itself = submit(client, page, page, {**CONFIRM, "into_topic_id": str(topic.topic_id)})
    missing = submit(client, page, page, {**CONFIRM, "into_topic_id": "999999"})
    empty = submit(client, page, page, CONFIRM)

    assert itself.status_code == 400 and "cannot be merged into itself" in itself.text
    assert missing.status_code == 404
    assert empty.status_code == 400 and "number of the topic" in empty.text
    assert board.value("SELECT COUNT(*) FROM topics") == 1


def test_a_release_follows_its_posts_and_two_releases_never_share_a_topic(
    client: Client, board: Board
) -> None:
    forum = release_forum(board.settings)
    token = api_token(board.settings, add_member(board.settings, "uploader"))
    first = post_release_api(
        client, token, forum, shared_torrent("v1-mktorrent-single.torrent"), title="First cut"
    ).json()
    second = post_release_api(
        client, token, forum, shared_torrent("v1-transmission-multi.torrent"), title="Second cut"
    ).json()
    plain = seed_topic(board.settings, board.public_forum, board.user, "Plain talk")
    log_in(client, board.moderator)
    page = f"/topics/{first['topic_id']}/merge"

    refused = submit(client, page, page, {**CONFIRM, "into_topic_id": str(second["topic_id"])})
    assert refused.status_code == 400
    assert "Both topics have a release" in refused.text

    merged = submit(client, page, page, {**CONFIRM, "into_topic_id": str(plain.topic_id)})
    assert merged.status_code == 303
    moved = board.rows(
        "SELECT topic_id, forum_id, title FROM torrents WHERE id = ?", (first["torrent_id"],)
    )
    assert moved == [(plain.topic_id, board.public_forum, "Plain talk")]
    assert "Plain talk" in client.get("/tracker").text
