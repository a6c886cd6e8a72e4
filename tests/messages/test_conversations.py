"""Private conversations: start, read, reply, quote, unread counts, leaving, removal.

Through the real pages as members use them. A conversation is readable by its members
only: not by other members, and not by moderators or admins (they read a message only
while it is reported, see test_reports).
"""

from __future__ import annotations

from tests.forum.conftest import Client, submit
from tests.messages.conftest import People, bearer, become, reply, send, start


def test_a_member_starts_a_conversation_that_its_recipients_read(
    client: Client, people: People
) -> None:
    conversation_id, _ = start(client, people.alice, "bob, carol", "Plans", "[b]Meet[/b] at noon?")

    for reader in (people.bob, people.carol):
        become(client, reader)
        page = client.get(f"/messages/{conversation_id}")
        assert page.status_code == 200
        assert "Plans" in page.text
        assert "<strong>Meet</strong> at noon?" in page.text
    assert (
        people.value("SELECT body_html FROM messages WHERE conversation_id = ?", (conversation_id,))
        == "<strong>Meet</strong> at noon?"
    )


def test_the_inbox_and_header_count_unread_conversations_until_read(
    client: Client, people: People
) -> None:
    conversation_id, _ = start(client, people.alice, "bob", "First", "one")
    reply(client, conversation_id, "two")
    start(client, people.carol, "bob", "Second", "three")

    become(client, people.bob)
    inbox = client.get("/messages")
    assert '<span class="badge"' in inbox.text and ">2</span>" in inbox.text
    assert "<strong>2</strong>" in inbox.text, "two unread messages in the first conversation"

    reading = client.get(f"/messages/{conversation_id}")
    assert ">1</span>" in reading.text, "the page read is no longer counted on itself"
    assert ">1</span>" in client.get("/").text, "one conversation left unread"
    assert (
        people.value(
            "SELECT unread FROM conversation_members WHERE conversation_id = ? AND user_id = ?",
            (conversation_id, people.bob.id),
        )
        == 0
    )


def test_a_reply_reaches_everyone_but_its_author_as_unread(client: Client, people: People) -> None:
    conversation_id, _ = start(client, people.alice, "bob, carol")
    become(client, people.bob)
    client.get(f"/messages/{conversation_id}")

    reply(client, conversation_id, "Sounds good")

    unread = dict(
        (
            name,
            people.value(
                "SELECT unread FROM conversation_members m JOIN users u ON u.id = m.user_id"
                " WHERE m.conversation_id = ? AND u.name = ?",
                (conversation_id, name),
            ),
        )
        for name in ("alice", "bob", "carol")
    )
    assert unread == {"alice": 1, "bob": 0, "carol": 2}


def test_quoting_a_message_prefills_the_reply(client: Client, people: People) -> None:
    conversation_id, message_id = start(client, people.alice, "bob", "Q", "Quote me")
    become(client, people.bob)

    form = client.get(f"/messages/{conversation_id}/reply?quote={message_id}")

    assert form.status_code == 200
    assert "[quote=alice]Quote me[/quote]" in form.text


def test_outsiders_moderators_and_admins_cannot_read_a_conversation(
    client: Client, people: People
) -> None:
    conversation_id, message_id = start(client, people.alice, "bob", "Secret plans", "hush")

    for outsider in (people.carol, people.mona, people.adam):
        become(client, outsider)
        for path in (
            f"/messages/{conversation_id}",
            f"/messages/{conversation_id}/reply",
            f"/messages/{conversation_id}/reply?quote={message_id}",
        ):
            page = client.get(path)
            assert page.status_code == 404, (outsider.name, path)
            assert "Secret plans" not in page.text and "hush" not in page.text
        assert reply(client, conversation_id, "let me in").status_code == 404
    assert people.value("SELECT COUNT(*) FROM messages") == 1


