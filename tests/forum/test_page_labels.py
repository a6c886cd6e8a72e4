"""Labels read as words: the members list's sort controls and a topic's status labels.

Jinja's block trimming used to glue them together: the sort links read
"namejoinedpostsuploaded" and a pinned, locked topic "Sticky:[locked]". Each is now an
element of its own, parted by white space, in the reader's language.
"""

from __future__ import annotations

import re

import pytest

from tests.forum.conftest import Board, Client, log_in, seed_topic, submit

RUSSIAN = {"Accept-Language": "ru"}


def visible_text(html: str) -> str:
    """The text a browser shows for a fragment, white space collapsed."""
    return " ".join(re.sub(r"<[^>]*>", "", html).split())


def fragment(page: str, start: str, end: str) -> str:
    opened = page.index(start)
    return page[opened : page.index(end, opened)]


def test_member_sort_controls_are_separate_labelled_links(client: Client, board: Board) -> None:
    log_in(client, board.user)

    page = client.get("/members?sort=posts").text
    controls = fragment(page, '<nav class="member-sort"', "</nav>")

    assert visible_text(controls) == "Sort by: name joined posts uploaded"
    assert 'aria-labelledby="member-sort-label"' in controls
    assert controls.count("<li>") == 4
    assert '<strong aria-current="true">posts</strong>' in controls


@pytest.mark.parametrize(
    ("headers", "labels"),
    [({}, "Sticky Locked"), (RUSSIAN, "Прилеплена Закрыта")],
)
def test_a_topics_status_labels_are_separate_words(
    client: Client, board: Board, headers: dict[str, str], labels: str
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Rules")
    page = f"/topics/{topic.topic_id}"
    log_in(client, board.moderator)
    assert submit(client, page, f"{page}/pin", {"pin": "sticky"}).status_code == 303
    assert submit(client, page, f"{page}/lock", {}).status_code == 303

    listing = client.get(f"/forums/{board.public_forum}", headers=headers).text
    row = fragment(listing, '<tr class="topic pinned', "</a>")

    assert visible_text(row) == f"{labels} Rules"
    assert "[" not in row
