"""The message pages speak Russian to a Russian browser, refusals included, with members
in conversations (the role board's members take part in none)."""

from __future__ import annotations

from tests.forum.conftest import Client, submit
from tests.messages.conftest import People, become, block, reply, send, start
from tests.test_i18n_pages import (
    RUSSIAN_BROWSER,
    _VisibleText,
    english_only_messages,
    english_words_left,
)

WRITTEN = {"alice", "bob", "carol", "mona", "adam", "nobody", "Plans", "Words", "Reply", "spam"}


def english_left(html: str) -> list[str]:
    text = _VisibleText()
    text.feed(html)
    english = english_only_messages() - WRITTEN
    return [
        piece for piece in text.pieces if piece in english or english_words_left(piece, WRITTEN)
    ]


def test_the_message_pages_read_in_russian(client: Client, people: People) -> None:
    client.headers.update(RUSSIAN_BROWSER)
    conversation_id, message_id = start(client, people.alice, "bob, carol", "Plans", "Words")
    become(client, people.bob)
    reply(client, conversation_id, "Reply")
    block(client, "carol")
    submit(
        client,
        f"/messages/{conversation_id}",
        f"/messages/report/{message_id}",
        {"reason": "spam"},
    )
    refused = send(client, "nobody", "Plans", "Words")
    refused_block = submit(client, "/messages/blocked", "/messages/blocked", {"name": "nobody"})
    pages = {
        "a refused message": refused.text,
        "a refused block": refused_block.text,
        **{
            path: client.get(path).text
            for path in (
                "/messages",
                "/messages/new",
                f"/messages/{conversation_id}",
                f"/messages/{conversation_id}/reply?quote={message_id}",
                "/messages/blocked",
            )
        },
    }
    become(client, people.mona)
    pages |= {
        path: client.get(path).text
        for path in ("/moderation/message-reports", "/moderation/message-reports/1")
    }

    assert "Нет участника с именем nobody." in refused.text
    assert "Нет участника с именем nobody." in refused_block.text
    assert {page: english_left(html) for page, html in pages.items()} == {
        page: [] for page in pages
    }
