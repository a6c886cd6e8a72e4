"""The notifications page, the header's badge and reading: opening a notice marks it read
and leads to what it tells of; what the member may no longer view is neither shown nor
counted; a member may read only their own notices."""

from __future__ import annotations

from tests.forum.conftest import Board, Client, submit
from tests.groups.board import add_group, grant, put_in_group
from tests.notifications.conftest import badge, become, press, reply, start_topic
from tests.torrents.releases import api_token, post_release_api, release_forum, shared_torrent


def alice_hears_a_reply(client: Client, board: Board, forum_id: int | None = None) -> int:
    """Alice's topic, Bob's reply to it; returns the topic, with Alice logged in again."""
    become(client, board.user)
    topic = start_topic(client, forum_id or board.public_forum, "Alice asks")
    become(client, board.other_user)
    reply(client, topic, "Bob answers")
    become(client, board.user)
    return topic


def notice_id(board: Board, member_id: int) -> int:
    found: int = board.value("SELECT MAX(id) FROM notifications WHERE user_id = ?", (member_id,))
    return found


def test_the_badge_counts_unread_notices_and_the_page_lists_them(
    client: Client, board: Board
) -> None:
    alice_hears_a_reply(client, board)

    assert badge(client) == 1
    page = client.get("/notifications").text
    assert "bob replied in Alice asks" in page


def test_opening_a_notice_marks_it_read_and_goes_to_the_reply(client: Client, board: Board) -> None:
    topic = alice_hears_a_reply(client, board)
    post_id = board.value("SELECT MAX(id) FROM posts WHERE topic_id = ?", (topic,))

    opened = press(
        client, "/notifications", f"/notifications/{notice_id(board, board.user.id)}/open"
    )

    assert opened.status_code == 303
    assert opened.headers["location"] == f"/posts/{post_id}"
    assert badge(client) == 0
    assert board.value("SELECT read_at IS NOT NULL FROM notifications") == 1


def test_a_read_notice_makes_room_for_a_new_one(client: Client, board: Board) -> None:
    topic = alice_hears_a_reply(client, board)
    press(client, "/notifications", "/notifications/read")
    become(client, board.other_user)
    reply(client, topic, "Bob again")
    become(client, board.user)

    assert badge(client) == 1
    assert board.value("SELECT COUNT(*) FROM notifications") == 2


def test_mark_all_read(client: Client, board: Board) -> None:
    alice_hears_a_reply(client, board)
    become(client, board.moderator)
    topic = start_topic(client, board.public_forum, "Mona's", "Hi @alice")
    become(client, board.user)
    assert badge(client) == 2

    done = press(client, "/notifications", "/notifications/read")

    assert done.status_code == 303
    assert badge(client) == 0
    assert topic


def test_no_one_opens_another_members_notice(client: Client, board: Board) -> None:
    alice_hears_a_reply(client, board)
    become(client, board.other_user)

    opened = press(
        client, "/notifications", f"/notifications/{notice_id(board, board.user.id)}/open"
    )

    assert opened.status_code == 404
    assert board.value("SELECT read_at FROM notifications") is None


def test_a_private_forum_tells_no_one_who_cannot_view_it(client: Client, board: Board) -> None:
    """Bob is a member, the staff room is for moderators: neither his forum watch nor a
    mention nor a quote of him there tells him anything."""
    board.rows(
        "INSERT INTO forum_watches (user_id, forum_id, created_at) VALUES (?, ?, 0)",
        (board.other_user.id, board.private_forum),
    )
    become(client, board.moderator)
    topic = start_topic(client, board.private_forum, "Staff only", "About @bob")
    reply(client, topic, '[quote="bob"]leaked[/quote] @bob')

    assert board.rows("SELECT * FROM notifications WHERE user_id = ?", (board.other_user.id,)) == []
    assert (
        board.value("SELECT COUNT(*) FROM notifications WHERE user_id = ?", (board.admin.id,)) == 0
    )


def test_a_group_that_opens_the_forum_lets_its_member_hear_of_it(
    client: Client, board: Board
) -> None:
    """Bob's role does not open the staff room, his group's read grant does: his watch
    and a mention there reach him, and his notifications page shows them."""
    group_id = add_group(board.settings, "Helpers")
    put_in_group(board.settings, group_id, board.other_user)
    grant(board.settings, group_id, board.private_forum, "read")
    board.rows(
        "INSERT INTO forum_watches (user_id, forum_id, created_at) VALUES (?, ?, 0)",
        (board.other_user.id, board.private_forum),
    )
    become(client, board.moderator)
    start_topic(client, board.private_forum, "Staff and helpers", "Thanks @bob")

    kinds = board.rows("SELECT kind FROM notifications WHERE user_id = ?", (board.other_user.id,))
    assert [kind for (kind,) in kinds] == ["mention"]
    become(client, board.other_user)
    assert "Staff and helpers" in client.get("/notifications").text


