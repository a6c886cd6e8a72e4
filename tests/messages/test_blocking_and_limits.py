"""Blocking, the admin's limits (recipients, body length, messages per day) and flood
control. Every refusal says why and stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.conftest import Client, log_in, submit
from tests.helpers import FakeClock, add_member
from tests.messages.conftest import People, become, block, reply, send, sent, start
from tinypier.app import create_app
from tinypier.flood import FloodLimiter
from tinypier.messages.sending import DAY_SECONDS, STATE_KEY
from tinypier.settings import load_settings


def test_a_message_to_a_member_who_blocked_the_sender_is_refused(
    client: Client, people: People
) -> None:
    become(client, people.bob)
    assert block(client, "alice") == 303
    assert "alice" in client.get("/messages/blocked").text

    become(client, people.alice)
    refused = send(client, "bob, carol", "Hi", "Hello")

    assert refused.status_code == 403
    assert "bob does not accept messages from you." in refused.text
    assert people.value("SELECT COUNT(*) FROM conversations") == 0


def test_a_block_also_stops_replies_in_a_shared_conversation(
    client: Client, people: People
) -> None:
    conversation_id, _ = start(client, people.alice, "bob")
    become(client, people.bob)
    block(client, "alice")

    become(client, people.alice)
    refused = reply(client, conversation_id, "Are you there?")

    assert refused.status_code == 403
    assert "bob does not accept messages from you." in refused.text
    assert people.value("SELECT COUNT(*) FROM messages") == 1


def test_unblocking_lets_messages_through_again(client: Client, people: People) -> None:
    become(client, people.bob)
    block(client, "alice")
    lifted = submit(client, "/messages/blocked", f"/messages/blocked/{people.alice.id}/remove", {})
    assert lifted.status_code == 303

    become(client, people.alice)
    sent(send(client, "bob", "Hi again", "Hello"))


def test_blocking_nobody_or_oneself_is_refused_saying_why(client: Client, people: People) -> None:
    become(client, people.bob)
    for name, reason in [
        ("", "Name the member to block."),
        ("nobody", "There is no member named nobody."),
        ("BOB", "You cannot block yourself."),
    ]:
        refused = submit(client, "/messages/blocked", "/messages/blocked", {"name": name})
        assert refused.status_code == 400, name
        assert reason in refused.text
    assert people.value("SELECT COUNT(*) FROM message_blocks") == 0


def test_a_disabled_member_receives_nothing(client: Client, people: People) -> None:
    people.value("UPDATE users SET disabled = 1 WHERE id = ? RETURNING id", (people.bob.id,))
    become(client, people.alice)

    refused = send(client, "bob", "Hi", "Hello")

    assert refused.status_code == 403
    assert "bob cannot receive messages." in refused.text


def test_the_recipient_and_length_limits_are_the_admins_settings(tmp_path: Path) -> None:
    settings = load_settings(
        tmp_path / "limited", environ={}, message_recipients_max=2, message_max_chars=50
    )
    with TestClient(create_app(settings), base_url="http://testserver.local") as limited:
        members = [add_member(settings, name) for name in ("ann", "ben", "cid", "dee")]
        log_in(limited, members[0])

        too_many = send(limited, "ben, cid, dee", "Hi", "Hello")
        too_long = send(limited, "ben", "Hi", "x" * 51)

        assert too_many.status_code == 400
        assert "A conversation may include at most 2 other members." in too_many.text
        assert too_long.status_code == 400
        assert "Messages may not be longer than 50 characters; this one has 51." in too_long.text
        sent(send(limited, "ben, cid", "Hi", "x" * 50))


def test_the_daily_limit_counts_a_rolling_day() -> None:
    clock = FakeClock()
    limiter = FloodLimiter(interval=0, cap=2, window=DAY_SECONDS, clock=clock)
    assert limiter.admit(7) is None
    assert limiter.admit(7) is None
    wait = limiter.admit(7)
    assert wait is not None and wait.seconds == DAY_SECONDS
    clock.now += DAY_SECONDS
    assert limiter.admit(7) is None


@pytest.mark.flood_control
def test_a_member_over_the_daily_limit_is_refused_with_the_wait(
    app: Litestar, client: Client, people: People
) -> None:
    clock = FakeClock()
    app.state[STATE_KEY] = FloodLimiter(interval=10, cap=2, window=DAY_SECONDS, clock=clock)
    conversation_id, _ = start(client, people.alice, "bob")

    too_fast = reply(client, conversation_id, "again")
    clock.now += 10
    reply(client, conversation_id, "second")
    clock.now += 10
    over = send(client, "carol", "Hi", "third")

    assert too_fast.status_code == 429
    assert "You are sending messages too fast. Wait 10 seconds" in too_fast.text
    assert over.status_code == 429
    assert "You have sent 2 messages in the last 24 hours, the most allowed." in over.text
    assert people.value("SELECT COUNT(*) FROM messages") == 2
    become(client, people.mona)
    sent(send(client, "carol", "Staff", "moderators are exempt"))
