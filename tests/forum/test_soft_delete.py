"""Deleting asks first, and is soft: members lose the topic or post everywhere, moderators
see it marked and restore it, and a restore brings back every counter, listing and the
release with its swarm."""

from __future__ import annotations

import re

from tests.forum.conftest import Board, Client, log_in, seed_topic, submit
from tests.helpers import Member, add_member
from tests.torrents.releases import api_token, post_release_api, release_forum, shared_torrent
from tests.torrents.releases import stored_files as stored_torrent_files
from tinypier.db.connection import connect_sync
from tinypier.repair.counters import recount_counters
from tinypier.tracker.registry import Member as TrackerMember
from tinypier.tracker.registry import Registry

CONFIRM = {"confirm": "yes"}


def found_by_search(client: Client, words: str) -> list[str]:
    page = client.get("/search", params={"q": words}).text
    return re.findall(r'<h2><a href="(/posts/\d+)">', page)


def feed_of(client: Client, forum_id: int) -> str:
    return client.get(f"/feeds/forums/{forum_id}.atom").text


def board_state(board: Board) -> list[tuple[object, ...]]:
    return board.rows(
        "SELECT 't', id, deleted_at, post_count, last_post_id FROM topics UNION ALL"
        " SELECT 'p', id, deleted_at, topic_id, 0 FROM posts UNION ALL"
        " SELECT 'f', id, topic_count, post_count, last_post_id FROM forums UNION ALL"
        " SELECT 'u', id, post_count, 0, 0 FROM users UNION ALL"
        " SELECT 'l', id, action, target_id, 0 FROM moderation_log"
    )


def test_the_confirm_page_says_what_happens_and_changes_nothing(
    client: Client, board: Board
) -> None:
    doomed = seed_topic(board.settings, board.public_forum, board.user, "Doomed", replies=2)
    log_in(client, board.moderator)
    before = board_state(board)

    page = client.get(f"/topics/{doomed.topic_id}/delete")

    assert page.status_code == 200
    assert "Delete the topic “Doomed”?" in page.text
    assert "The topic and its 3 posts disappear" in page.text
    assert "Moderators can restore it" in page.text
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page.text, re.S)
    assert form is not None and form.group(1) == f"/topics/{doomed.topic_id}/delete"
    assert 'name="_csrf_token"' in form.group(2)
    assert '<input type="hidden" name="confirm" value="yes">' in form.group(2)
    assert "<script" not in page.text
    assert board_state(board) == before


