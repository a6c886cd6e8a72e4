"""A board with five members for the private-message tests, logged in through real forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.forum.board import on_board
from tests.forum.conftest import Client, log_in, submit
from tests.helpers import Member, add_member
from tinypier.accounts.queries import create_api_token
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings

_CONVERSATION = re.compile(r"^/messages/(\d+)\?page=last#message-(\d+)$")


@dataclass(frozen=True)
class People:
    settings: Settings
    alice: Member
    bob: Member
    carol: Member
    mona: Member
    adam: Member

    def value(self, statement: str, params: tuple[Any, ...] = ()) -> Any:
        connection = connect_sync(self.settings.database_path)
        try:
            return connection.execute(statement, params).fetchone()[0]
        finally:
            connection.close()


@pytest.fixture
def people(client: Client, settings: Settings) -> People:
    """alice, bob and carol are members; mona moderates; adam is an admin."""
    return People(
        settings,
        alice=add_member(settings, "alice"),
        bob=add_member(settings, "bob"),
        carol=add_member(settings, "carol"),
        mona=add_member(settings, "mona", "moderator"),
        adam=add_member(settings, "adam", "admin"),
    )


def become(client: Client, member: Member) -> None:
    client.cookies.clear()
    log_in(client, member)


def send(client: Client, to: str, subject: str, body: str) -> httpx.Response:
    return submit(
        client, "/messages/new", "/messages/new", {"to": to, "subject": subject, "body": body}
    )


def reply(client: Client, conversation_id: int, body: str) -> httpx.Response:
    page = f"/messages/{conversation_id}"
    return submit(client, page, f"{page}/reply", {"body": body})


def sent(response: httpx.Response) -> tuple[int, int]:
    """(conversation id, message id) from the redirect after a message is sent."""
    assert response.status_code == 303, response.text[:500]
    match = _CONVERSATION.match(response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1)), int(match.group(2))


def start(
    client: Client, sender: Member, to: str, subject: str = "Hello", body: str = "Hi"
) -> tuple[int, int]:
    become(client, sender)
    return sent(send(client, to, subject, body))


def bearer(settings: Settings, member: Member) -> dict[str, str]:
    """The header of an API script acting as ``member``, with a token of their own."""
    token = on_board(settings, lambda db: create_api_token(db, member.id, "messages"))
    return {"Authorization": f"Bearer {token}"}


def block(client: Client, name: str) -> int:
    return submit(client, "/messages/blocked", "/messages/blocked", {"name": name}).status_code
