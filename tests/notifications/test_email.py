"""Notices by e-mail through a real SMTP server (aiosmtpd on loopback): sent off the
request path to members who asked, in their language; a failing server is logged and
changes nothing for the board."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.forum.conftest import Board, Client, submit
from tests.notifications.conftest import become, reply, start_topic
from tinypier.settings import Settings, load_settings

WAIT_SECONDS = 10


class Mailbox:
    """Every letter the server accepted."""

    def __init__(self) -> None:
        self.letters: list[EmailMessage] = []

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        letter = message_from_bytes(content, policy=policy.default)
        assert isinstance(letter, EmailMessage)
        self.letters.append(letter)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    server = Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    try:
        yield box, port
    finally:
        server.stop()


@pytest.fixture
def settings(tmp_path: Path, mailbox: tuple[Mailbox, int]) -> Settings:
    """The board mails through the loopback server (no TLS there)."""
    return load_settings(
        tmp_path / "data",
        environ={},
        smtp_host="127.0.0.1",
        smtp_port=mailbox[1],
        smtp_starttls=False,
        smtp_from="board@example.org",
    )


def ask_for_mail(client: Client, address: str, *, tick: bool = True) -> int:
    form = {"email": address, **({"email_notifications": "on"} if tick else {})}
    page = "/notifications/settings"
    return submit(client, page, page, form).status_code


def test_a_member_who_asked_gets_the_notice_by_mail(
    client: Client, board: Board, mailbox: tuple[Mailbox, int]
) -> None:
    box, _port = mailbox
    become(client, board.user)
    assert ask_for_mail(client, "alice@example.org") == 303
    topic = start_topic(client, board.public_forum, "Alice asks")
    become(client, board.moderator)
    assert ask_for_mail(client, "mona@example.org", tick=False) == 303
    start_topic(client, board.public_forum, "Mona's", "@alice")
    become(client, board.other_user)
    reply(client, topic, "Bob answers @mona")

    assert wait_until(lambda: len(box.letters) >= 2)
    time.sleep(0.2)
    assert sorted(letter["To"] for letter in box.letters) == ["alice@example.org"] * 2
    subjects = sorted(letter["Subject"] for letter in box.letters)
    assert subjects == [
        "TinyPier: bob replied in Alice asks",
        "TinyPier: mona mentioned you in Mona's",
    ]
    assert "http://127.0.0.1:8080/notifications" in box.letters[0].get_content()


def test_a_letter_speaks_the_members_language(
    client: Client, board: Board, mailbox: tuple[Mailbox, int]
) -> None:
    box, _port = mailbox
    become(client, board.user)
    ask_for_mail(client, "alice@example.org")
    submit(client, "/settings", "/settings/locale", {"language": "ru", "time_zone": "UTC"})
    topic = start_topic(client, board.public_forum, "Вопрос")
    become(client, board.other_user)
    reply(client, topic, "Ответ")

    assert wait_until(lambda: len(box.letters) == 1)
    assert "bob ответил(а) в теме Вопрос" in str(box.letters[0]["Subject"])


def test_a_bad_address_is_refused_and_nothing_changes(client: Client, board: Board) -> None:
    become(client, board.user)

    assert ask_for_mail(client, "not an address") == 400
    assert ask_for_mail(client, "") == 400  # mail asked for, no address
    assert board.rows(
        "SELECT email, email_notifications FROM users WHERE id = ?", (board.user.id,)
    ) == [(None, 0)]


class Kept(logging.Handler):
    """The records of one logger (the app's logging setup replaces pytest's root handler)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_a_failing_server_is_logged_and_the_board_goes_on(tmp_path: Path) -> None:
    from litestar.testing import TestClient

    from tests.forum.conftest import add_category, add_forum
    from tests.helpers import add_member
    from tinypier.app import create_app

    settings = load_settings(
        tmp_path / "dead",
        environ={},
        smtp_host="127.0.0.1",
        smtp_port=free_port(),  # nothing listens there
        smtp_starttls=False,
        smtp_timeout_seconds=2,
    )
    with TestClient(create_app(settings), base_url="http://testserver.local") as client:
        forum = add_forum(settings, add_category(settings, "General"), "Chat")
        alice, bob = add_member(settings, "alice"), add_member(settings, "bob")
        become(client, alice)
        ask_for_mail(client, "alice@example.org")
        topic = start_topic(client, forum, "Alice asks")
        become(client, bob)
        kept = Kept()
        mail_log = logging.getLogger("tinypier.notifications.mail")
        mail_log.addHandler(kept)
        try:
            answered = reply(client, topic, "Bob answers")
            assert wait_until(
                lambda: kept.messages == ["could not mail a notice to alice@example.org"]
            )
        finally:
            mail_log.removeHandler(kept)

        assert answered.status_code == 303
        become(client, alice)
        assert "bob replied in Alice asks" in client.get("/notifications").text


def test_without_an_smtp_host_the_board_sends_nothing(tmp_path: Path) -> None:
    """The default: no host, no mail task; the settings page says notices stay on the page."""
    from litestar.testing import TestClient

    from tests.helpers import add_member
    from tinypier.app import create_app
    from tinypier.notifications.mail import Letter

    settings = load_settings(tmp_path / "plain", environ={})
    app = create_app(settings)
    with TestClient(app, base_url="http://testserver.local") as client:
        become(client, add_member(settings, "alice"))
        page = client.get("/notifications/settings").text

        assert "This board sends no e-mail" in page
        assert app.state.mail_outbox.post(Letter("a@example.org", "s", "b")) is False


def test_the_admins_settings_page_never_shows_the_smtp_password(tmp_path: Path) -> None:
    from litestar.testing import TestClient

    from tests.helpers import add_member
    from tinypier.app import create_app

    secret = "hunter2-smtp-secret"
    settings = load_settings(tmp_path / "secret", environ={}, smtp_password=secret)
    with TestClient(create_app(settings), base_url="http://testserver.local") as client:
        become(client, add_member(settings, "adam", "admin"))
        page = client.get("/admin/settings").text

    assert "smtp_password" in page and "(set, not shown)" in page
    assert secret not in page