def test_a_notice_about_a_forum_since_closed_to_the_member_is_gone(
    client: Client, board: Board
) -> None:
    """Checked again when shown: the forum became staff-only after the reply."""
    alice_hears_a_reply(client, board)
    board.rows("UPDATE forums SET view_role = 'moderator' WHERE id = ?", (board.public_forum,))
    notice = notice_id(board, board.user.id)

    assert badge(client) == 0
    assert "Alice asks" not in client.get("/notifications").text
    assert press(client, "/notifications", f"/notifications/{notice}/open").status_code == 404
    assert "Alice asks" not in client.get("/api/notifications", headers={}).text


def test_a_notice_of_a_deleted_reply_is_gone(client: Client, board: Board) -> None:
    topic = alice_hears_a_reply(client, board)
    board.rows(
        "UPDATE posts SET deleted_at = 1 WHERE id = (SELECT MAX(id) FROM posts WHERE topic_id = ?)",
        (topic,),
    )

    assert badge(client) == 0


def test_a_message_notice_leads_to_the_conversation(client: Client, board: Board) -> None:
    become(client, board.other_user)
    form = {"to": "alice", "subject": "Hello", "body": "Hi"}
    sent = submit(client, "/messages/new", "/messages/new", form)
    become(client, board.user)
    assert "bob sent you a message: Hello" in client.get("/notifications").text

    opened = press(
        client, "/notifications", f"/notifications/{notice_id(board, board.user.id)}/open"
    )

    assert opened.headers["location"] == sent.headers["location"].split("?")[0]


def test_the_uploader_hears_of_a_new_status_of_their_release(client: Client, board: Board) -> None:
    forum = release_forum(board.settings)
    created = post_release_api(
        client,
        api_token(board.settings, board.user),
        forum,
        shared_torrent("v1-mktorrent-single.torrent"),
    )
    torrent_id, topic_id = created.json()["torrent_id"], created.json()["topic_id"]
    become(client, board.moderator)
    page = f"/topics/{topic_id}"
    submit(client, page, f"/torrents/{torrent_id}/status", {"status": "needs_editing"})
    submit(client, page, f"/torrents/{torrent_id}/status", {"status": "needs_editing"})
    become(client, board.user)

    shown = client.get("/notifications").text
    assert "mona marked your release A release &#39;Needs editing&#39;" in shown
    assert board.value("SELECT COUNT(*) FROM notifications WHERE kind = 'release_status'") == 1


def test_names_and_titles_in_a_notice_are_text(client: Client, board: Board) -> None:
    title = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    become(client, board.user)
    topic = start_topic(client, board.public_forum, title)
    become(client, board.other_user)
    reply(client, topic, "Bob answers")
    become(client, board.user)

    page = client.get("/notifications").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_page_speaks_russian(client: Client, board: Board) -> None:
    alice_hears_a_reply(client, board)
    submit(client, "/settings", "/settings/locale", {"language": "ru", "time_zone": "UTC"})

    page = client.get("/notifications").text
    assert "Уведомления" in page
    assert "bob ответил(а) в теме Alice asks" in page


def test_the_api_lists_the_callers_notices(client: Client, board: Board) -> None:
    alice_hears_a_reply(client, board)
    token = api_token(board.settings, board.user)

    answer = client.get("/api/notifications", headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 200
    body = answer.json()
    assert body["unread"] == 1
    assert [(n["kind"], n["text"], n["unread"]) for n in body["notifications"]] == [
        ("reply", "bob replied in Alice asks", True)
    ]


def test_reading_the_conversation_reads_its_notice(client: Client, board: Board) -> None:
    become(client, board.other_user)
    sent = submit(
        client, "/messages/new", "/messages/new", {"to": "alice", "subject": "Hi", "body": "Hello"}
    )
    become(client, board.user)
    assert badge(client) == 1

    page = client.get(sent.headers["location"]).text

    assert 'class="badge notifications-badge"' not in page, "the page itself shows it read"
    assert badge(client) == 0
