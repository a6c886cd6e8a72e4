"""The credit log across every crash point: nothing answered is lost, nothing doubled.

A server in its own process stops itself (``os._exit``, as ``kill -9`` would stop it) at
a named point of the writer (``TEST_TINYPIER_STOP_AT``: not ``TINYPIER_``, which names
settings) while one client announces peers one at a time with growing counters. After a
restart, before any announce, each member's credit must be exactly the sum of its
peers' deltas up to the last announce the tracker answered, plus the one in flight only
where it was committed.
"""

from __future__ import annotations

import http.client
import itertools
import random
from collections.abc import Iterator

import pytest

from tests.tracker.conftest import Server
from tests.tracker.test_crash import PeerLog, announce_once, seed
from tests.tracker.wire import fetch_unfolded, log_backlog
from tinypier.settings import Settings, load_settings
from tinypier.tracker.creditlog import (
    AFTER_APPEND_COMMIT,
    AFTER_FOLD_BEFORE_TRIM,
    BEFORE_APPEND_COMMIT,
    MID_FOLD,
    STOP_AT_VARIABLE,
    STOPPED_EXIT_CODE,
)

pytestmark = pytest.mark.slow

MOST_ANNOUNCES = 5000
MEMBER_CREDIT = "SELECT uploaded, downloaded FROM users WHERE id = ?"
Counters = tuple[int, int]


def announce_until_stopped(server: Server, peers: list[PeerLog]) -> tuple[PeerLog, Counters]:
    """Announce every peer once with zero counters (so each swarm has leechers of other
    members to upload to), then random peers with growing counters, until the server
    stops; returns the peer whose announce was in flight and what it sent."""
    joins = ((peer, (0, 0)) for peer in peers)
    for peer, sent in itertools.chain(joins, growing(peers)):
        try:
            answered = announce_once(server, peer, *sent)
        except (OSError, http.client.HTTPException):
            return peer, sent
        assert answered
        peer.answered = sent
    raise AssertionError("the server never reached its stop point")


def growing(peers: list[PeerLog]) -> Iterator[tuple[PeerLog, Counters]]:
    rng = random.Random(16)
    for _ in range(MOST_ANNOUNCES):
        peer = rng.choice(peers)
        uploaded, downloaded = peer.answered
        yield peer, (uploaded + rng.randrange(1, 1 << 20), downloaded + rng.randrange(1 << 20))


def counters(settings: Settings, sql: str, *params: object) -> Counters:
    """The (uploaded, downloaded) a query finds; none if the peer never got that far."""
    found = fetch_unfolded(settings, sql, *params)
    return (found[0][0], found[0][1]) if found else (0, 0)


def baseline(settings: Settings, peer: PeerLog) -> Counters:
    return counters(
        settings,
        "SELECT uploaded, downloaded FROM peers WHERE user_id = ? AND peer_id = ?",
        peer.member_id,
        peer.peer,
    )


SMALL_CHUNK = 2
"""A fold chunk small enough that a fold stopped at its n-th chunk has committed and
trimmed the chunks before it."""


@pytest.mark.parametrize(
    ("point", "in_flight_kept", "chunk_rows"),
    [
        (BEFORE_APPEND_COMMIT, False, None),
        (AFTER_APPEND_COMMIT, True, None),
        (MID_FOLD, None, None),
        (AFTER_FOLD_BEFORE_TRIM, None, None),
        (MID_FOLD, None, SMALL_CHUNK),
        (AFTER_FOLD_BEFORE_TRIM, None, SMALL_CHUNK),
    ],
)
def test_credit_after_a_crash_is_every_answered_announce_once(
    server: Server, point: str, in_flight_kept: bool | None, chunk_rows: int | None
) -> None:
    """``in_flight_kept``: whether the unanswered announce must be credited (its row was
    committed), must not be, or may be (a fold stopped: the last commit before it may
    or may not have held it). With ``chunk_rows``, the fold stops in a later chunk,
    after earlier chunks of the same log were folded and trimmed."""
    settings = load_settings(server.data_dir, environ={})
    peers = seed(settings)
    stop_at = point
    if "append" in point:
        stop_at = f"{point}:{len(peers) + 20}"
    elif chunk_rows is not None:
        stop_at = f"{point}:{(len(peers) + 20) // chunk_rows}"
    server.environment = {
        STOP_AT_VARIABLE: stop_at,
        "TINYPIER_CREDIT_FOLD_INTERVAL_MS": "1000",
    }
    if chunk_rows is not None:
        server.environment["TINYPIER_CREDIT_FOLD_CHUNK_ROWS"] = str(chunk_rows)
    server.start()
    in_flight, sent = announce_until_stopped(server, peers)
    assert any(peer.answered != (0, 0) for peer in peers), "stopped before any credit"
    assert server.process is not None
    assert server.process.wait(timeout=30) == STOPPED_EXIT_CODE
    waiting, folded = log_backlog(settings)
    if point == MID_FOLD:
        assert waiting > 0, "the interrupted fold committed"
    if point == AFTER_FOLD_BEFORE_TRIM:
        assert folded > 0, "the folded rows were trimmed"

    server.environment = {}
    server.start()
    assert log_backlog(settings) == (0, 0)
    durable = {id(peer): peer.answered for peer in peers}
    if in_flight_kept is None:
        assert baseline(settings, in_flight) in (in_flight.answered, sent)
        durable[id(in_flight)] = baseline(settings, in_flight)
    elif in_flight_kept:
        durable[id(in_flight)] = sent
    for peer in peers:
        assert baseline(settings, peer) == durable[id(peer)]
        transfer = counters(
            settings,
            "SELECT t.uploaded, t.downloaded FROM transfers t"
            " JOIN torrents r ON r.id = t.torrent_id WHERE t.user_id = ? AND r.info_hash = ?",
            peer.member_id,
            peer.torrent,
        )
        assert transfer == durable[id(peer)]
    for member_id in {peer.member_id for peer in peers}:
        mine = [durable[id(peer)] for peer in peers if peer.member_id == member_id]
        credited = counters(settings, MEMBER_CREDIT, member_id)
        assert credited == (sum(c[0] for c in mine), sum(c[1] for c in mine))
    assert fetch_unfolded(settings, "SELECT COUNT(*) FROM cheat_log") == [(0,)]
