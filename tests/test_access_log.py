"""The access log: one line per request, and never a secret in it.

Log files are kept, shipped and read by people who must not become a member by reading
them: a passkey in an announce path, a feed token or an invite code in a query string
would let them. Announces and scrapes, a hundred times more numerous than page views,
are left out unless asked for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from tests.helpers import Member, add_member
from tests.servers import serving
from tests.tracker.conftest import ChosenAddress
from tests.tracker.wire import (
    ADDRESS_HEADER,
    announce,
    announce_fields,
    peer_id,
    query,
    register_torrent,
)
from tinypier.access_log import loggable_target
from tinypier.app import create_app
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings, load_settings

ACCESS = "tinypier.access"
LINE = re.compile(
    r'^(?P<client>\S+) "(?P<request>[^"]+)" (?P<status>\d+) (?P<size>\d+) (?P<ms>[\d.]+)ms$'
)
FROM = ADDRESS_HEADER.decode()


def board(tmp_path: Path, **overrides: Any) -> Settings:
    return load_settings(tmp_path / "data", environ={}, **overrides)


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def logged() -> Iterator[list[str]]:
    """The access log's lines, as a handler on its logger receives them."""
    handler, logger = Collected(), logging.getLogger(ACCESS)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


def client_for(settings: Settings) -> TestClient[Any]:
    return TestClient(ChosenAddress(create_app(settings)), base_url="http://testserver.local")


def feed_token(settings: Settings, member: Member) -> str:
    connection = connect_sync(settings.database_path)
    try:
        token: str = connection.execute(
            "SELECT feed_token FROM users WHERE id = ?", (member.id,)
        ).fetchone()[0]
    finally:
        connection.close()
    return token


def test_a_page_view_is_one_line_with_its_facts(tmp_path: Path, logged: list[str]) -> None:
    with client_for(board(tmp_path)) as client:
        page = client.get("/search?q=plums&page=1", headers={FROM: "203.0.113.5"})

    [line] = logged
    fields = LINE.match(line)
    assert fields is not None, line
    assert fields["client"] == "203.0.113.5"
    assert fields["request"] == "GET /search?q=plums&page=1"
    assert int(fields["status"]) == page.status_code == 200
    assert int(fields["size"]) == len(page.content)


def test_a_feed_token_and_an_invite_code_never_reach_the_log(
    tmp_path: Path, logged: list[str]
) -> None:
    settings = board(tmp_path)
    with client_for(settings) as client:
        token = feed_token(settings, add_member(settings, "reader"))
        client.get(f"/feeds/releases.atom?token={token}")
        client.get("/register?code=INVITE-SECRET-123")
        client.get("/feeds/releases.atom?TOKEN=other-secret&x=1")

    text = "\n".join(logged)
    for secret in (token, "INVITE-SECRET-123", "other-secret"):
        assert secret not in text
    assert "/feeds/releases.atom?token=[hidden]" in text
    assert "/register?code=[hidden]" in text
    assert "?TOKEN=[hidden]&x=1" in text


def test_announces_are_left_out_by_default(tmp_path: Path, logged: list[str]) -> None:
    settings = board(tmp_path)
    with client_for(settings) as client:
        member = add_member(settings, "seeder")
        announce(client, member.passkey, register_torrent(settings, member.id, "t").key, peer_id())
        client.get(f"/scrape/{member.passkey}")

    assert logged == []


def test_announces_logged_on_request_hide_the_passkey(tmp_path: Path, logged: list[str]) -> None:
    settings = board(tmp_path, access_log_tracker=True, access_log=False)
    with client_for(settings) as client:
        member = add_member(settings, "seeder")
        announce(client, member.passkey, register_torrent(settings, member.id, "t").key, peer_id())
        client.get(f"/scrape/{member.passkey}")
        client.get("/")

    lines = logged
    assert [line.split('"')[1] for line in lines] == [
        "GET /announce/[hidden]",
        "GET /scrape/[hidden]",
    ]
    assert member.passkey not in "\n".join(lines)


def test_the_web_log_can_be_switched_off(tmp_path: Path, logged: list[str]) -> None:
    with client_for(board(tmp_path, access_log=False)) as client:
        client.get("/")

    assert logged == []


@pytest.mark.parametrize(
    ("path", "query", "shown"),
    [
        ("/announce/abc123", b"info_hash=x&peer_id=y", "/announce/[hidden]"),
        ("/announce", b"", "/announce"),
        (
            "/topics/1",
            b"token=s&key=t&passkey=u&code=v",
            "/topics/1?token=[hidden]&key=[hidden]&passkey=[hidden]&code=[hidden]",
        ),
        ('/a b\n127.0.0.1 "GET /x', b"", "/a%20b%0A127.0.0.1%20%22GET%20/x"),
        ("/\u0432\u0430\u0441\u044f", b"", "/%D0%B2%D0%B0%D1%81%D1%8F"),
    ],
    ids=["passkey path", "bare announce", "secret parameters", "forged line", "non-ascii"],
)
def test_targets_are_shown_without_secrets_on_one_line(path: str, query: bytes, shown: str) -> None:
    assert loggable_target(path, query) == shown


@pytest.mark.slow
def test_the_served_board_logs_pages_and_on_request_the_tracker(tmp_path: Path) -> None:
    """Through ``tinypier serve``: lines reach its output, HEAD / answers 200 without a
    body, and an announce answered by the connection front is logged without its passkey."""
    data_dir = tmp_path / "data"
    settings = board(tmp_path)
    create_app(settings)
    member = add_member(settings, "seeder")
    torrent = register_torrent(settings, member.id, "t").key
    log = tmp_path / "serve.log"
    environment = {"PATH": "/usr/bin:/bin", "TINYPIER_ACCESS_LOG_TRACKER": "true"}

    with serving(data_dir, log, environment) as url:
        head = httpx.head(f"{url}/")
        fields = query(**announce_fields(torrent, peer_id()))
        replied = httpx.get(f"{url}/announce/{member.passkey}?{fields}").content

    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) > 0
    assert b"failure reason" not in replied
    output = log.read_text()
    assert '"HEAD /" 200 0 ' in output
    assert '"GET /announce/[hidden]" 200 ' in output
    assert member.passkey not in output
