"""Signatures: a small BBCode subset, a length limit, shown under posts unless the reader
hides them, and never a way to put script or interface words on a page."""

from __future__ import annotations

import re

import pytest

from tests.forum.conftest import Board, Client, log_in, seed_topic, submit
from tinypier.forum.bbcode import render_signature

EDIT = "/profile"
SAVE = "/profile/signature"
# An event handler inside a real tag (escaped text such as "&lt;img onerror=" is harmless).
EVENT_ATTRIBUTE = re.compile(r"<[a-z]+\b[^>]*\son[a-z]+=", re.IGNORECASE)


def stored_signature(board: Board, member_id: int) -> tuple[str, str] | None:
    rows = board.rows(
        "SELECT signature, signature_html FROM profiles WHERE user_id = ?", (member_id,)
    )
    return (str(rows[0][0]), str(rows[0][1])) if rows else None


def test_a_signature_is_shown_under_the_members_posts(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Signed", replies=1)
    log_in(client, board.user)

    response = submit(client, EDIT, SAVE, {"signature": "[b]Seed[/b] what you [i]take[/i]"})

    assert response.status_code == 303
    page = client.get(f"/topics/{topic.topic_id}").text
    assert page.count('<div class="signature"><strong>Seed</strong> what you <em>take</em>') == 2


def test_tags_outside_the_subset_stay_text() -> None:
    html = render_signature(
        "[img]https://example.com/huge.png[/img][quote]q[/quote][size=7]big[/size][code]c[/code]"
    )

    assert "<img" not in html and "<blockquote" not in html and "<pre" not in html
    assert "[quote]q[/quote]" in html and "[size=7]big[/size]" in html


def test_the_stored_html_holds_no_interface_words(client: Client, board: Board) -> None:
    """A quote would store a marker for "wrote:"; signatures have no quotes at all."""
    log_in(client, board.user)
    submit(client, EDIT, SAVE, {"signature": "[quote=bob]hi[/quote] [spoiler]x[/spoiler]"})

    stored = stored_signature(board, board.user.id)
    assert stored is not None
    assert "<cite" not in stored[1] and "<summary" not in stored[1]


def test_a_too_long_signature_is_refused_and_nothing_changes(client: Client, board: Board) -> None:
    log_in(client, board.user)
    submit(client, EDIT, SAVE, {"signature": "The old one"})
    too_long = "x" * (board.settings.signature_max_chars + 1)

    response = submit(client, EDIT, SAVE, {"signature": too_long})

    assert response.status_code == 400
    assert f"at most {board.settings.signature_max_chars} characters" in response.text
    assert too_long in response.text, "what was typed is kept in the form"
    assert stored_signature(board, board.user.id) == ("The old one", "The old one")


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[url=javascript:alert(1)]click[/url]",
        '[color=red" onmouseover="alert(1)]x[/color]',
        '[url=https://e.com/" onclick="alert(1)]x[/url]',
        "[b]<img src=x onerror=alert(1)>[/b]",
    ],
)
def test_hostile_signatures_carry_no_script(client: Client, board: Board, hostile: str) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Hostile")
    log_in(client, board.user)
    submit(client, EDIT, SAVE, {"signature": hostile})

    pages = [client.get(f"/topics/{topic.topic_id}").text, client.get(EDIT).text,
             client.get(f"/members/{board.user.id}").text]  # fmt: skip

    for page in pages:
        signature_parts = page.split('<div class="signature">')[1:]
        assert signature_parts, "the signature is shown"
        for part in signature_parts:
            shown = part.split("</div>")[0]
            assert "<script" not in shown and "<img" not in shown and "javascript:" not in shown
            assert not EVENT_ATTRIBUTE.search(shown), shown


def test_a_reader_may_hide_signatures(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Quiet please")
    log_in(client, board.user)
    submit(client, EDIT, SAVE, {"signature": "Loud signature"})
    client.cookies.clear()
    log_in(client, board.other_user)
    assert "Loud signature" in client.get(f"/topics/{topic.topic_id}").text

    response = submit(client, "/settings", "/settings/preferences", {"hide_signatures": "1"})

    assert response.status_code == 303
    assert "Loud signature" not in client.get(f"/topics/{topic.topic_id}").text
    assert board.value("SELECT hide_signatures FROM users WHERE id = ?", (board.other_user.id,))
    submit(client, "/settings", "/settings/preferences", {})
    assert "Loud signature" in client.get(f"/topics/{topic.topic_id}").text
