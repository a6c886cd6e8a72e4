"""Search understands Russian and English word forms, and stays exact when asked to.

A plain word finds every form of itself (``фильма`` finds "Фильм", ``running`` finds
"run"), ``ё`` and ``е`` are one letter, a ``"quoted phrase"`` and a ``prefix*`` match the
words as written, and the result page marks the words the member wrote, whatever form
was searched. Posts, topic titles and the tracker listing's title search all behave so.
"""

from __future__ import annotations

import re
import sqlite3

import hypothesis
import hypothesis.strategies as st
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import Board, add_forum, add_release, add_topic, build_board, sql
from tests.helpers import login
from tinypier.db.connection import connect_sync
from tinypier.forum.search import fts_query
from tinypier.forum.search_terms import first_match, parse_terms
from tinypier.settings import Settings
from tinypier.torrents.listing import fts_query as listing_query
from tinypier.word_forms import iter_words, rebuild_search_index, stems_text, words_text

Client = TestClient[Litestar]


@pytest.fixture
def board(client: Client, settings: Settings) -> Board:
    return build_board(settings)


def found(client: Client, query: str) -> list[str]:
    """The titles of the search hits, as the page shows them (marks removed)."""
    page = client.get("/search", params={"q": query}).text
    titles = re.findall(r'<h2><a href="/posts/\d+">(.*?)</a>', page, re.DOTALL)
    return [title.replace("<mark>", "").replace("</mark>", "") for title in titles]


def snippets(client: Client, query: str) -> list[str]:
    page = client.get("/search", params={"q": query}).text
    return re.findall(r'<p class="snippet">(.*?)</p>', page, re.DOTALL)


@pytest.mark.parametrize("query", ["фильма", "фильмы", "фильмом", "Фильм", "ФИЛЬМОВ"])
def test_a_russian_word_finds_its_other_forms_in_titles_and_posts(
    client: Client, settings: Settings, board: Board, query: str
) -> None:
    add_topic(settings, board.lobby, board.alice, "Фильм", "Обсуждаем")
    add_topic(settings, board.lobby, board.bob, "Вечер", "смотрели новый фильм")
    add_topic(settings, board.lobby, board.bob, "Другое", "фильмотека закрыта")

    assert sorted(found(client, query)) == ["Вечер", "Фильм"]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("собаки", "приют для собак"),
        ("ёлка", "зелёная елка"),
        ("елка", "наряжаем ёлку"),
        ("зеленая", "зелёная елка"),
        ("running", "we run daily"),
        ("runs", "running shoes"),
        ("cities", "one city"),
    ],
)
def test_word_forms_and_the_letter_yo(
    client: Client, settings: Settings, board: Board, query: str, text: str
) -> None:
    add_topic(settings, board.lobby, board.alice, "Тема", text)
    add_topic(settings, board.lobby, board.alice, "Noise", "nothing of the kind")

    assert found(client, query) == ["Тема"]


def test_a_quoted_phrase_matches_only_those_words_in_that_order(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.lobby, board.alice, "Exact", "собака бегает быстро")
    add_topic(settings, board.lobby, board.alice, "Forms", "собаки бегают быстро")
    add_topic(settings, board.lobby, board.alice, "Order", "бегает собака быстро")

    assert found(client, '"собака бегает"') == ["Exact"]
    assert found(client, '"Собака БЕГАЕТ"') == ["Exact"]
    assert sorted(found(client, "собака бегает")) == ["Exact", "Forms", "Order"]
    assert found(client, '"running shoes"') == []


def test_a_prefix_matches_the_words_that_start_so_and_no_other_forms(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.lobby, board.alice, "Library", "фильмотека открыта")
    add_topic(settings, board.lobby, board.alice, "Runner", "a runner's diary")
    add_topic(settings, board.lobby, board.alice, "Ran", "we ran daily")

    assert found(client, "фильмо*") == ["Library"]
    assert found(client, "фильм") == []
    assert found(client, "runn*") == ["Runner"]
    assert found(client, "running*") == []


