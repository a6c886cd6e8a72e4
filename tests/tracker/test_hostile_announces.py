"""One member's bad announces cost only that member: impossible counters are refused, a
write that cannot commit fails alone, and departed peers cannot fill memory."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.helpers import Member, add_member
from tests.tracker.conftest import Board
from tests.tracker.wire import announce, fetch, peer_id, query, register_torrent
from tinypier.settings import Settings
from tinypier.tracker.creditlog import STOPPED, removed_row
from tinypier.tracker.engine import ClientAddress, Tracker
from tinypier.tracker.store import CommitSignal
from tinypier.tracker.swarm import Departed, Departures

LOOPBACK = ClientAddress(bytes([127, 0, 0, 1]), is_ipv6=False)
BUSY = b"the tracker could not save your announce: try again"


def reason(reply: Any) -> bytes:
    failure: bytes = reply.get(b"failure reason", b"")
    return failure


def announce_query(torrent: bytes, label: str, **fields: Any) -> bytes:
    defaults = {"port": 6881, "uploaded": 0, "downloaded": 0, "left": 0}
    return query(info_hash=torrent, peer_id=peer_id(label=label), **(defaults | fields)).encode()


async def outcome(reply: bytes, committed: CommitSignal | None) -> bytes:
    """The bytes the front would send: the reply once committed, BUSY if that failed."""
    if committed is None:
        return reply
    finished: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    committed.add_callback(finished.set_result)
    return BUSY if await finished else reply


@pytest.mark.parametrize("value", [2**63 - 1, 2**63, 2**53 + 1, 10**19])
def test_counters_beyond_the_maximum_are_refused_and_store_nothing(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, value: int
) -> None:
    torrent = register_torrent(settings, alice.id, "huge").key
    for counter in ("uploaded", "downloaded", "left"):
        fields: dict[str, Any] = {counter: value}
        reply = announce(tracker_client, alice.passkey, torrent, peer_id(), **fields)
        assert reason(reply) == (
            f"{counter} is impossibly large (the tracker accepts at most {2**53} bytes)".encode()
        )
    assert fetch(settings, "SELECT COUNT(*) FROM peers") == [(0,)]
    assert fetch(settings, "SELECT COUNT(*) FROM transfers") == [(0,)]


def test_counters_up_to_the_maximum_keep_the_members_totals_integers(
    settings: Settings,
    tracker: Tracker,
    tracker_client: TestClient[Any],
    alice: Member,
    downloader: Callable[[bytes], None],
) -> None:
    torrent = register_torrent(settings, alice.id, "max").key
    downloader(torrent)
    for label in ("near-1", "near-2"):
        announce(tracker_client, alice.passkey, torrent, peer_id(label=label), uploaded=2**63 - 1)
    start = int(tracker.clock())
    for n, label in enumerate(("a", "b", "c"), start=1):
        tracker.clock = lambda n=n: start + 10 * n  # type: ignore[misc]
        announce(tracker_client, alice.passkey, torrent, peer_id(label=label), uploaded=2**53)
    assert fetch(
        settings, "SELECT uploaded, typeof(uploaded), typeof(downloaded) FROM users WHERE id = ?",
        alice.id,
    ) == [(3 * 2**53, "integer", "integer")]  # fmt: skip


def test_the_counter_maximum_is_a_setting(make_board: Callable[..., Board]) -> None:
    board = make_board(tracker_counter_max=1000)
    member = add_member(board.settings, "m")
    torrent = register_torrent(board.settings, member.id, "t").key
    assert announce(board.client, member.passkey, torrent, peer_id(), left=1000).get(b"interval")
    refused = announce(board.client, member.passkey, torrent, peer_id(), left=1001)
    assert reason(refused) == b"left is impossibly large (the tracker accepts at most 1000 bytes)"


def test_a_poison_announce_fails_alone_and_the_writer_goes_on(
    settings: Settings,
    tracker: Tracker,
    tracker_client: TestClient[Any],
    alice: Member,
    bob: Member,
    downloader: Callable[[bytes], None],
) -> None:
    """Both announces join the same batch; the poison's overflow must not take the honest
    one down with it, nor any announce after it."""
    torrent = register_torrent(settings, alice.id, "poison").key
    downloader(torrent)
    poison = announce_query(torrent, "poison", uploaded=2**63 - 1)
    honest = announce_query(torrent, "honest", uploaded=4096)

    async def concurrently() -> list[bytes]:
        bad = tracker.apply_announce(bob.passkey, poison, LOOPBACK, b"")
        good = tracker.apply_announce(alice.passkey, honest, LOOPBACK, b"")
        return list(await asyncio.gather(outcome(*bad), outcome(*good)))

    bad_reply, good_reply = tracker_client.blocking_portal.call(concurrently)
    assert b"failure reason" in bad_reply
    assert b"failure reason" not in good_reply
    assert fetch(settings, "SELECT uploaded FROM users WHERE id = ?", alice.id) == [(4096,)]
    later = announce(tracker_client, bob.passkey, torrent, peer_id(label="later"), uploaded=1)
    assert b"failure reason" not in later
    assert fetch(settings, "SELECT uploaded FROM users WHERE id = ?", bob.id) == [(1,)]


def test_a_write_that_cannot_commit_is_split_off_and_the_rest_is_saved(
    settings: Settings,
    tracker: Tracker,
    tracker_client: TestClient[Any],
    alice: Member,
    bob: Member,
    downloader: Callable[[bytes], None],
) -> None:
    """Whatever slips past the input checks (here a credit SQLite cannot store), the
    writer bisects the batch down to it, answers it with a failure and keeps nothing."""
    registered = register_torrent(settings, alice.id, "split")
    downloader(registered.key)
    honest = [announce_query(registered.key, f"h{n}", uploaded=n + 1) for n in range(5)]

    async def batch_with_a_bad_write() -> list[bytes]:
        applied = [tracker.apply_announce(alice.passkey, q, LOOPBACK, b"") for q in honest[:2]]
        bad = tracker.writer.pending.entry()
        swarm = tracker.swarm(registered.id)
        bad_key = (bob.id, peer_id(label="bad"))
        bad.log(removed_row(registered.id, bad_key, STOPPED, (2**64, 0, 0), False, swarm, 0))
        applied += [tracker.apply_announce(alice.passkey, q, LOOPBACK, b"") for q in honest[2:]]
        replies = await asyncio.gather(*(outcome(*each) for each in applied))
        return [*replies, await outcome(b"bad", bad)]

    replies = tracker_client.blocking_portal.call(batch_with_a_bad_write)
    assert [b"failure reason" in reply for reply in replies[:5]] == [False] * 5
    assert replies[5] == BUSY
    assert fetch(settings, "SELECT uploaded FROM users WHERE id = ?", alice.id) == [(15,)]
    assert fetch(settings, "SELECT uploaded FROM users WHERE id = ?", bob.id) == [(0,)]
    after = announce(tracker_client, bob.passkey, registered.key, peer_id(label="b"), left=1)
    assert b"failure reason" not in after


def test_a_stream_of_made_up_stopped_peers_stays_bounded(make_board: Callable[..., Board]) -> None:
    board = make_board(departed_per_member_max=4, departed_max=30)
    tracker: Tracker = board.app.state.tracker
    flooder = add_member(board.settings, "flooder")
    releases = [register_torrent(board.settings, flooder.id, f"t{n}").key for n in range(10)]
    for n in range(100):
        announce(board.client, flooder.passkey, releases[n % 10], peer_id(label=f"fake-{n}"),
                 event="stopped")  # fmt: skip
        assert len(tracker.departures) <= min(30, 4 * 10)
    assert len(tracker.departures) == 30


def test_the_sweep_forgets_departed_peers_after_six_hours(
    settings: Settings, tracker: Tracker, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "forget").key
    start = int(tracker.clock())
    for n in range(3):
        announce(tracker_client, alice.passkey, torrent, peer_id(label=str(n)), event="stopped")
    tracker.clock = lambda: start + 6 * 3600 - 1
    tracker_client.blocking_portal.call(tracker.sweep)
    assert len(tracker.departures) == 3
    tracker.clock = lambda: start + 6 * 3600 + 60
    tracker_client.blocking_portal.call(tracker.sweep)
    assert len(tracker.departures) == 0


def test_departed_peers_are_bounded_per_member_and_torrent_oldest_first() -> None:
    departures = Departures(keep_seconds=100, per_member_max=3, total_max=1000)
    for n in range(5):
        departures.record(1, 7, b"peer%d" % n, Departed(n, n, 0))
    departures.record(1, 8, b"other", Departed(9, 9, 0))
    assert len(departures) == 4
    assert departures.take(1, 7, b"peer1") is None
    assert departures.take(1, 7, b"peer4") == Departed(4, 4, 0)
    assert departures.take(1, 8, b"other") == Departed(9, 9, 0)


def test_departed_peers_expire_in_small_slices() -> None:
    """Each call forgets at most ``limit`` entries, so a sweep yields to the loop between
    slices however many departed peers there are."""
    departures = Departures(keep_seconds=100, per_member_max=10, total_max=100_000)
    for n in range(50_000):
        departures.record(n, 1, b"p", Departed(0, 0, n % 10))
    departures.record(0, 2, b"young", Departed(0, 0, 150))
    slices = 0
    while departures.expire(now=200, limit=2000):
        slices += 1
    assert slices == 25
    assert len(departures) == 1
    assert departures.take(0, 2, b"young") is not None


def test_a_returning_peer_replaces_its_departure(make_board: Callable[..., Board]) -> None:
    departures = Departures(keep_seconds=100, per_member_max=2, total_max=3)
    for n in range(10):
        departures.record(1, 1, b"same", Departed(n, n, n))
    assert len(departures) == 1
    assert departures.take(1, 1, b"same") == Departed(9, 9, 9)


def test_latin_1_bytes_in_a_peer_ids_version_are_a_normal_announce(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "latin").key
    odd = b"-qB4\xe9\xb2\xaa-" + bytes(range(200, 212))
    reply = announce(tracker_client, alice.passkey, torrent, odd, left=1)
    assert b"failure reason" not in reply
    assert fetch(settings, "SELECT client FROM peers") == [("qBittorrent 4",)]
