"""Search reads posts as readers see them: BBCode tags are no words, snippets are text.

A reader of ``[color=red]warning[/color]`` sees "warning", never "color"; of
``[url=https://example.org]the manual[/url]`` sees "the manual", not the address. So a
search for a tag's name finds nothing, and what a quote, a spoiler or a link shows is
found. An existing board's index, built from the BBCode source, is rebuilt when it
upgrades, exactly as ``tinypier repair search`` rebuilds it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.cli.runner import run_cli
from tests.forum.board import Board, add_topic, build_board
from tests.repair.board import legacy_board, opened
from tinypier.datadir import upgrade_database
from tinypier.forum.search import fts_query
from tinypier.post_text import post_text
from tinypier.settings import Settings

Client = TestClient[Litestar]

SEARCH_POST_TEXT_VERSION = 17
"""The migration that indexes posts as text (0017_search_post_text.sql)."""

DRESSED_UP = (
    "[color=red]warning[/color] about the [b]kettle[/b]\n"
    "[quote=boris]mind the steam[/quote]\n"
    "[url=https://example.org/guide]the manual[/url] and [img]https://pics.example/x.png[/img]\n"
    "[spoiler=Plot]the butler did it[/spoiler] [size=5]loudly[/size]"
)


@pytest.fixture
def board(client: Client, settings: Settings) -> Board:
    return build_board(settings)


def snippets(client: Client, query: str) -> list[str]:
    page = client.get("/search", params={"q": query})
    assert page.status_code == 200
    return re.findall(r'<p class="snippet">(.*?)</p>', page.text, re.DOTALL)


@pytest.mark.parametrize("tag_name", ["color", "quote", "url", "img", "spoiler", "size", "b"])
def test_a_tags_name_finds_nothing(
    client: Client, settings: Settings, board: Board, tag_name: str
) -> None:
    add_topic(settings, board.lobby, board.alice, "Tea", DRESSED_UP)

    assert snippets(client, tag_name) == []


@pytest.mark.parametrize(
    "shown", ["warning", "kettle", "boris", "steam", "manual", "plot", "butler", "loudly"]
)
def test_what_readers_see_is_found(
    client: Client, settings: Settings, board: Board, shown: str
) -> None:
    add_topic(settings, board.lobby, board.alice, "Tea", DRESSED_UP)

    assert len(snippets(client, shown)) == 1


def test_a_links_address_is_not_its_text(client: Client, settings: Settings, board: Board) -> None:
    add_topic(settings, board.lobby, board.alice, "Tea", DRESSED_UP)

    assert snippets(client, "guide") == []
    assert snippets(client, "pics") == []


def test_the_snippet_shows_text_never_tags(
    client: Client, settings: Settings, board: Board
) -> None:
    add_topic(settings, board.lobby, board.alice, "Tea", DRESSED_UP)

    [snippet] = snippets(client, "warning")

    assert snippet.startswith("<mark>warning</mark> about the kettle")
    assert "[" not in snippet and "color" not in snippet and "example" not in snippet


def test_blocks_part_words_and_inline_tags_do_not() -> None:
    """A list's items are separate words; bold in the middle of a word leaves one word."""
    html = "<ul><li>alpha</li><li>beta</li></ul><strong>sun</strong>day<br>next"

    assert post_text(html).split() == ["alpha", "beta", "sunday", "next"]


def test_escaped_text_is_read_as_the_reader_sees_it() -> None:
    assert post_text("fish &amp; chips &lt;b&gt;") == "fish & chips <b>"


def _finds(connection: sqlite3.Connection, words: str) -> list[int]:
    rows = connection.execute(
        "SELECT rowid FROM post_search WHERE post_search MATCH ? ORDER BY rowid",
        (fts_query(words),),
    )
    return [row[0] for row in rows]


def _index_terms(database: Path) -> list[tuple[str, int, str, int]]:
    """Every (term, post, column, offset) the post index holds."""
    with opened(database) as connection:
        connection.execute(
            "CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, post_search, 'instance')"
        )
        return [
            tuple(row) for row in connection.execute("SELECT * FROM temp.terms ORDER BY 1, 2, 3, 4")
        ]


def test_upgrading_reindexes_old_posts_as_repair_search_does(
    tmp_path: Path, settings: Settings
) -> None:
    settings.data_dir.mkdir(parents=True)
    quote, _plain, spoiler = legacy_board(
        settings.database_path, version=SEARCH_POST_TEXT_VERSION - 1
    )
    with opened(settings.database_path) as connection:
        assert _finds(connection, "quote") == [quote]  # the old index read the BBCode

    upgrade_database(settings)

    with opened(settings.database_path) as connection:
        assert _finds(connection, "quote") == []
        assert _finds(connection, "alice plums") == [quote]
        assert _finds(connection, "butler") == [spoiler]
        assert connection.execute("SELECT COUNT(*) FROM pending_repairs").fetchone()[0] == 0
        connection.execute(
            "INSERT INTO post_search (post_search, rank) VALUES ('integrity-check', 1)"
        )
    upgraded = _index_terms(settings.database_path)
    result = run_cli(settings.data_dir, "repair", "search")
    assert result.exit_code == 0, result.output
    assert _index_terms(settings.database_path) == upgraded
