"""What a member is told: replies where they watch, quotes of them, mentions of their
name, new messages and verdicts on their releases; never of their own doing."""

from __future__ import annotations

from tests.forum.conftest import Board, Client, submit
from tests.helpers import add_member
from tests.notifications.conftest import become, notices, press, reply, start_topic
from tinypier.accounts.names import name_key
from tinypier.db.connection import Database


def test_a_starter_watches_their_topic_and_hears_of_each_reply(
    client: Client, board: Board
) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Alice asks")
    become(client, board.other_user)
    reply(client, topic, "Bob answers")

    assert notices(board, board.user) == [("reply", 1)]
    assert notices(board, board.other_user) == []


def test_replies_while_unread_grow_one_notice(client: Client, board: Board) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Alice asks")
    become(client, board.other_user)
    reply(client, topic, "One")
    reply(client, topic, "Two")
    reply(client, topic, "Three")

    assert notices(board, board.user) == [("reply", 3)]


def test_unwatching_stops_the_notices(client: Client, board: Board) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Alice asks")
    press(client, f"/topics/{topic}", f"/topics/{topic}/unwatch")
    become(client, board.other_user)
    reply(client, topic, "Bob answers")

    assert notices(board, board.user) == []


def test_watching_someone_elses_topic_by_its_button(client: Client, board: Board) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Alice asks")
    become(client, board.moderator)
    assert "Watch this topic" in client.get(f"/topics/{topic}").text
    press(client, f"/topics/{topic}", f"/topics/{topic}/watch")
    assert "Stop watching" in client.get(f"/topics/{topic}").text
    become(client, board.other_user)
    reply(client, topic, "Bob answers")

    assert notices(board, board.moderator) == [("reply", 1)]


def test_a_watched_forum_tells_of_new_topics_and_replies(client: Client, board: Board) -> None:
    become(client, board.other_user)
    forum_page = f"/forums/{board.public_forum}"
    assert "Watch this forum" in client.get(forum_page).text
    press(client, forum_page, f"{forum_page}/watch")
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "News")
    reply(client, topic, "More news")

    assert notices(board, board.other_user) == [("topic", 1), ("reply", 1)]


def test_a_quote_tells_the_quoted_author_once(client: Client, board: Board) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Alice asks")
    become(client, board.other_user)
    reply(client, topic, '[quote="alice"]Alice asks[/quote] Indeed.')

    assert notices(board, board.user) == [("quote", 1)]


def test_a_mention_reaches_a_name_in_any_case_and_script(client: Client, board: Board) -> None:
    vasya = add_member(board.settings, "Вася")
    # Registration stores the name's Unicode key (accounts.queries); so does this member.
    board.rows("UPDATE users SET name_key = ? WHERE id = ?", (name_key("Вася"), vasya.id))
    become(client, board.user)
    start_topic(client, board.public_forum, "Hello", "Привет, @ВАСЯ! And @nobody-at-all.")

    assert notices(board, vasya) == [("mention", 1)]


def test_a_name_inside_a_quote_or_code_is_no_mention(client: Client, board: Board) -> None:
    carol = add_member(board.settings, "carol")
    become(client, board.user)
    start_topic(
        client,
        board.public_forum,
        "Hello",
        '[quote="someone"]ask @carol[/quote] [code]@carol[/code] mail carol@example.org',
    )

    assert notices(board, carol) == []


def test_mentions_past_the_limit_are_left_as_text(client: Client, board: Board) -> None:
    names = [f"reader{number}" for number in range(board.settings.mentions_per_post + 2)]
    readers = [add_member(board.settings, name) for name in names]
    become(client, board.user)
    start_topic(client, board.public_forum, "Roll call", " ".join(f"@{name}" for name in names))

    told = [reader for reader in readers if notices(board, reader)]
    assert told == readers[: board.settings.mentions_per_post]


def test_nobody_is_told_of_their_own_post(client: Client, board: Board) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Alone", "Talking to @alice")
    reply(client, topic, '[quote="alice"]Alone[/quote] says @ALICE')

    assert notices(board, board.user) == []


def test_a_member_who_blocks_the_author_hears_nothing_from_them(
    client: Client, board: Board
) -> None:
    become(client, board.user)
    topic = start_topic(client, board.public_forum, "Alice asks")
    submit(client, "/messages/blocked", "/messages/blocked", {"name": "bob"})
    become(client, board.other_user)
    reply(client, topic, "Bob answers @alice")

    assert notices(board, board.user) == []


def test_a_private_message_tells_each_recipient(client: Client, board: Board) -> None:
    become(client, board.user)
    form = {"to": "bob, mona", "subject": "Plans", "body": "Shall we?"}
    sent = submit(client, "/messages/new", "/messages/new", form)
    assert sent.status_code == 303
    become(client, board.other_user)
    conversation = sent.headers["location"].split("?")[0]
    reply_page = f"{conversation}/reply"
    submit(client, reply_page, reply_page, {"body": "Yes"})
    submit(client, reply_page, reply_page, {"body": "Tomorrow"})

    assert notices(board, board.other_user) == [("message", 1)]
    assert notices(board, board.moderator) == [("message", 3)]
    assert notices(board, board.user) == [("message", 2)]


def test_a_member_keeps_only_the_newest_notices(board: Board) -> None:
    """``notifications_kept`` bounds each member's list: older notices give way."""
    from tests.forum.board import on_board
    from tinypier.notifications.store import Notice, record

    async def write(db: Database) -> None:
        for number in range(5):
            async with db.transaction() as connection:
                notice = Notice(board.user.id, "mention", board.other_user.id, detail=str(number))
                await record(connection, [notice], now=number, kept=3)

    on_board(board.settings, write)

    assert board.rows("SELECT detail FROM notifications ORDER BY id") == [("2",), ("3",), ("4",)]


def test_one_post_tells_at_most_notify_watchers_max_watchers(board: Board) -> None:
    """The first watchers (by when they started) are told; the work of one post is bounded."""
    from dataclasses import replace

    from litestar.datastructures import State

    from tests.forum.board import on_board
    from tinypier.forum.posting import create_post, create_topic
    from tinypier.notifications.notify import on_post_published
    from tinypier.web.extensions import PostHooks

    watchers = [add_member(board.settings, f"watcher{number}") for number in range(4)]
    for when, watcher in enumerate(watchers):
        board.rows(
            "INSERT INTO forum_watches (user_id, forum_id, created_at) VALUES (?, ?, ?)",
            (watcher.id, board.public_forum, when),
        )
    state = State({"settings": replace(board.settings, notify_watchers_max=2)})
    hooks = PostHooks((on_post_published,), state)

    async def write(db: Database) -> None:
        new = await create_topic(db, board.public_forum, board.user.id, "Busy", "Hello", hooks)
        await create_post(db, new.topic_id, board.public_forum, board.user.id, "Again", hooks)

    on_board(board.settings, write)

    assert [notices(board, watcher) for watcher in watchers] == [
        [("topic", 1), ("reply", 1)],
        [("topic", 1), ("reply", 1)],
        [],
        [],
    ]
