"""The marked title and snippet of each hit: its own text, escaped, matches in ``<mark>``.

The statement that finds the page's hits also reads their text, and the matched words
are marked in it afterwards. These tests hold the marking to the same rules as the
finding: every hit is marked, with its own text only, and nothing the searcher may not
view is read into the page.
"""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import Board, add_reply, add_topic, build_board
from tinypier.settings import Settings

Client = TestClient[Litestar]


@pytest.fixture
def board(client: Client, settings: Settings) -> Board:
    return build_board(settings)


def hits(client: Client, **params: str | int) -> dict[str, str]:
    """Each hit's HTML (title, details and snippet), by its post link."""
    page = client.get("/search", params=params).text
    items = re.findall(r'<li class="card search-hit">(.*?)</li>', page, re.DOTALL)
    return {re.findall(r'<a href="(/posts/\d+)">', item)[0]: item for item in items}


def snippet(hit: str) -> str:
    return str(re.findall(r'<p class="snippet">(.*?)</p>', hit, re.DOTALL)[0])


def test_every_hit_of_a_best_match_page_is_marked_with_its_own_text(
    client: Client, settings: Settings, board: Board
) -> None:
    bodies = ["quince alpha", "quince quince beta", "quince gamma", "quince quince quince delta"]
    posts = [
        add_topic(settings, board.lobby, board.alice, f"Orchard {n}", body)
        for n, body in enumerate(bodies)
    ]

    for order in ("newest", "relevance"):
        found = hits(client, q="quince", sort=order)
        assert set(found) == {f"/posts/{post.post_id}" for post in posts}
        for post, body in zip(posts, bodies, strict=True):
            marked = snippet(found[f"/posts/{post.post_id}"])
            assert marked == body.replace("quince", "<mark>quince</mark>")


def test_a_title_match_is_marked_inside_the_escaped_title(
    client: Client, settings: Settings, board: Board
) -> None:
    post = add_topic(settings, board.lobby, board.alice, "Tea <i>kettle</i> & co", "brew notes")

    hit = hits(client, q="kettle")[f"/posts/{post.post_id}"]

    assert "Tea &lt;i&gt;<mark>kettle</mark>&lt;/i&gt; &amp; co" in hit
    assert "<i>" not in hit


def test_a_long_post_shows_the_stretch_around_its_match(
    client: Client, settings: Settings, board: Board
) -> None:
    lead = " ".join(f"lead{n}" for n in range(200))
    tail = " ".join(f"tail{n}" for n in range(200))
    post = add_topic(settings, board.lobby, board.alice, "Long", f"{lead} <b>pomelo</b> {tail}")

    marked = snippet(hits(client, q="pomelo")[f"/posts/{post.post_id}"])

    assert "&lt;b&gt;<mark>pomelo</mark>&lt;/b&gt;" in marked
    assert marked.startswith("…") and marked.endswith("…")
    assert "lead0 " not in marked and "tail199" not in marked


def test_a_hidden_post_among_the_hits_is_never_read_into_the_page(
    client: Client, settings: Settings, board: Board
) -> None:
    first = add_topic(settings, board.lobby, board.alice, "Open one", "medlar first")
    add_topic(settings, board.staff_only, board.moderator, "Staff plans", "medlar secretplan")
    lounge = add_topic(settings, board.members_only, board.bob, "Lounge", "medlar loungetalk")
    add_reply(settings, lounge, board.bob, "medlar membersreply")
    last = add_topic(settings, board.lobby, board.bob, "Open two", "medlar last")

    for order in ("newest", "relevance"):
        page = client.get("/search", params={"q": "medlar", "sort": order}).text
        found = hits(client, q="medlar", sort=order)
        assert set(found) == {f"/posts/{first.post_id}", f"/posts/{last.post_id}"}
        for hidden in ("secretplan", "Staff plans", "loungetalk", "membersreply", "Lounge"):
            assert hidden not in page