def test_the_topic_page_links_to_the_confirm_pages_instead_of_deleting(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Linked", replies=1)
    log_in(client, board.moderator)

    page = client.get(f"/topics/{topic.topic_id}").text

    assert f'href="/topics/{topic.topic_id}/delete"' in page
    assert f'href="/posts/{topic.post_id}/delete"' in page
    assert f'action="/topics/{topic.topic_id}/delete"' not in page
    assert f'action="/posts/{topic.post_id}/delete"' not in page


def test_a_delete_posted_without_confirming_goes_to_the_confirm_page(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "One click", replies=1)
    reply = board.value("SELECT MAX(id) FROM posts")
    log_in(client, board.moderator)
    before = board_state(board)
    page = f"/topics/{topic.topic_id}"

    to_topic_confirm = submit(client, page, f"{page}/delete", {})
    to_post_confirm = submit(client, page, f"/posts/{reply}/delete", {"confirm": "maybe"})

    assert to_topic_confirm.status_code == 303
    assert to_topic_confirm.headers["location"] == f"{page}/delete"
    assert to_post_confirm.headers["location"] == f"/posts/{reply}/delete"
    assert board_state(board) == before


def test_a_deleted_topic_is_gone_for_members_and_a_restore_brings_it_all_back(
    client: Client, board: Board
) -> None:
    kept = seed_topic(board.settings, board.public_forum, board.other_user, "Kept")
    doomed = seed_topic(board.settings, board.public_forum, board.user, "Vanishing", replies=1)
    counters_before, posts_before = board.counters(board.public_forum), board.post_count(board.user)
    page = f"/topics/{doomed.topic_id}"
    log_in(client, board.moderator)

    assert submit(client, page, f"{page}/delete", CONFIRM).status_code == 303

    forum_page = client.get(f"/forums/{board.public_forum}").text
    assert "Deleted topics" in forum_page and "Vanishing" in forum_page
    assert f'action="/topics/{doomed.topic_id}/restore"' in forum_page
    assert "only moderators see it" in client.get(page).text
    assert board.counters(board.public_forum) == (1, 1, kept.post_id)
    assert board.post_count(board.user) == 0

    log_in(client, board.user)
    assert "Vanishing" not in client.get(f"/forums/{board.public_forum}").text
    assert client.get(page).status_code == 404
    assert client.get(f"/posts/{doomed.post_id}").status_code == 404
    assert found_by_search(client, "Opening Vanishing") == []
    assert "Vanishing" not in feed_of(client, board.public_forum)
    assert "Vanishing" not in client.get(f"/members/{board.user.id}").text

    log_in(client, board.moderator)
    assert submit(client, page, f"{page}/restore", {}).status_code == 303

    assert board.counters(board.public_forum) == counters_before
    assert board.post_count(board.user) == posts_before
    log_in(client, board.user)
    assert "Vanishing" in client.get(f"/forums/{board.public_forum}").text
    assert found_by_search(client, "Opening Vanishing") == [f"/posts/{doomed.post_id}"]
    assert "Vanishing" in feed_of(client, board.public_forum)
    assert board.rows("SELECT action, target_type FROM moderation_log ORDER BY id") == [
        ("delete", "topic"),
        ("restore", "topic"),
    ]


def test_a_deleted_reply_is_marked_for_moderators_and_gone_for_members(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Thread")
    page = f"/topics/{topic.topic_id}"
    log_in(client, board.other_user)
    submit(client, page, f"{page}/reply", {"body": "regrettable outburst"})
    reply = board.value("SELECT MAX(id) FROM posts")
    log_in(client, board.moderator)

    assert submit(client, page, f"/posts/{reply}/delete", CONFIRM).status_code == 303

    moderator_view = client.get(page).text
    assert "regrettable outburst" in moderator_view and "[deleted]" in moderator_view
    assert f'action="/posts/{reply}/restore"' in moderator_view
    assert board.rows("SELECT post_count, last_post_id FROM topics") == [(1, topic.post_id)]
    assert board.post_count(board.other_user) == 0
    log_in(client, board.other_user)
    assert "regrettable" not in client.get(page).text
    assert client.get(f"/posts/{reply}").status_code == 404
    assert found_by_search(client, "regrettable") == []

    log_in(client, board.moderator)
    assert submit(client, page, f"/posts/{reply}/restore", {}).status_code == 303

    assert board.rows("SELECT post_count, last_post_id FROM topics") == [(2, reply)]
    assert board.counters(board.public_forum) == (1, 2, reply)
    assert board.post_count(board.other_user) == 1
    assert found_by_search(client, "regrettable") == [f"/posts/{reply}"]


def test_a_deleted_topic_takes_no_more_moderation_but_a_restore(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Asleep", replies=1)
    page = f"/topics/{topic.topic_id}"
    log_in(client, board.moderator)
    submit(client, page, f"{page}/delete", CONFIRM)
    before = board_state(board)

    for action in ("lock", "delete", "move"):
        refused = submit(client, page, f"{page}/{action}", {**CONFIRM, "forum_id": "1"})
        assert refused.status_code == 400
        assert "This topic is deleted: restore it first." in refused.text
    assert board_state(board) == before


def test_the_recount_repair_agrees_with_what_deleting_keeps(client: Client, board: Board) -> None:
    """The repair recounts from the rows: it must count deleted things out the same way,
    or running it would bring them back into every counter."""
    seed_topic(board.settings, board.public_forum, board.other_user, "Stays", replies=2)
    doomed = seed_topic(board.settings, board.public_forum, board.user, "Goes", replies=2)
    page = f"/topics/{doomed.topic_id}"
    log_in(client, board.moderator)
    reply = board.value("SELECT MAX(id) FROM posts WHERE topic_id = ?", (doomed.topic_id,))
    submit(client, page, f"/posts/{reply}/delete", CONFIRM)
    stays_reply = board.value("SELECT MAX(id) FROM posts WHERE topic_id = 1")
    submit(client, "/topics/1", f"/posts/{stays_reply}/delete", CONFIRM)
    submit(client, page, f"{page}/delete", CONFIRM)

    connection = connect_sync(board.settings.database_path)
    try:
        report = recount_counters(connection)
    finally:
        connection.close()

    assert report.changed == 0


def tracker_knows(board: Board, member: Member, info_hash: bytes) -> bool:
    connection = connect_sync(board.settings.database_path)
    try:
        announcer = TrackerMember(member.id, False, 1)
        return Registry(connection).release(info_hash, announcer) is not None
    finally:
        connection.close()


def test_a_deleted_release_topic_leaves_the_tracker_and_a_restore_brings_it_back(
    client: Client, board: Board
) -> None:
    forum = release_forum(board.settings)
    uploader = add_member(board.settings, "uploader")
    created = post_release_api(
        client,
        api_token(board.settings, uploader),
        forum,
        shared_torrent("v1-mktorrent-single.torrent"),
        title="Vanishing release",
    ).json()
    topic_id = created["topic_id"]
    info_hash = bytes.fromhex(created["info_hash"])
    stored = stored_torrent_files(board.settings)
    page = f"/topics/{topic_id}"
    log_in(client, board.moderator)

    confirm_page = client.get(f"{page}/delete").text
    assert "the .torrent file is kept" in confirm_page
    assert submit(client, page, f"{page}/delete", CONFIRM).status_code == 303

    assert stored_torrent_files(board.settings) == stored
    assert not tracker_knows(board, uploader, info_hash)
    log_in(client, board.user)
    assert "Vanishing release" not in client.get("/tracker").text
    assert client.get(f"/torrents/{created['torrent_id']}/download").status_code == 404

    log_in(client, board.moderator)
    submit(client, page, f"{page}/restore", {})

    assert tracker_knows(board, uploader, info_hash)
    log_in(client, board.user)
    assert "Vanishing release" in client.get("/tracker").text
