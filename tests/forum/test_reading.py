"""Reading the board: pages of posts and topics, permalinks, pins, locks, unread markers."""

from __future__ import annotations

import re

from tests.forum.conftest import Board, Client, log_in, seed_topic, submit

UNREAD_MARKER = 'class="marker unread"'


def post_numbers(html: str) -> list[int]:
    return [int(number) for number in re.findall(r'title="Permalink">#(\d+)</a>', html)]


def topic_titles(html: str) -> list[str]:
    return re.findall(r'class="topic-title" href="/topics/\d+">([^<]+)</a>', html)


def test_a_topic_shows_25_posts_a_page_and_its_last_page(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Long", replies=59)
    page = f"/topics/{topic.topic_id}"

    assert post_numbers(client.get(page).text) == list(range(1, 26))
    assert post_numbers(client.get(f"{page}?page=2").text) == list(range(26, 51))
    last = client.get(f"{page}?page=last").text
    assert post_numbers(last) == list(range(51, 61))
    assert "Page 3 of 3" in last


def test_a_page_number_beyond_the_end_shows_the_last_page(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Short", replies=3)

    assert post_numbers(client.get(f"/topics/{topic.topic_id}?page=9").text) == [1, 2, 3, 4]


def test_a_permalink_redirects_to_the_page_holding_the_post(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Linked", replies=40)
    thirtieth = board.value(
        "SELECT id FROM posts WHERE topic_id = ? ORDER BY id LIMIT 1 OFFSET 29", (topic.topic_id,)
    )

    response = client.get(f"/posts/{thirtieth}", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/topics/{topic.topic_id}?page=2#post-{thirtieth}"
    assert f'id="post-{thirtieth}"' in client.get(response.headers["location"]).text


def test_the_author_box_shows_role_posts_and_ratio(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.moderator, "Boxed", replies=1)
    board.rows(
        "UPDATE users SET uploaded = 3000, downloaded = 1000 WHERE id = ?", (board.moderator.id,)
    )

    page = client.get(f"/topics/{topic.topic_id}").text

    assert f'href="/members/{board.moderator.id}">mona</a>' in page
    assert "<dt>Role</dt><dd>moderator</dd>" in page
    assert "<dt>Posts</dt><dd>2</dd>" in page
    assert "<dt>Ratio</dt><dd>3.00</dd>" in page


def test_forum_pages_list_50_topics_each(client: Client, board: Board) -> None:
    for number in range(55):
        seed_topic(board.settings, board.public_forum, board.user, f"Topic {number:02}")
    forum = f"/forums/{board.public_forum}"

    first = topic_titles(client.get(forum).text)
    second = topic_titles(client.get(f"{forum}?page=2").text)

    assert len(first) == 50
    assert first[0] == "Topic 54"
    assert second == [f"Topic {number:02}" for number in range(4, -1, -1)]


def test_announcements_then_stickies_then_recent_topics(client: Client, board: Board) -> None:
    sticky = seed_topic(board.settings, board.public_forum, board.user, "Sticky")
    announcement = seed_topic(board.settings, board.public_forum, board.user, "Announcement")
    seed_topic(board.settings, board.public_forum, board.user, "Recent")
    log_in(client, board.moderator)
    for topic_id, pin in ((sticky.topic_id, "sticky"), (announcement.topic_id, "announcement")):
        page = f"/topics/{topic_id}"
        assert submit(client, page, f"{page}/pin", {"pin": pin}).status_code == 303

    listing = client.get(f"/forums/{board.public_forum}").text

    assert topic_titles(listing) == ["Announcement", "Sticky", "Recent"]
    assert '<span class="marker announcement">Announcement</span>' in listing
    assert '<span class="marker sticky">Sticky</span>' in listing


def test_a_reply_brings_a_topic_back_to_the_top(client: Client, board: Board) -> None:
    old = seed_topic(board.settings, board.public_forum, board.user, "Old")
    seed_topic(board.settings, board.public_forum, board.user, "Newer")
    board.rows("UPDATE topics SET last_post_at = last_post_at - 100 WHERE id = ?", (old.topic_id,))
    log_in(client, board.other_user)
    page = f"/topics/{old.topic_id}"

    submit(client, page, f"{page}/reply", {"body": "bump"})

    assert topic_titles(client.get(f"/forums/{board.public_forum}").text) == ["Old", "Newer"]


def test_locked_topics_refuse_members_but_not_moderators(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Closed")
    page = f"/topics/{topic.topic_id}"
    log_in(client, board.moderator)
    submit(client, page, f"{page}/lock", {})
    assert 'class="marker locked"' in client.get(f"/forums/{board.public_forum}").text

    assert submit(client, page, f"{page}/reply", {"body": "mod note"}).status_code == 303

    log_in(client, board.user)
    token_page = client.get(page)
    assert "This topic is locked." in token_page.text
    assert client.get(f"{page}/reply").status_code == 403
    assert submit(client, page, f"{page}/reply", {"body": "let me in"}).status_code == 403
    assert board.value("SELECT post_count FROM topics WHERE id = ?", (topic.topic_id,)) == 2


def test_unread_markers_follow_what_a_member_has_read(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "News")
    forum = f"/forums/{board.public_forum}"
    log_in(client, board.other_user)
    assert UNREAD_MARKER in client.get(forum).text

    client.get(f"/topics/{topic.topic_id}")
    assert UNREAD_MARKER not in client.get(forum).text

    log_in(client, board.user)
    page = f"/topics/{topic.topic_id}"
    submit(client, page, f"{page}/reply", {"body": "More news"})
    log_in(client, board.other_user)
    assert UNREAD_MARKER in client.get(forum).text


def test_guests_see_no_unread_markers_and_no_reply_form(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Public")

    assert UNREAD_MARKER not in client.get(f"/forums/{board.public_forum}").text
    page = client.get(f"/topics/{topic.topic_id}").text
    assert 'action="/topics/' not in page
    assert "Log in</a> to reply" in page


def test_the_index_shows_counts_and_the_last_post(client: Client, board: Board) -> None:
    seed_topic(board.settings, board.public_forum, board.user, "Earlier")
    seed_topic(board.settings, board.public_forum, board.other_user, "Latest", replies=2)
    last_post = board.value("SELECT MAX(id) FROM posts")

    index = client.get("/").text

    row = index.split(f'href="/forums/{board.public_forum}"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["2", "4"]
    assert f'<a href="/posts/{last_post}">Latest</a>' in row
    assert ">bob</a>" in row
