"""Stored post HTML holds no interface words; the pages and feeds add them when they show it.

A board read in Russian must not show "alice wrote:" over a quote because the post was
stored in English. The words come from ``tinypier.forum.post_words`` at display time,
through one filter, and members cannot forge the markers that filter fills in.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tinypier.forum import post_words
from tinypier.forum.bbcode import (
    QUOTE_AUTHOR_CLASS,
    UNTITLED_SPOILER_CLASS,
    render_bbcode,
    sanitize_html,
)
from tinypier.forum.post_words import with_post_words

from .conftest import Board, log_in, seed_topic, submit

Client = TestClient[Litestar]
QUOTE_AND_SPOILERS = (
    "[quote=alice]Ripe plums[/quote][spoiler]The butler[/spoiler][spoiler=Plot]x[/spoiler]"
)
INTERFACE_WORDS = ("wrote", "Spoiler")
RUSSIAN_QUOTE_HEADER = "%(author)s писал(а):"
ATOM_CONTENT = "{http://www.w3.org/2005/Atom}content"


def russian(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand in for the i18n layer: route the words' hook to a Russian catalog."""
    catalog = {"%(author)s wrote:": RUSSIAN_QUOTE_HEADER, "Spoiler": "Спойлер"}
    monkeypatch.setattr(post_words, "_", catalog.__getitem__)


def stored_html(board: Board, post_id: int) -> str:
    html: str = board.value("SELECT body_html FROM posts WHERE id = ?", (post_id,))
    return html


def test_rendered_quotes_and_spoilers_hold_no_interface_words() -> None:
    html = render_bbcode(QUOTE_AND_SPOILERS)

    assert not any(word in html for word in INTERFACE_WORDS)
    assert '<cite class="bb-quote-author">alice</cite>' in html
    assert '<summary class="bb-spoiler-untitled"></summary>' in html
    assert "<summary>Plot</summary>" in html


def test_a_posted_quote_and_spoiler_are_stored_neutral_and_shown_with_words(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Plums")
    log_in(client, board.other_user)
    form = f"/topics/{topic.topic_id}/reply"
    submit(client, form, form, {"body": QUOTE_AND_SPOILERS})
    reply_id = board.value("SELECT MAX(id) FROM posts")

    page = client.get(f"/topics/{topic.topic_id}").text

    assert not any(word in stored_html(board, reply_id) for word in INTERFACE_WORDS)
    assert '<cite class="bb-quote-author">alice wrote:</cite>Ripe plums' in page
    assert '<summary class="bb-spoiler-untitled">Spoiler</summary>The butler' in page
    assert "<summary>Plot</summary>" in page


def test_the_topic_page_preview_and_feed_take_the_words_from_the_one_hook(
    client: Client, board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Plums")
    log_in(client, board.other_user)
    form = f"/topics/{topic.topic_id}/reply"
    submit(client, form, form, {"body": QUOTE_AND_SPOILERS})
    russian(monkeypatch)

    page = client.get(f"/topics/{topic.topic_id}").text
    preview = submit(client, form, form, {"body": QUOTE_AND_SPOILERS, "preview": "1"}).text
    new_topic = f"/forums/{board.public_forum}/new"
    submit(client, new_topic, new_topic, {"title": "Quoting", "body": QUOTE_AND_SPOILERS})
    feed = ET.fromstring(client.get(f"/feeds/forums/{board.public_forum}.atom").content)
    newest_entry_html = feed.findtext(f".//{ATOM_CONTENT}") or ""

    for shown in (page, preview, newest_entry_html):
        assert RUSSIAN_QUOTE_HEADER % {"author": "alice"} + "</cite>" in shown
        assert ">Спойлер</summary>" in shown
        assert "wrote:" not in shown and "Spoiler</summary>" not in shown


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


FORGERIES = [
    '<cite class="bb-quote-author">mallory</cite>',
    '<summary class="bb-spoiler-untitled"></summary>',
    '[code]<cite class="bb-quote-author">mallory</cite>[/code]',
    '[size=1 class="bb-quote-author"]mallory[/size]',
    "[color=bb-quote-author]mallory[/color]",
    '[url=https://a.example/"><cite class="bb-quote-author">m</cite>]x[/url]',
    '[img]https://a.example/"><summary class="bb-spoiler-untitled"></summary>[/img]',
    '[list=1" class="bb-spoiler-untitled][*]x[/list]',
    '[spoiler=" class="bb-spoiler-untitled"]x[/spoiler]',
]


@pytest.mark.parametrize("source", FORGERIES)
def test_members_cannot_forge_the_markers_the_words_fill(source: str) -> None:
    shown = with_post_words(render_bbcode(source))
    elements = Elements()
    elements.feed(shown)

    markers = {QUOTE_AUTHOR_CLASS, UNTITLED_SPOILER_CLASS}
    assert [tag for tag, attrs in elements.tags if attrs.get("class") in markers] == []
    assert "wrote:" not in shown and ">Spoiler<" not in shown


def test_a_quote_author_stays_text_in_its_header() -> None:
    shown = with_post_words(render_bbcode('[quote="<img src=x onerror=alert(1)>"]q[/quote]'))
    elements = Elements()
    elements.feed(shown)

    assert [tag for tag, _attrs in elements.tags] == ["blockquote", "cite"]
    assert "&lt;img src=x onerror=alert(1)&gt; wrote:</cite>" in shown


def test_the_sanitizer_keeps_the_marker_classes_on_their_tags_only() -> None:
    cleaned = sanitize_html(
        '<cite class="bb-quote-author evil">a</cite><summary class="bb-spoiler-untitled x">'
        '</summary><cite class="other">b</cite><summary class="bb-quote-author">c</summary>'
    )

    assert cleaned.count('class="bb-quote-author"') == 1
    assert cleaned.count('class="bb-spoiler-untitled"') == 1
    assert "evil" not in cleaned and "other" not in cleaned
