"""No markup in a private message can run script: every vector of the forum's XSS suite
is sent as a subject, a body and a report's reason, by a member whose name is itself
hostile, and every page that shows them is parsed: the conversation, the quoting reply
form, the inbox, and the moderators' report list and report page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import sql
from tests.forum.test_xss import PAGE_SCHEMES, SCRIPT, VECTORS, assert_page_is_clean, inspect
from tests.helpers import add_member
from tests.roles import BASE_URL, csrf_token, session_for
from tinypier.accounts.sessions import SESSION_COOKIE
from tinypier.app import create_app
from tinypier.settings import Settings, load_settings

_SENT = re.compile(r"^/messages/(\d+)\?page=last#message-(\d+)$")


@dataclass(frozen=True)
class Sent:
    conversation_id: int
    message_id: int
    report_id: int


@dataclass(frozen=True)
class MessagedBoard:
    settings: Settings
    client: TestClient[Litestar]
    sessions: dict[str, str]
    harmless: Sent
    sent: dict[str, Sent]

    def as_(self, who: str) -> TestClient[Litestar]:
        self.client.cookies.set(SESSION_COOKIE, self.sessions[who])
        return self.client


def send_and_report(board: MessagedBoard, subject: str, body: str, reason: str) -> Sent:
    client = board.as_("sender")
    form = {"to": "reader", "subject": subject, "body": body, "_csrf_token": csrf_token(client)}
    response = client.post("/messages/new", data=form)
    assert response.status_code == 303, f"sending {subject!r}: {response.status_code}"
    match = _SENT.match(response.headers["location"])
    assert match
    conversation_id, message_id = int(match.group(1)), int(match.group(2))
    client = board.as_("reader")
    report = {"reason": reason, "_csrf_token": csrf_token(client)}
    assert client.post(f"/messages/report/{message_id}", data=report).status_code == 303
    report_id = int(sql(board.settings, "SELECT MAX(id) FROM message_reports")[0][0])
    return Sent(conversation_id, message_id, report_id)


@pytest.fixture(scope="module")
def messaged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MessagedBoard]:
    settings = load_settings(tmp_path_factory.mktemp("pm-xss") / "data", environ={})
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        client.follow_redirects = False
        people = {
            "sender": add_member(settings, f'<img src=x onerror={SCRIPT}>"legacy'),
            "reader": add_member(settings, "reader"),
            "moderator": add_member(settings, "moderator", "moderator"),
        }
        sessions = {who: session_for(settings, member) for who, member in people.items()}
        board = MessagedBoard(settings, client, sessions, Sent(0, 0, 0), {})
        harmless = send_and_report(
            board, "Harmless xylophone", "Just [b]xylophone[/b].", "harmless"
        )
        board = MessagedBoard(settings, client, sessions, harmless, {})
        for vector in VECTORS:
            board.sent[vector] = send_and_report(
                board, f"xylophone {vector}"[:200], f"xylophone {vector}", vector[:1000]
            )
        yield board


def page_pairs(board: MessagedBoard, sent: Sent) -> Iterator[tuple[str, str, str]]:
    """(who looks, page path, the same page for the harmless message)."""
    harmless = board.harmless
    yield "reader", f"/messages/{sent.conversation_id}", f"/messages/{harmless.conversation_id}"
    yield (
        "reader",
        f"/messages/{sent.conversation_id}/reply?quote={sent.message_id}",
        f"/messages/{harmless.conversation_id}/reply?quote={harmless.message_id}",
    )
    yield (
        "moderator",
        f"/moderation/message-reports/{sent.report_id}",
        f"/moderation/message-reports/{harmless.report_id}",
    )


@pytest.mark.parametrize("vector", VECTORS)
def test_pages_showing_a_hostile_message_hold_nothing_executable(
    messaged: MessagedBoard, vector: str
) -> None:
    for who, path, baseline_path in page_pairs(messaged, messaged.sent[vector]):
        client = messaged.as_(who)
        page, baseline = client.get(path), client.get(baseline_path)
        assert page.status_code == baseline.status_code == 200, path
        assert_page_is_clean(page.text, baseline.text, f"{path} for {vector!r}")


@pytest.mark.parametrize(
    ("who", "path"), [("reader", "/messages"), ("moderator", "/moderation/message-reports")]
)
def test_listings_of_hostile_messages_hold_nothing_executable(
    messaged: MessagedBoard, who: str, path: str
) -> None:
    page = messaged.as_(who).get(path)
    assert page.status_code == 200
    found = inspect(page.text, PAGE_SCHEMES)
    assert found.problems == []
    assert found.tags["script"] == found.tags["iframe"] == found.tags["object"] == 0
    assert "xylophone" in page.text, "the hostile messages are listed"
