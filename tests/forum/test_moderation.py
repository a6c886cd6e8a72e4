"""Moderators lock, pin, move and delete; counters stay right and every action is logged."""

from __future__ import annotations

from tests.forum.conftest import Board, Client, add_forum, log_in, seed_topic, submit
from tinypier.db.connection import connect_sync


def log_entries(board: Board) -> list[tuple[int, str, str, int]]:
    rows = board.rows(
        "SELECT actor_id, action, target_type, target_id FROM moderation_log ORDER BY id"
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def moderate(client: Client, topic_id: int, action: str, data: dict[str, str] | None = None) -> int:
    page = f"/topics/{topic_id}"
    return submit(client, page, f"{page}/{action}", data or {}).status_code


def test_lock_unlock_and_pin_are_logged(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Rules")
    log_in(client, board.moderator)

    assert moderate(client, topic.topic_id, "lock") == 303
    assert board.value("SELECT locked FROM topics WHERE id = ?", (topic.topic_id,)) == 1
    assert moderate(client, topic.topic_id, "unlock") == 303
    assert moderate(client, topic.topic_id, "pin", {"pin": "announcement"}) == 303
    assert board.value("SELECT pin FROM topics WHERE id = ?", (topic.topic_id,)) == 2

    mod = board.moderator.id
    assert log_entries(board) == [
        (mod, "lock", "topic", topic.topic_id),
        (mod, "unlock", "topic", topic.topic_id),
        (mod, "pin_announcement", "topic", topic.topic_id),
    ]


def test_moving_a_topic_keeps_both_forums_counters_right(client: Client, board: Board) -> None:
    staying = seed_topic(board.settings, board.public_forum, board.user, "Stays", replies=1)
    moving = seed_topic(board.settings, board.public_forum, board.user, "Moves", replies=2)
    log_in(client, board.moderator)

    status = moderate(client, moving.topic_id, "move", {"forum_id": str(board.other_forum)})

    assert status == 303
    last_of_staying = board.value(
        "SELECT MAX(id) FROM posts WHERE topic_id = ?", (staying.topic_id,)
    )
    last_of_moving = board.value("SELECT MAX(id) FROM posts WHERE topic_id = ?", (moving.topic_id,))
    assert board.counters(board.public_forum) == (1, 2, last_of_staying)
    assert board.counters(board.other_forum) == (1, 3, last_of_moving)
    assert "Moves" in client.get(f"/forums/{board.other_forum}").text
    assert log_entries(board)[-1] == (board.moderator.id, "move", "topic", moving.topic_id)


def test_deleting_a_reply_keeps_topic_forum_and_member_counts(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Thread")
    log_in(client, board.other_user)
    page = f"/topics/{topic.topic_id}"
    submit(client, page, f"{page}/reply", {"body": "first reply"})
    submit(client, page, f"{page}/reply", {"body": "spam"})
    spam = board.value("SELECT MAX(id) FROM posts")
    first_reply = spam - 1
    log_in(client, board.moderator)

    response = submit(client, page, f"/posts/{spam}/delete", {"confirm": "yes"})

    assert response.status_code == 303
    assert board.counters(board.public_forum) == (1, 2, first_reply)
    assert board.rows(
        "SELECT post_count, last_post_id FROM topics WHERE id = ?", (topic.topic_id,)
    ) == [(2, first_reply)]
    assert board.post_count(board.other_user) == 1
    assert "[deleted]" in client.get(page).text
    log_in(client, board.other_user)
    assert "spam" not in client.get(page).text
    assert log_entries(board) == [(board.moderator.id, "delete", "post", spam)]


def test_deleting_the_first_post_deletes_the_topic(client: Client, board: Board) -> None:
    older = seed_topic(board.settings, board.public_forum, board.other_user, "Older")
    doomed = seed_topic(board.settings, board.public_forum, board.user, "Doomed", replies=2)
    log_in(client, board.moderator)

    response = submit(
        client, f"/topics/{doomed.topic_id}", f"/posts/{doomed.post_id}/delete", {"confirm": "yes"}
    )

    assert response.headers["location"] == f"/forums/{board.public_forum}"
    log_in(client, board.user)
    assert client.get(f"/topics/{doomed.topic_id}").status_code == 404
    assert board.counters(board.public_forum) == (1, 1, older.post_id)
    assert board.post_count(board.user) == 0
    assert board.post_count(board.other_user) == 1


def test_deleting_a_topic_keeps_the_counters_right(client: Client, board: Board) -> None:
    kept = seed_topic(board.settings, board.public_forum, board.other_user, "Kept", replies=1)
    doomed = seed_topic(board.settings, board.public_forum, board.user, "Gone", replies=4)
    log_in(client, board.moderator)

    assert moderate(client, doomed.topic_id, "delete", {"confirm": "yes"}) == 303

    kept_last = board.value("SELECT MAX(id) FROM posts WHERE topic_id = ?", (kept.topic_id,))
    assert board.counters(board.public_forum) == (1, 2, kept_last)
    assert board.post_count(board.user) == 0
    assert board.value("SELECT COUNT(*) FROM posts WHERE topic_id = ?", (doomed.topic_id,)) == 5
    assert log_entries(board) == [(board.moderator.id, "delete", "topic", doomed.topic_id)]


def test_moderators_edit_anyones_post_and_the_edit_is_logged(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Rude")
    log_in(client, board.moderator)
    edit = f"/posts/{topic.post_id}/edit"

    response = submit(client, edit, edit, {"title": "Rude", "body": "[removed]"})

    assert response.status_code == 303
    assert "edited by mona" in client.get(f"/topics/{topic.topic_id}").text
    assert log_entries(board) == [(board.moderator.id, "edit_post", "post", topic.post_id)]


def test_the_log_page_lists_actions_for_moderators_only(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Logged")
    log_in(client, board.moderator)
    moderate(client, topic.topic_id, "lock")

    log_page = client.get("/moderation")
    assert log_page.status_code == 200
    assert (
        f'<a href="/members/{board.moderator.id}">mona</a> locked topic'
        f' <a href="/topics/{topic.topic_id}">Logged</a>'
    ) in log_page.text

    log_in(client, board.user)
    assert client.get("/moderation").status_code == 403


def test_members_cannot_moderate(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.other_user, "Safe")
    log_in(client, board.user)
    page = f"/topics/{topic.topic_id}"
    token_source = client.get(page).text
    assert "Moderate this topic" not in token_source

    for action in ("lock", "delete"):
        assert moderate(client, topic.topic_id, action, {"confirm": "yes"}) == 403
    assert client.get(f"{page}/delete").status_code == 403
    delete_post = submit(client, page, f"/posts/{topic.post_id}/delete", {"confirm": "yes"})
    assert delete_post.status_code == 403
    assert board.value("SELECT locked FROM topics WHERE id = ?", (topic.topic_id,)) == 0
    assert log_entries(board) == []


def test_guests_cannot_moderate(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Guarded")

    locking = submit(client, "/login", f"/topics/{topic.topic_id}/lock", {})

    assert locking.status_code == 401
    assert board.value("SELECT locked FROM topics WHERE id = ?", (topic.topic_id,)) == 0
    assert client.get("/moderation", follow_redirects=False).status_code == 303


def test_topics_cannot_move_into_forums_the_moderator_cannot_view(
    client: Client, board: Board
) -> None:
    admins_only = add_forum(board.settings, board.category, "Admins only", view_role="admin")
    topic = seed_topic(board.settings, board.public_forum, board.user, "Stay here")
    log_in(client, board.moderator)

    assert f'<option value="{admins_only}">' not in client.get(f"/topics/{topic.topic_id}").text
    assert moderate(client, topic.topic_id, "move", {"forum_id": str(admins_only)}) == 404
    assert board.counters(admins_only) == (0, 0, None)


def test_the_log_hides_actions_in_forums_a_moderator_cannot_view(
    client: Client, board: Board
) -> None:
    admins_only = add_forum(board.settings, board.category, "Admins only", view_role="admin")
    secret = seed_topic(board.settings, admins_only, board.admin, "Secret plans")
    public = seed_topic(board.settings, board.public_forum, board.user, "Open talk")
    log_in(client, board.admin)
    moderate(client, secret.topic_id, "lock")
    moderate(client, public.topic_id, "lock")
    assert "Secret plans" in client.get("/moderation").text

    log_in(client, board.moderator)
    log_page = client.get("/moderation").text

    assert "Open talk" in log_page
    assert "Secret plans" not in log_page


def test_the_log_keeps_a_topic_moved_out_of_sight_out_of_sight(
    client: Client, board: Board
) -> None:
    """The log shows the moderator that a topic left their forum, but neither its title
    nor the name of the admins' forum it went to, in the move or in earlier entries."""
    vault = add_forum(board.settings, board.category, "Admin vault", view_role="admin")
    topic = seed_topic(board.settings, board.public_forum, board.user, "Secret plans")
    log_in(client, board.admin)
    assert moderate(client, topic.topic_id, "lock") == 303
    assert moderate(client, topic.topic_id, "move", {"forum_id": str(vault)}) == 303
    assert "Secret plans</a> from “Chat” to “Admin vault”" in client.get("/moderation").text

    log_in(client, board.moderator)
    log_page = client.get("/moderation").text

    assert 'class="log-move"' in log_page and 'class="log-lock"' in log_page
    assert "Secret plans" not in log_page
    assert "Admin vault" not in log_page


def test_the_log_keeps_where_a_deleted_topic_was_moved_out_of_sight(
    client: Client, board: Board
) -> None:
    """Deleting the topic afterwards must not bring the hidden destination back."""
    vault = add_forum(board.settings, board.category, "Admin vault", view_role="admin")
    topic = seed_topic(board.settings, board.public_forum, board.user, "Secret plans")
    log_in(client, board.admin)
    assert moderate(client, topic.topic_id, "move", {"forum_id": str(vault)}) == 303
    assert moderate(client, topic.topic_id, "delete", {"confirm": "yes"}) == 303

    log_in(client, board.moderator)
    log_page = client.get("/moderation").text

    assert 'class="log-move"' in log_page
    assert "Secret plans" not in log_page
    assert "Admin vault" not in log_page


def test_the_log_names_only_the_forums_a_reader_may_view_along_a_topics_moves(
    client: Client, board: Board
) -> None:
    """A topic moved from the lobby through the admins' vault to a public forum: its
    reader sees both public forums and the topic now, but the first move must not name
    the vault (and the second, filed under the vault, is not shown at all)."""
    lobby = add_forum(board.settings, board.category, "Lobby")
    vault = add_forum(board.settings, board.category, "Admin vault", view_role="admin")
    archive = add_forum(board.settings, board.category, "Archive")
    topic = seed_topic(board.settings, lobby, board.user, "Travelling topic")
    log_in(client, board.admin)
    assert moderate(client, topic.topic_id, "move", {"forum_id": str(vault)}) == 303
    assert moderate(client, topic.topic_id, "move", {"forum_id": str(archive)}) == 303

    log_in(client, board.moderator)
    log_page = client.get("/moderation").text

    assert (
        f'moved topic <a href="/topics/{topic.topic_id}">Travelling topic</a>'
        ' from “Lobby” to <span class="muted">(a forum you cannot view)</span>'
    ) in log_page
    assert log_page.count('class="log-move"') == 1
    assert "Admin vault" not in log_page


def test_a_move_out_of_sight_shows_the_reader_only_the_forum_they_may_view(
    client: Client, board: Board
) -> None:
    vault = add_forum(board.settings, board.category, "Admin vault", view_role="admin")
    topic = seed_topic(board.settings, board.public_forum, board.user, "Secret plans")
    public_name = board.value("SELECT name FROM forums WHERE id = ?", (board.public_forum,))
    log_in(client, board.admin)
    assert moderate(client, topic.topic_id, "move", {"forum_id": str(vault)}) == 303

    log_in(client, board.moderator)
    log_page = client.get("/moderation").text

    assert (
        'moved topic <span class="muted">(a topic you cannot view)</span>'
        f' from “{public_name}” to <span class="muted">(a forum you cannot view)</span>'
    ) in log_page


def test_a_move_logged_without_its_forums_keeps_the_old_rule(client: Client, board: Board) -> None:
    """Entries written before the log stored a move's forums are shown as they were:
    the whole text while the topic is visible."""
    topic = seed_topic(board.settings, board.public_forum, board.user, "Old move")
    connection = connect_sync(board.settings.database_path)
    try:
        connection.execute(
            "INSERT INTO moderation_log (actor_id, action, target_type, target_id, details,"
            " created_at, forum_id) VALUES (?, 'move', 'topic', ?, 'Old move: X -> Y', 0, ?)",
            (board.admin.id, topic.topic_id, board.public_forum),
        )
        connection.commit()
    finally:
        connection.close()
    log_in(client, board.moderator)
    assert "moved topic" in client.get("/moderation").text
    assert "(Old move: X -&gt; Y)" in client.get("/moderation").text


def test_the_log_stores_names_and_keys_and_speaks_the_reader_s_language(
    client: Client, board: Board
) -> None:
    """A log entry outlives the language of whoever caused it: it stores names and keys,
    and the page puts them in the reader's words."""
    doomed = seed_topic(board.settings, board.public_forum, board.user, "Doomed", replies=1)
    log_in(client, board.moderator)
    submit(
        client, f"/topics/{doomed.topic_id}", f"/posts/{doomed.post_id}/delete", {"confirm": "yes"}
    )
    with connect_sync(board.settings.database_path) as connection:
        connection.execute(
            "INSERT INTO moderation_log (actor_id, action, target_type, target_id, details,"
            " forum_id, created_at) VALUES (?, 'release_status', 'torrent', 1,"
            " 'checked -> closed', ?, 0)",
            (board.moderator.id, board.public_forum),
        )

    stored = board.rows("SELECT action, details FROM moderation_log WHERE target_type = 'post'")
    russian = client.get("/moderation", headers={"Accept-Language": "ru"}).text
    english = client.get("/moderation", headers={"Accept-Language": "en"}).text

    assert stored == [("delete_with_topic", f"{board.user.name}: Doomed")]
    assert "на «Закрыто» (был «Проверено»)" in russian
    assert "to Closed (was Checked)" in english
