"""Search finds what the searcher may read, marks the matches, and survives any input."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import Board, add_reply, add_topic, build_board, sql
from tests.helpers import csrf_token, login
from tinypier.forum import search
from tinypier.forum.bbcode import render_bbcode
from tinypier.forum.search import fts_query
from tinypier.settings import Settings

Client = TestClient[Litestar]


@pytest.fixture
def board(client: Client, settings: Settings) -> Board:
    return build_board(settings)


def result_links(client: Client, **params: str | int) -> list[str]:
    response = client.get("/search", params=params)
    assert response.status_code == 200
    return re.findall(r'<h2><a href="(/posts/\d+)">', response.text)


def link(post_id: int) -> str:
    return f"/posts/{post_id}"


def test_finds_a_post_by_a_word_of_its_body(
    client: Client, settings: Settings, board: Board
) -> None:
    post = add_topic(settings, board.lobby, board.alice, "Weekly thread", "the quick marmalade fox")
    add_topic(settings, board.lobby, board.alice, "Other thread", "nothing to see")

    assert result_links(client, q="marmalade") == [link(post.post_id)]


def test_a_title_word_lists_its_topic_once(
    client: Client, settings: Settings, board: Board
) -> None:
    topic = add_topic(settings, board.lobby, board.alice, "Ubuntu install party", "bring a laptop")
    reply = add_reply(settings, topic, board.bob, "I will come")

    assert result_links(client, q="ubuntu") == [link(reply.post_id)]
    assert result_links(client, q="ubuntu", sort="relevance") == [link(topic.post_id)]


def test_results_come_newest_first_or_best_match_first(
    client: Client, settings: Settings, board: Board
) -> None:
    strong = add_topic(settings, board.lobby, board.alice, "Violin", "violin violin, the violin")
    weak = add_topic(
        settings, board.lobby, board.bob, "Misc", "a violin somewhere in a long sentence on music"
    )

    assert result_links(client, q="violin") == [link(weak.post_id), link(strong.post_id)]
    best_first = [link(strong.post_id), link(weak.post_id)]
    assert result_links(client, q="violin", sort="relevance") == best_first
    assert result_links(client, q="violin", sort="bogus") == result_links(client, q="violin")


def test_finds_a_reply_whose_words_are_split_between_title_and_body(
    client: Client, settings: Settings, board: Board
) -> None:
    topic = add_topic(settings, board.lobby, board.alice, "Debian questions", "ask here")
    reply = add_reply(settings, topic, board.bob, "how do I configure apt pinning")

    assert result_links(client, q="debian pinning") == [link(reply.post_id)]


def test_every_word_must_match(client: Client, settings: Settings, board: Board) -> None:
    add_topic(settings, board.lobby, board.alice, "Gardening", "tomatoes and basil")

    assert result_links(client, q="tomatoes cucumbers") == []


def test_forum_filter_keeps_only_that_forum(
    client: Client, settings: Settings, board: Board
) -> None:
    login(client, board.alice.name)
    in_lobby = add_topic(settings, board.lobby, board.alice, "Lobby news", "zeppelin")
    in_lounge = add_topic(settings, board.members_only, board.alice, "Lounge news", "zeppelin")

    assert result_links(client, q="zeppelin", forum=board.lobby) == [link(in_lobby.post_id)]
    assert len(result_links(client, q="zeppelin", forum="", author="")) == 2
    assert result_links(client, q="zeppelin", forum=board.members_only) == [link(in_lounge.post_id)]
    assert len(result_links(client, q="zeppelin")) == 2


def test_author_filter_keeps_only_that_members_posts(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.lobby, board.alice, "Alice says", "harmonica lessons")
    by_bob = add_topic(settings, board.lobby, board.bob, "Bob says", "harmonica repairs")

    assert result_links(client, q="harmonica", author="BOB") == [link(by_bob.post_id)]
    login(client, board.alice.name)
    unknown = client.get("/search", params={"q": "harmonica", "author": "nobody"})
    assert "No member is called" in unknown.text
    assert "/posts/" not in unknown.text


@pytest.mark.parametrize("words", ["", "harmonica"])
def test_guests_cannot_tell_a_members_name_from_a_made_up_one(
    client: Client, settings: Settings, board: Board, words: str
) -> None:
    """Guests may not list members, so the author filter must not answer "is there a
    member called X?": a member with no post a guest can read, and a name nobody has,
    give the same page."""
    add_topic(settings, board.staff_only, board.moderator, "Staff notes", "harmonica tuning")
    name = board.moderator.name
    made_up = name[:-1] + ("x" if name[-1] != "x" else "y")

    def page_for(author: str) -> str:
        response = client.get("/search", params={"q": words, "author": author})
        assert response.status_code == 200
        return response.text.replace(author, "AUTHOR")

    assert page_for(name) == page_for(made_up)


def test_guests_never_see_posts_of_member_or_staff_forums(
    client: Client, settings: Settings, board: Board
) -> None:
    public = add_topic(settings, board.lobby, board.alice, "Open", "saxophone public")
    add_topic(settings, board.members_only, board.alice, "Lounge", "saxophone members")
    add_topic(settings, board.staff_only, board.moderator, "Staff", "saxophone staff")

    assert result_links(client, q="saxophone") == [link(public.post_id)]
    assert result_links(client, q="saxophone", forum=board.staff_only) == []
    assert "Staff room" not in client.get("/search").text


def test_members_see_member_forums_but_not_staff_forums(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.lobby, board.alice, "Open", "saxophone public")
    add_topic(settings, board.members_only, board.alice, "Lounge", "saxophone members")
    staff = add_topic(settings, board.staff_only, board.moderator, "Staff", "saxophone staff")

    login(client, board.bob.name)
    assert len(result_links(client, q="saxophone")) == 2
    assert link(staff.post_id) not in result_links(client, q="saxophone staff")


def test_moderators_find_staff_posts(client: Client, settings: Settings, board: Board) -> None:
    staff = add_topic(settings, board.staff_only, board.moderator, "Staff", "saxophone staff")

    login(client, board.moderator.name)
    assert result_links(client, q="saxophone staff") == [link(staff.post_id)]


def test_snippet_marks_the_match_and_escapes_the_posts_html(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(
        settings,
        board.lobby,
        board.alice,
        "Security <b>notes</b>",
        "careful with <script>alert('xss')</script> in a [b]kettle[/b] & more",
    )

    page = client.get("/search", params={"q": "kettle"}).text
    hit = page[page.index('class="card search-hit"') :]
    hit = hit[: hit.index("</li>")]
    assert "<mark>kettle</mark>" in hit
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in hit
    assert "<script>" not in hit
    assert "[b]" not in hit
    assert "Security &lt;b&gt;notes&lt;/b&gt;" in hit
    ET.fromstring(f"<li>{hit.split('>', 1)[1]}</li>".replace("&", "&amp;"))


def test_an_edited_post_is_found_by_its_new_words_only(
    client: Client, settings: Settings, board: Board
) -> None:
    post = add_topic(settings, board.lobby, board.alice, "Recipe", "use butter")
    new_body = "use margarine"
    sql(
        settings,
        "UPDATE posts SET body = ?, body_html = ?, edited_at = 1 WHERE id = ?",
        (new_body, render_bbcode(new_body), post.post_id),
    )

    assert result_links(client, q="butter") == []
    assert result_links(client, q="margarine") == [link(post.post_id)]


def test_a_renamed_topic_is_found_by_its_new_title(
    client: Client, settings: Settings, board: Board
) -> None:
    topic = add_topic(settings, board.lobby, board.alice, "Old name", "content")
    sql(settings, "UPDATE topics SET title = 'Shiny name' WHERE id = ?", (topic.topic_id,))

    assert result_links(client, q="old name") == []
    assert result_links(client, q="shiny") == [link(topic.post_id)]


def test_a_topic_moved_to_a_staff_forum_disappears_for_guests(
    client: Client, settings: Settings, board: Board
) -> None:
    topic = add_topic(settings, board.lobby, board.alice, "Leak", "confidential plans")
    sql(settings, "UPDATE topics SET forum_id = ? WHERE id = ?", (board.staff_only, topic.topic_id))

    assert result_links(client, q="confidential") == []


def test_deleted_posts_topics_and_forums_disappear(
    client: Client, settings: Settings, board: Board
) -> None:
    topic = add_topic(settings, board.lobby, board.alice, "Doomed", "ephemeral words")
    reply = add_reply(settings, topic, board.bob, "ephemeral reply")
    kept = add_topic(settings, board.members_only, board.alice, "Kept", "ephemeral kept")

    sql(settings, "DELETE FROM posts WHERE id = ?", (reply.post_id,))
    assert result_links(client, q="ephemeral reply") == []
    sql(settings, "DELETE FROM topics WHERE id = ?", (topic.topic_id,))
    assert result_links(client, q="ephemeral") == []
    sql(settings, "DELETE FROM forums WHERE id = ?", (board.members_only,))
    login(client, board.alice.name)
    assert result_links(client, q="ephemeral") == []
    assert kept.post_id not in [row[0] for row in sql(settings, "SELECT id FROM posts")]
    sql(settings, "INSERT INTO post_search (post_search, rank) VALUES ('integrity-check', 1)")


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        "*",
        "NEAR(",
        "a OR b",
        "((a)",
        "a)",
        "title:x",
        "^a",
        "-a",
        "a AND",
        "'; DROP TABLE posts; --",
        "\x00",
        "ॐ",
        "x" * 1000,
        "word " * 300,
    ],
)
def test_hostile_queries_are_only_words(
    client: Client, settings: Settings, board: Board, hostile: str
) -> None:
    add_topic(settings, board.lobby, board.alice, "Anything", "a b x word title")

    response = client.get("/search", params={"q": hostile})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "bad",
    [
        {"page": "0"},
        {"page": "99999999999999999999"},
        {"forum": "-1"},
        {"forum": "99999999999999999999"},
        {"forum": "abc"},
    ],
)
def test_hostile_parameters_are_refused_not_crashed(client: Client, bad: dict[str, str]) -> None:
    assert client.get("/search", params={"q": "word", **bad}).status_code == 400


def test_queries_hold_no_fts_syntax() -> None:
    """Operators are words; only a closed pair of quotes and a trailing star mean anything."""
    stems, words = "{title_stems body_stems}", "{title_words body_words}"
    assert fts_query('NEAR(a b) OR "c*') == (
        f'{stems} : "near" {stems} : "a" {stems} : "b" {stems} : "or" {words} : "c" *'
    )
    assert fts_query('"a) OR (b" x*y') == f'{words} : "a or b" {stems} : "x" {stems} : "y"'
    assert fts_query("  ** ()  ") is None
    assert fts_query("") is None


def test_results_are_paginated(client: Client, settings: Settings, board: Board) -> None:
    topics = [
        add_topic(settings, board.lobby, board.alice, f"T{n}", "pagination") for n in range(23)
    ]

    first = client.get("/search", params={"q": "pagination"}).text
    second = client.get("/search", params={"q": "pagination", "page": 2}).text

    found = set(re.findall(r'<h2><a href="(/posts/\d+)">', first + second))
    assert found == {link(topic.post_id) for topic in topics}
    assert 'rel="next"' in first and 'rel="next"' not in second
    assert 'rel="prev"' in second


def test_only_the_newest_matches_are_ranked(
    client: Client, settings: Settings, board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = add_topic(settings, board.lobby, board.alice, "Old", "lantern lantern lantern")
    newer = [add_topic(settings, board.lobby, board.bob, f"New {n}", "lantern") for n in range(2)]
    monkeypatch.setattr(search, "MAX_CANDIDATES", 2)

    best_first = result_links(client, q="lantern", sort="relevance")
    assert sorted(best_first) == sorted(link(topic.post_id) for topic in newer)
    assert link(old.post_id) not in best_first


def test_edits_and_deletions_made_on_the_forum_pages_reach_the_index(
    client: Client, settings: Settings, board: Board
) -> None:
    topic = add_topic(settings, board.lobby, board.alice, "Kettle corner", "a copper kettle")
    reply = add_reply(settings, topic, board.bob, "a brass teapot")

    login(client, board.alice.name)
    form = client.get(f"/posts/{topic.post_id}/edit").text
    edited = client.post(
        f"/posts/{topic.post_id}/edit",
        data={
            "_csrf_token": csrf_token(form),
            "title": "Samovar corner",
            "body": "an iron samovar",
        },
        follow_redirects=False,
    )
    assert edited.status_code == 303
    assert result_links(client, q="copper") == []
    assert result_links(client, q="kettle") == []
    assert result_links(client, q="iron samovar") == [link(topic.post_id)]
    assert result_links(client, q="samovar teapot") == [link(reply.post_id)]

    login(client, board.moderator.name)
    token = csrf_token(client.get(f"/topics/{topic.topic_id}").text)
    client.post(f"/posts/{reply.post_id}/delete", data={"_csrf_token": token, "confirm": "yes"})
    assert result_links(client, q="teapot") == []
    client.post(f"/topics/{topic.topic_id}/delete", data={"_csrf_token": token, "confirm": "yes"})
    assert result_links(client, q="samovar") == []
    sql(settings, "INSERT INTO post_search (post_search, rank) VALUES ('integrity-check', 1)")


def test_a_busy_topic_does_not_crowd_other_topics_off_the_first_page(
    client: Client, settings: Settings, board: Board
) -> None:
    older = [
        add_topic(settings, board.lobby, board.alice, f"Topic {n}", "a kettle story")
        for n in range(search.PAGE_SIZE + 1)
    ]
    busy = add_topic(settings, board.lobby, board.bob, "Busy", "kettle")
    newest_reply = busy
    for _ in range((search.PAGE_SIZE + 1) * search.PREFIX_FACTOR):
        newest_reply = add_reply(settings, busy, board.bob, "kettle again")

    first_page = result_links(client, q="kettle")

    older_newest_first = [link(topic.post_id) for topic in reversed(older)]
    assert first_page == [link(newest_reply.post_id), *older_newest_first[: search.PAGE_SIZE - 1]]
    assert result_links(client, q="kettle", page=2) == older_newest_first[search.PAGE_SIZE - 1 :]
