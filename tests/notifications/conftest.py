"""The forum tests' small board (``tests.forum.conftest.board``), with members who write
through the real forms, and a look at the notices each member has."""

from __future__ import annotations

import re

import httpx

from tests.forum.conftest import Board, Client, log_in, submit
from tests.forum.conftest import board as board
from tests.helpers import Member

_TOPIC = re.compile(r"^/topics/(\d+)")


def become(client: Client, member: Member) -> None:
    client.cookies.clear()
    log_in(client, member)


def start_topic(client: Client, forum_id: int, title: str, body: str = "Opening words") -> int:
    """A topic started through the form by whoever the client is logged in as."""
    page = f"/forums/{forum_id}/new"
    response = submit(client, page, page, {"title": title, "body": body})
    assert response.status_code == 303, response.text
    match = _TOPIC.match(response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def reply(client: Client, topic_id: int, body: str) -> httpx.Response:
    page = f"/topics/{topic_id}/reply"
    response = submit(client, page, page, {"body": body})
    assert response.status_code == 303, response.text
    return response


def press(client: Client, page: str, action: str) -> httpx.Response:
    """A button of a page: the page's CSRF token, an empty form."""
    return submit(client, page, action, {})


def notices(board: Board, member: Member) -> list[tuple[str, int]]:
    """(kind, count) of the member's notices, oldest first."""
    return [
        (str(kind), int(count))
        for kind, count in board.rows(
            "SELECT kind, count FROM notifications WHERE user_id = ? ORDER BY id", (member.id,)
        )
    ]


def badge(client: Client) -> int:
    """The number the header's notifications badge shows on the front page (0: none)."""
    html = client.get("/").text
    match = re.search(r'class="badge notifications-badge"[^>]*>(\d+)<', html)
    return int(match.group(1)) if match else 0
