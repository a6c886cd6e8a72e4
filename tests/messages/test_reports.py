"""Moderators read a private message only while a member's report of it is open: the
reported message and at most ten before it in its conversation, never what follows."""

from __future__ import annotations

from tests.forum.conftest import Client, submit
from tests.messages.conftest import People, become, reply, start


def report(client: Client, conversation_id: int, message_id: int, reason: str) -> int:
    response = submit(
        client,
        f"/messages/{conversation_id}",
        f"/messages/report/{message_id}",
        {"reason": reason},
    )
    return response.status_code


def open_report_id(people: People) -> int:
    report_id: int = people.value("SELECT MAX(id) FROM message_reports WHERE closed_at IS NULL")
    return report_id


def test_a_reported_message_and_what_came_before_are_readable_by_moderators(
    client: Client, people: People
) -> None:
    conversation_id, _ = start(client, people.alice, "bob", "Trouble", "earlier words")
    offending = int(
        submit(
            client,
            f"/messages/{conversation_id}",
            f"/messages/{conversation_id}/reply",
            {"body": "offensive words"},
        )
        .headers["location"]
        .rsplit("-", 1)[1]
    )
    reply(client, conversation_id, "later words")
    become(client, people.bob)
    assert report(client, conversation_id, offending, "rude") == 303

    become(client, people.mona)
    listing = client.get("/moderation/message-reports")
    page = client.get(f"/moderation/message-reports/{open_report_id(people)}")

    assert "Trouble" in listing.text and "rude" in listing.text
    assert page.status_code == 200
    assert "offensive words" in page.text and "earlier words" in page.text
    assert "later words" not in page.text, "nothing written after the reported message"
    assert client.get(f"/messages/{conversation_id}").status_code == 404


def test_a_closed_report_makes_the_message_private_again(client: Client, people: People) -> None:
    conversation_id, message_id = start(client, people.alice, "bob", "Trouble", "rude words")
    become(client, people.bob)
    report(client, conversation_id, message_id, "")
    report_id = open_report_id(people)

    become(client, people.mona)
    closed = submit(
        client, "/moderation/message-reports", f"/moderation/message-reports/{report_id}/close", {}
    )

    assert closed.status_code == 303
    page = client.get(f"/moderation/message-reports/{report_id}")
    assert page.status_code == 404 and "rude words" not in page.text
    assert "Trouble" not in client.get("/moderation/message-reports").text


def test_unreported_conversations_stay_out_of_the_moderators_reach(
    client: Client, people: People
) -> None:
    start(client, people.alice, "bob", "Quiet", "private words")
    for staff in (people.mona, people.adam):
        become(client, staff)
        assert "Quiet" not in client.get("/moderation/message-reports").text
        assert client.get("/messages/1").status_code == 404


def test_members_report_only_what_others_wrote_to_them_and_only_once(
    client: Client, people: People
) -> None:
    conversation_id, message_id = start(client, people.alice, "bob", "Mine", "own words")
    assert report(client, conversation_id, message_id, "") == 303, "refused with a message"
    become(client, people.carol)
    assert report(client, conversation_id, message_id, "") == 404, "not theirs to read"
    become(client, people.bob)
    report(client, conversation_id, message_id, "first")
    again = submit(
        client, f"/messages/{conversation_id}", f"/messages/report/{message_id}", {"reason": "x"}
    )
    assert "You have already reported this message." in client.get(again.headers["location"]).text
    assert people.value("SELECT COUNT(*) FROM message_reports") == 1


def test_a_report_returns_to_the_page_that_holds_the_message(
    client: Client, people: People
) -> None:
    conversation_id, first = start(client, people.alice, "bob", "Long", "first words")
    for number in range(30):
        reply(client, conversation_id, f"reply {number}")
    become(client, people.bob)

    reported = submit(
        client, f"/messages/{conversation_id}", f"/messages/report/{first}", {"reason": ""}
    )

    assert reported.headers["location"] == f"/messages/{conversation_id}?page=1#message-{first}"


def test_members_cannot_open_the_reports(client: Client, people: People) -> None:
    become(client, people.alice)
    assert client.get("/moderation/message-reports").status_code == 403
