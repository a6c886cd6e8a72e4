"""The messages API: bearer tokens, the same rules as the pages, a clear 400 for bad input."""

from __future__ import annotations

import json

import pytest

from tests.forum.conftest import Client
from tests.messages.conftest import People, bearer, become, block, start


def test_a_script_sends_lists_and_reads_a_conversation(client: Client, people: People) -> None:
    alice, bob = bearer(people.settings, people.alice), bearer(people.settings, people.bob)

    created = client.post(
        "/api/messages",
        json={"to": ["bob", "carol"], "subject": "From a script", "body": "[i]Hello[/i]"},
        headers=alice,
    )

    assert created.status_code == 201
    conversation_id = created.json()["id"]
    inbox = client.get("/api/messages", headers=bob).json()["conversations"]
    assert inbox == [
        {
            "id": conversation_id,
            "subject": "From a script",
            "unread": 1,
            "participants": ["alice", "bob", "carol"],
            "last_message_at": inbox[0]["last_message_at"],
        }
    ]
    read = client.get(f"/api/messages/{conversation_id}", headers=bob).json()
    assert [(m["author"], m["body"]) for m in read["messages"]] == [("alice", "[i]Hello[/i]")]
    assert client.get("/api/messages", headers=bob).json()["conversations"][0]["unread"] == 0


BAD_BODIES = {
    "not json": (b"to=bob", "The request body must be a JSON object."),
    "a list": (b"[]", "The request body must be a JSON object."),
    "to as a string": (
        json.dumps({"to": "bob", "subject": "s", "body": "b"}).encode(),
        '"to" must be a list of member names.',
    ),
    "a number among names": (
        json.dumps({"to": ["bob", 3], "subject": "s", "body": "b"}).encode(),
        '"to" must be a list of member names.',
    ),
    "no subject": (
        json.dumps({"to": ["bob"], "body": "b"}).encode(),
        '"subject" must be a string.',
    ),
    "an unknown name": (
        json.dumps({"to": ["nobody"], "subject": "s", "body": "b"}).encode(),
        "There is no member named nobody.",
    ),
    "an empty body": (
        json.dumps({"to": ["bob"], "subject": "s", "body": ""}).encode(),
        "The message is empty.",
    ),
}


@pytest.mark.parametrize(("raw", "expected"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_input_is_a_clear_400_and_stores_nothing(
    client: Client, people: People, raw: bytes, expected: str
) -> None:
    response = client.post(
        "/api/messages",
        content=raw,
        headers={**bearer(people.settings, people.alice), "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["error"] == expected
    assert people.value("SELECT COUNT(*) FROM conversations") == 0


def test_a_multipart_form_is_refused_not_waited_on(client: Client, people: People) -> None:
    """The form middleware reads a multipart body before the handler; reading it again
    waited forever for bytes that never come."""
    response = client.post(
        "/api/messages",
        files={"to": (None, "bob"), "subject": (None, "s"), "body": (None, "b")},
        headers=bearer(people.settings, people.alice),
        timeout=10,
    )

    assert response.status_code == 400
    assert response.json()["error"] == "The request body must be a JSON object."


def test_the_api_refuses_guests_and_outsiders(client: Client, people: People) -> None:
    conversation_id, _ = start(client, people.alice, "bob", "Private", "words")
    client.cookies.clear()

    assert client.get("/api/messages").status_code == 401
    assert client.post("/api/messages", json={"to": ["bob"]}).status_code == 401
    for outsider in (people.carol, people.adam):
        response = client.get(
            f"/api/messages/{conversation_id}", headers=bearer(people.settings, outsider)
        )
        assert response.status_code == 404
        assert "words" not in response.text


def test_a_block_is_refused_through_the_api_as_well(client: Client, people: People) -> None:
    become(client, people.bob)
    block(client, "alice")
    refused = client.post(
        "/api/messages",
        json={"to": ["bob"], "subject": "s", "body": "b"},
        headers=bearer(people.settings, people.alice),
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == "bob does not accept messages from you."