def test_the_snippet_marks_the_words_as_the_member_wrote_them(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(
        settings, board.lobby, board.alice, "Кино", "Вчера [b]Фильмы[/b] смотрели; <ФИЛЬМОМ> & всё"
    )

    assert snippets(client, "фильм") == [
        "Вчера <mark>Фильмы</mark> смотрели; &lt;<mark>ФИЛЬМОМ</mark>&gt; &amp; всё"
    ]
    assert snippets(client, '"смотрели фильмом"') == [
        "Вчера Фильмы <mark>смотрели</mark>; &lt;<mark>ФИЛЬМОМ</mark>&gt; &amp; всё"
    ]
    assert snippets(client, "фильмо*") == [
        "Вчера Фильмы смотрели; &lt;<mark>ФИЛЬМОМ</mark>&gt; &amp; всё"
    ]


def test_a_word_without_its_accents_finds_and_marks_the_accented_one(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.lobby, board.alice, "Breakfast", "Café au lait, naïvely")

    assert snippets(client, "cafe naive") == ["<mark>Café</mark> au lait, <mark>naïvely</mark>"]


def test_a_title_found_by_another_form_is_marked(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.lobby, board.alice, "Лучшие ФИЛЬМЫ года", "список")

    page = client.get("/search", params={"q": "фильма"}).text

    assert "Лучшие <mark>ФИЛЬМЫ</mark> года" in page


def test_word_forms_never_reach_into_a_forum_the_searcher_may_not_view(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.staff_only, board.moderator, "Секретные фильмы", "тайные собаки")
    add_topic(settings, board.members_only, board.bob, "Закрытые фильмы", "клубные собаки")

    for query in ("фильм", "собака", '"тайные собаки"', "секрет*"):
        page = client.get("/search", params={"q": query}).text
        assert "Секретные" not in page and "Закрытые" not in page, query
        assert "<mark>" not in page, query
    login(client, board.alice.name)
    assert found(client, "фильм") == ["Закрытые фильмы"]


def test_the_tracker_listing_finds_release_titles_by_word_forms_and_prefixes(
    client: Client, settings: Settings, board: Board
) -> None:
    films = add_forum(settings, "Кино", releases=True)
    hidden = add_forum(settings, "Архив", view_role="moderator", releases=True)
    for forum, title in [(films, "Лучшие фильмы"), (films, "Зелёная ёлка"), (hidden, "Фильм")]:
        add_release(
            settings, add_topic(settings, forum, board.alice, title, "релиз"), board.alice, 1
        )

    def listed(query: str) -> list[str]:
        page = client.get("/tracker", params={"q": query}).text
        return re.findall(r'<a href="/torrents/\d+-[a-z0-9-]+">([^<]+)</a>', page)

    assert listed("фильма") == ["Лучшие фильмы"]
    assert listed("фильм") == ["Лучшие фильмы"]
    assert listed("лучш фил") == ["Лучшие фильмы"]
    assert listed("елки") == ["Зелёная ёлка"]
    assert listed("зеле") == ["Зелёная ёлка"]
    sql(settings, "INSERT INTO release_titles (release_titles, rank) VALUES ('integrity-check', 1)")


def test_the_indexed_forms_keep_one_word_for_each_word_written() -> None:
    text = "Ёлки-палки, İstanbul's CAFÉ e\u0301te_2 фильмами!"

    assert words_text(text) == "елки палки istanbul s cafe ete 2 фильмами"
    assert stems_text(text) == "елк палк istanbul s cafe ete 2 фильм"
    assert words_text(None) is None and stems_text("") == ""


def test_rebuilding_the_index_restores_a_lost_one(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.lobby, board.alice, "Фильм", "про собак")
    sql(settings, "INSERT INTO post_search (post_search) VALUES ('delete-all')")
    sql(settings, "INSERT INTO release_titles (release_titles) VALUES ('delete-all')")
    assert found(client, "собаки") == []

    connection = connect_sync(settings.database_path)
    try:
        rebuild_search_index(connection)
    finally:
        connection.close()

    assert found(client, "собаки") == ["Фильм"]
    sql(settings, "INSERT INTO post_search (post_search, rank) VALUES ('integrity-check', 1)")


def test_a_snippet_reads_a_long_post_no_further_than_it_shows() -> None:
    body = "кот " * 5 + "Фильмы " + "слово " * 100_000
    rest = iter_words(body)

    read = first_match(parse_terms("фильм", max_words=12), rest, after=33)

    assert [word.form for word in read[4:7]] == ["кот", "фильмы", "слово"]
    assert len(read) == 5 + 33
    assert next(rest).form == "слово"


QUERY_CHARACTERS = st.sampled_from('"*(){}:^-+ORANDNEAR ёЁйİß\u0301_x1')


@hypothesis.given(st.text(alphabet=QUERY_CHARACTERS, max_size=40))
@hypothesis.settings(max_examples=300, deadline=None)
def test_whatever_is_typed_makes_a_query_fts5_accepts(text: str) -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE post_search USING fts5(title UNINDEXED, body UNINDEXED,"
        " title_words, body_words, title_stems, body_stems)"
    )
    connection.execute(
        "CREATE VIRTUAL TABLE release_titles USING fts5(title UNINDEXED, title_words, title_stems)"
    )
    for table, query in (("post_search", fts_query(text)), ("release_titles", listing_query(text))):
        if query is not None:
            connection.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (query,))
