"""The moderation log reads as sentences with links, in the reader's language, for every
action the code writes, and still reads sensibly once its target is gone."""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path

import aiosqlite
import pytest

import tinypier
import tinypier.app
from tests.forum.board import Post, add_release
from tests.forum.conftest import Board, Client, log_in, seed_topic, submit
from tinypier.db.connection import connect_sync
from tinypier.forum.log_sentences import CHANGE_LABELS, SENTENCES, register_actions, sentence_for
from tinypier.forum.moderation_log import log_action
from tinypier.i18n import translations_for

PACKAGE = Path(tinypier.__file__).parent
CONFIRM = {"confirm": "yes"}


def add_entry(board: Board, actor_id: int | None, action: str, kind: str, target: int,
              details: str, forum_id: int | None = None) -> None:  # fmt: skip
    """An entry as the code writes it, for actions these tests cannot reach from a page;
    with no actor, as the shell writes one."""
    with connect_sync(board.settings.database_path) as connection:
        connection.execute(
            "INSERT INTO moderation_log (actor_id, action, target_type, target_id, details,"
            " forum_id, created_at, from_shell) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
            (actor_id, action, kind, target, details, forum_id, actor_id is None),
        )


def test_a_move_reads_as_a_sentence_with_links(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Wanderer")
    log_in(client, board.moderator)
    page = f"/topics/{topic.topic_id}"
    submit(client, page, f"{page}/move", {"forum_id": str(board.other_forum)})

    log_page = client.get("/moderation").text

    assert (
        f'<a href="/members/{board.moderator.id}">mona</a> moved topic'
        f' <a href="/topics/{topic.topic_id}">Wanderer</a> from “Chat” to “Elsewhere”'
    ) in log_page
    assert "topic 1<" not in log_page


def test_release_verdicts_name_the_release_and_its_levels_in_words(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Shiny release")
    on_topic = Post(topic.post_id, topic.topic_id, board.public_forum)
    torrent_id = add_release(board.settings, on_topic, board.user, size=1)
    add_entry(board, board.moderator.id, "release_freeleech", "torrent", torrent_id,
              "none -> gold", board.public_forum)  # fmt: skip
    log_in(client, board.moderator)

    english = client.get("/moderation").text
    russian = client.get("/moderation", headers={"Accept-Language": "ru"}).text

    release_link = f'<a href="/topics/{topic.topic_id}">Shiny release</a>'
    assert f"marked release {release_link} Gold: download not counted (was Normal)" in english
    assert f"задал(а) раздаче {release_link} фрилич «Золото" in russian
    shown_text = re.sub(r"<[^>]+>", "", english + russian)
    assert "release_freeleech" not in shown_text and "torrent" not in shown_text


def test_gone_targets_and_the_shell_still_read_sensibly(client: Client, board: Board) -> None:
    """A forum deleted for good, a release removed, a member gone, and an entry written
    from the shell (no member acted)."""
    log_in(client, board.admin)
    forum_page = f"/admin/forums/{board.other_forum}/delete"
    assert submit(client, forum_page, forum_page, CONFIRM).status_code == 303
    add_entry(board, board.admin.id, "release_status", "torrent", 999, "checked -> closed")
    add_entry(board, None, "set role", "user", board.user.id, "user -> moderator")

    log_page = client.get("/moderation").text

    assert "deleted forum “Elsewhere” (since removed) and everything in it" in log_page
    assert '<span class="muted">(a release since removed)</span> to Closed' in log_page
    assert (
        f'<span class="muted">(shell)</span> made <a href="/members/{board.user.id}">alice</a>'
        " moderator (was user)"
    ) in log_page
    assert "(deleted member)" not in log_page


def test_delete_restore_split_and_merge_read_as_sentences(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Busy", replies=2)
    other = seed_topic(board.settings, board.public_forum, board.user, "Twin")
    last = board.value("SELECT MAX(id) FROM posts WHERE topic_id = ?", (topic.topic_id,))
    log_in(client, board.moderator)
    page = f"/topics/{topic.topic_id}"
    submit(client, page, f"/posts/{last}/delete", CONFIRM)
    submit(client, page, f"/posts/{last}/restore", {})
    split = f"/posts/{last}/split"
    submit(client, split, split, {**CONFIRM, "title": "Offshoot", "forum_id": "1"})
    merge = f"/topics/{other.topic_id}/merge"
    submit(client, merge, merge, {**CONFIRM, "into_topic_id": str(topic.topic_id)})

    log_page = client.get("/moderation").text
    russian = client.get("/moderation", headers={"Accept-Language": "ru"}).text

    # The post was split off since: its entries link it where it is now.
    post_now = f'<a href="/posts/{last}">Offshoot</a>'
    assert f"deleted a post by alice in {post_now}" in log_page
    assert f"restored a post by alice in {post_now}" in log_page
    offshoot = board.value("SELECT id FROM topics WHERE title = 'Offshoot'")
    assert f'split topic <a href="/topics/{offshoot}">Offshoot</a> off “Busy”' in log_page
    assert f'merged “Twin” into topic <a href="/topics/{topic.topic_id}">Busy</a>' in log_page
    assert "восстановил(а) сообщение участника alice" in russian
    assert "присоединил(а) тему «Twin» к теме" in russian


def logged_action_literals() -> set[tuple[str, str]]:
    """Every (action, target type) the package writes with string literals: the actions
    of ``log_action`` calls, both branches of a conditional, and the helpers that pass
    an action on (accounts.administration's ``_change_user``)."""
    found: set[tuple[str, str]] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id == "log_action" and len(node.args) >= 4:
                action, kind = node.args[2], node.args[3]
            elif node.func.id == "_change_user" and len(node.args) >= 4:
                action, kind = node.args[3], ast.Constant("user")
            else:
                continue
            branches = [action.body, action.orelse] if isinstance(action, ast.IfExp) else [action]
            for branch in branches:
                if isinstance(branch, ast.Constant) and isinstance(kind, ast.Constant):
                    found.add((str(branch.value), str(kind.value)))
    return found


def test_every_action_the_code_writes_has_a_sentence() -> None:
    written = logged_action_literals()

    assert ("merge", "topic") in written and ("set role", "user") in written
    assert [pair for pair in written if sentence_for(*pair) is None] == []


@pytest.mark.parametrize("key", sorted(SENTENCES))
def test_every_sentence_is_translated_into_russian(key: str) -> None:
    english = SENTENCES[key]
    russian = translations_for("ru").gettext(english)

    assert russian != english
    assert set(_placeholders(russian)) == set(_placeholders(english))


def _placeholders(text: str) -> list[str]:
    return [part.split(")")[0] for part in text.split("%(")[1:]]


def test_an_action_without_a_sentence_is_refused(board: Board) -> None:
    async def write() -> None:
        async with aiosqlite.connect(board.settings.database_path) as connection:
            await log_action(connection, board.admin.id, "frobnicate", "topic", 1)

    with pytest.raises(ValueError, match="no sentence for 'frobnicate'"):
        asyncio.run(write())
    assert board.rows("SELECT id FROM moderation_log") == []


def test_features_tell_their_own_actions_without_the_forum_importing_them() -> None:
    forum_sources = (PACKAGE / "forum" / "log_sentences.py").read_text(encoding="utf-8")

    assert "tinypier.torrents" not in forum_sources and "tinypier.polls" not in forum_sources
    assert sentence_for("release_status", "torrent") is not None
    assert sentence_for("close_poll", "topic") is not None
    assert "release_status" in CHANGE_LABELS


def test_a_second_sentence_for_a_registered_action_is_refused() -> None:
    with pytest.raises(ValueError, match="'close_poll' already has another sentence"):
        register_actions({"close_poll": "%(actor)s shut %(target)s"})
    register_actions({"close_poll": SENTENCES["close_poll"]})  # the same again is harmless