def test_sending_refuses_unknown_names_and_empty_parts_and_stores_nothing(
    client: Client, people: People
) -> None:
    become(client, people.alice)
    cases = [
        ("nobody", "Subject", "Body", "There is no member named nobody."),
        ("", "Subject", "Body", "Name at least one other member to write to."),
        ("alice", "Subject", "Body", "Name at least one other member to write to."),
        ("bob", " ", "Body", "The subject is empty."),
        ("bob", "Subject", " ", "The message is empty."),
        ("bob", "x" * 201, "Body", "Subjects may not be longer than 200 characters."),
    ]
    for to, subject, body, expected in cases:
        response = send(client, to, subject, body)
        assert response.status_code == 400, (to, subject, body)
        assert expected in response.text
    assert people.value("SELECT COUNT(*) FROM conversations") == 0


def test_leaving_deletes_the_conversation_for_oneself_only(client: Client, people: People) -> None:
    conversation_id, _ = start(client, people.alice, "bob", "Bye", "hello")
    become(client, people.bob)

    left = submit(client, f"/messages/{conversation_id}", f"/messages/{conversation_id}/leave", {})

    assert left.status_code == 303
    assert client.get(f"/messages/{conversation_id}").status_code == 404
    assert "Bye" not in client.get("/messages").text
    become(client, people.alice)
    reply(client, conversation_id, "still here?")
    assert client.get(f"/messages/{conversation_id}").status_code == 200
    become(client, people.bob)
    assert client.get(f"/messages/{conversation_id}").status_code == 404, "left means gone"


def test_the_last_member_to_leave_deletes_the_conversation(client: Client, people: People) -> None:
    conversation_id, _ = start(client, people.alice, "bob")
    for member in (people.alice, people.bob):
        become(client, member)
        submit(client, f"/messages/{conversation_id}", f"/messages/{conversation_id}/leave", {})
    assert people.value("SELECT COUNT(*) FROM conversations") == 0
    assert people.value("SELECT COUNT(*) FROM messages") == 0


def remove(client: Client, conversation_id: int, member_id: int, page: str) -> int:
    response = submit(
        client, page, f"/messages/{conversation_id}/remove", {"member_id": str(member_id)}
    )
    return response.status_code


def test_a_removed_member_reads_nothing_written_after_the_removal(
    client: Client, people: People
) -> None:
    conversation_id, _ = start(client, people.alice, "bob, carol", "Group", "before removal")
    assert remove(client, conversation_id, people.carol.id, f"/messages/{conversation_id}") == 303
    reply(client, conversation_id, "after removal")

    become(client, people.carol)
    page = client.get(f"/messages/{conversation_id}")
    assert page.status_code == 200
    assert "before removal" in page.text
    assert "after removal" not in page.text
    after = people.value("SELECT MAX(id) FROM messages")
    assert client.get(f"/messages/{conversation_id}/reply?quote={after}").status_code == 403
    assert reply(client, conversation_id, "can I still write?").status_code == 403
    assert (
        people.value(
            "SELECT unread FROM conversation_members WHERE user_id = ?", (people.carol.id,)
        )
        == 0
    )


def test_the_api_hides_from_a_removed_member_what_came_after(
    client: Client, people: People
) -> None:
    conversation_id, _ = start(client, people.alice, "bob, carol", "Group", "before removal")
    remove(client, conversation_id, people.carol.id, f"/messages/{conversation_id}")
    reply(client, conversation_id, "after removal")

    shown = client.get(
        f"/api/messages/{conversation_id}", headers=bearer(people.settings, people.carol)
    ).json()

    assert [message["body"] for message in shown["messages"]] == ["before removal"]


def test_only_the_starter_or_an_admin_removes_a_member(client: Client, people: People) -> None:
    conversation_id, _ = start(client, people.alice, "bob, carol")
    become(client, people.bob)
    assert remove(client, conversation_id, people.carol.id, f"/messages/{conversation_id}") == 403
    become(client, people.mona)
    assert remove(client, conversation_id, people.carol.id, "/messages") == 404
    become(client, people.adam)
    assert remove(client, conversation_id, people.carol.id, "/messages") == 303
    assert (
        people.value(
            "SELECT removed_after_message_id IS NOT NULL FROM conversation_members"
            " WHERE user_id = ?",
            (people.carol.id,),
        )
        == 1
    )
