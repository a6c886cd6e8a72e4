"""Nothing answered is lost: announces under load, ``kill -9``, restart, count the bytes.

The server runs as its own process (``tinypier serve``). Every peer's counters only grow,
so what a member was credited must lie between the last values the tracker *answered*
(those commits are durable) and the last values that were *sent* (an unanswered announce
may or may not have been committed), and must equal the baselines in the peers table less
what the cheat log says was withheld (credit, baseline and cheat log commit together; a
swarm's first uploader has nobody to upload to, so its upload is withheld).
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from dataclasses import dataclass

import bencodepy
import pytest

from tests.helpers import Member, add_member
from tests.tracker.conftest import Server
from tests.tracker.wire import announce_fields, fetch, peer_id, query, register_torrent
from tinypier.settings import Settings, load_settings

pytestmark = pytest.mark.slow

LOAD_SECONDS = 2.0
THREADS = 4


@dataclass
class PeerLog:
    passkey: str
    torrent: bytes
    peer: bytes
    member_id: int
    sent: tuple[int, int] = (0, 0)
    answered: tuple[int, int] = (0, 0)


def seed(settings: Settings) -> list[PeerLog]:
    members: list[Member] = [add_member(settings, f"m{n}") for n in range(3)]
    torrents = [register_torrent(settings, members[0].id, f"t{n}").key for n in range(4)]
    return [
        PeerLog(member.passkey, torrent, peer_id(label=f"{member.id}-{n}"), member.id)
        for member in members
        for n, torrent in enumerate(torrents)
    ]


def announce_once(server: Server, peer: PeerLog, uploaded: int, downloaded: int) -> bool:
    fields = announce_fields(
        peer.torrent, peer.peer, uploaded=uploaded, downloaded=downloaded, left=1 << 30
    )
    status, body = server.get(f"/announce/{peer.passkey}?{query(**fields)}")
    return status == 200 and b"failure reason" not in bencodepy.decode(body)


def drive(server: Server, peers: list[PeerLog], stop: threading.Event) -> None:
    """Announce this thread's peers in turn with growing counters until the server dies."""
    rng = random.Random()
    while not stop.is_set():
        peer = rng.choice(peers)
        uploaded = peer.sent[0] + rng.randrange(1, 1 << 20)
        downloaded = peer.sent[1] + rng.randrange(0, 1 << 20)
        peer.sent = (uploaded, downloaded)
        try:
            answered = announce_once(server, peer, uploaded, downloaded)
        except (OSError, http.client.HTTPException):
            return
        if answered:
            peer.answered = (uploaded, downloaded)


def test_every_answered_announce_is_credited_after_kill_9(server: Server) -> None:
    settings = load_settings(server.data_dir, environ={})
    peers = seed(settings)
    server.start()
    stop = threading.Event()
    shares = [peers[n::THREADS] for n in range(THREADS)]
    threads = [threading.Thread(target=drive, args=(server, share, stop)) for share in shares]
    for thread in threads:
        thread.start()
    time.sleep(LOAD_SECONDS)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join()
    assert all(peer.answered != (0, 0) for peer in peers), "the load never got going"

    server.start()
    check_credit(settings, peers)
    for peer in peers:
        baseline = baseline_of(settings, peer)
        assert announce_once(server, peer, baseline[0] + 1000, baseline[1] + 10)
        peer.answered = peer.sent = (baseline[0] + 1000, baseline[1] + 10)
    check_credit(settings, peers)
    for member_id in {peer.member_id for peer in peers}:
        [credit] = fetch(settings, "SELECT uploaded, downloaded FROM users WHERE id = ?", member_id)
        mine = [peer for peer in peers if peer.member_id == member_id]
        up, down = withheld(settings, member_id)
        assert credit == (
            sum(p.answered[0] for p in mine) - up,
            sum(p.answered[1] for p in mine) - down,
        )


def withheld(settings: Settings, member_id: int) -> tuple[int, int]:
    [row] = fetch(
        settings,
        "SELECT TOTAL(claimed_uploaded - credited_uploaded),"
        " TOTAL(claimed_downloaded - credited_downloaded) FROM cheat_log WHERE user_id = ?",
        member_id,
    )
    return (int(row[0]), int(row[1]))


def baseline_of(settings: Settings, peer: PeerLog) -> tuple[int, int]:
    [row] = fetch(
        settings,
        "SELECT uploaded, downloaded FROM peers WHERE user_id = ? AND peer_id = ?",
        peer.member_id,
        peer.peer,
    )
    return (row[0], row[1])


def check_credit(settings: Settings, peers: list[PeerLog]) -> None:
    """Each peer's durable baseline lies between answered and sent; members' credit is
    exactly the sum of their peers' baselines (all sessions started from zero), less what
    was withheld."""
    for peer in peers:
        baseline = baseline_of(settings, peer)
        for counter in (0, 1):
            assert peer.answered[counter] <= baseline[counter] <= peer.sent[counter]
    for member_id in {peer.member_id for peer in peers}:
        [credit] = fetch(settings, "SELECT uploaded, downloaded FROM users WHERE id = ?", member_id)
        baselines = [baseline_of(settings, p) for p in peers if p.member_id == member_id]
        up, down = withheld(settings, member_id)
        assert credit == (sum(b[0] for b in baselines) - up, sum(b[1] for b in baselines) - down)
