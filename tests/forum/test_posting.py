"""Members start topics, reply, quote, preview and edit through the real forms."""

from __future__ import annotations

from tests.forum.conftest import Board, Client, log_in, seed_topic, submit


def post_topic(client: Client, forum_id: int, title: str, body: str) -> int:
    form = f"/forums/{forum_id}/new"
    response = submit(client, form, form, {"title": title, "body": body})
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_a_new_topic_shows_on_its_forum_and_the_index(client: Client, board: Board) -> None:
    log_in(client, board.user)
    topic_id = post_topic(client, board.public_forum, "First light", "[b]Hello[/b] board")

    topic_page = client.get(f"/topics/{topic_id}").text
    assert "<strong>Hello</strong> board" in topic_page
    assert (
        f'href="/forums/{board.public_forum}/new"'
        in client.get(f"/forums/{board.public_forum}").text
    )
    assert "First light" in client.get(f"/forums/{board.public_forum}").text
    index = client.get("/").text
    assert "First light" in index
    assert board.counters(board.public_forum)[:2] == (1, 1)
    assert board.post_count(board.user) == 1


def test_a_reply_lands_on_its_page_and_moves_every_counter(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Talk")
    log_in(client, board.other_user)
    page = f"/topics/{topic.topic_id}"

    response = submit(client, page, f"{page}/reply", {"body": "I agree"})

    assert response.status_code == 303
    reply_id = board.value("SELECT MAX(id) FROM posts")
    assert response.headers["location"] == f"{page}?page=1#post-{reply_id}"
    assert "I agree" in client.get(page).text
    assert board.counters(board.public_forum) == (1, 2, reply_id)
    assert board.value("SELECT post_count FROM topics WHERE id = ?", (topic.topic_id,)) == 2
    assert board.post_count(board.other_user) == 1


def test_quoting_prefills_the_reply_with_the_author_and_text(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Quotable")
    log_in(client, board.other_user)

    form = client.get(f"/topics/{topic.topic_id}/reply?quote={topic.post_id}").text
    assert "[quote=alice]Opening Quotable[/quote]" in form

    reply = "[quote=alice]Opening Quotable[/quote]\nWell said"
    reply_form = f"/topics/{topic.topic_id}/reply"
    submit(client, reply_form, reply_form, {"body": reply})
    page = client.get(f"/topics/{topic.topic_id}").text
    assert (
        '<blockquote class="bb-quote"><cite class="bb-quote-author">alice wrote:</cite>'
        "Opening Quotable</blockquote>" in page
    )


def test_quoting_a_post_of_another_topic_is_refused(client: Client, board: Board) -> None:
    first = seed_topic(board.settings, board.public_forum, board.user, "One")
    second = seed_topic(board.settings, board.public_forum, board.user, "Two")
    log_in(client, board.other_user)

    response = client.get(f"/topics/{first.topic_id}/reply?quote={second.post_id}")

    assert response.status_code == 404


def test_preview_renders_the_bbcode_and_saves_nothing(client: Client, board: Board) -> None:
    log_in(client, board.user)
    form = f"/forums/{board.public_forum}/new"

    response = submit(
        client, form, form, {"title": "Draft", "body": "[i]maybe[/i]", "preview": "1"}
    )

    assert response.status_code == 200
    assert "<em>maybe</em>" in response.text
    assert 'value="Draft"' in response.text
    assert "[i]maybe[/i]</textarea>" in response.text
    assert board.value("SELECT COUNT(*) FROM topics") == 0
    assert board.counters(board.public_forum)[:2] == (0, 0)


def test_an_empty_message_is_refused_with_the_form_kept(client: Client, board: Board) -> None:
    log_in(client, board.user)
    form = f"/forums/{board.public_forum}/new"

    response = submit(client, form, form, {"title": "Keep me", "body": "   "})

    assert response.status_code == 400
    assert "The message is empty." in response.text
    assert 'value="Keep me"' in response.text
    assert board.value("SELECT COUNT(*) FROM topics") == 0


def test_editing_your_own_post_shows_an_edited_mark(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Typo", replies=1)
    reply_id = board.value("SELECT MAX(id) FROM posts")
    log_in(client, board.user)
    edit = f"/posts/{reply_id}/edit"

    response = submit(client, edit, edit, {"body": "Fixed text"})

    assert response.status_code == 303
    page = client.get(f"/topics/{topic.topic_id}").text
    assert "Fixed text" in page
    assert "edited by alice" in page
    assert board.value("SELECT edited_by FROM posts WHERE id = ?", (reply_id,)) == board.user.id


def test_editing_the_first_post_can_rename_the_topic(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Old name")
    log_in(client, board.user)
    edit = f"/posts/{topic.post_id}/edit"

    submit(client, edit, edit, {"title": "New name", "body": "Same story"})

    assert board.value("SELECT title FROM topics WHERE id = ?", (topic.topic_id,)) == "New name"


def test_members_cannot_edit_the_posts_of_others(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Mine")
    log_in(client, board.other_user)

    assert client.get(f"/posts/{topic.post_id}/edit").status_code == 403
    token_page = client.get(f"/topics/{topic.topic_id}").text
    assert f'href="/posts/{topic.post_id}/edit"' not in token_page


def test_guests_are_sent_to_log_in_before_posting(client: Client, board: Board) -> None:
    response = client.get(f"/forums/{board.public_forum}/new", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_posting_without_the_csrf_token_is_refused(client: Client, board: Board) -> None:
    log_in(client, board.user)

    response = client.post(f"/forums/{board.public_forum}/new", data={"title": "x", "body": "y"})

    assert response.status_code == 403
    assert board.value("SELECT COUNT(*) FROM topics") == 0
