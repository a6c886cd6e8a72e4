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
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import bencodepy
import pytest

from tests.helpers import Member, add_member
from tests.servers import TINYPIER, free_port, serve_command, wait_until_accepting
from tests.tracker.wire import announce_fields, fetch, peer_id, query, register_torrent
from tinypier.settings import Settings, load_settings

pytestmark = pytest.mark.slow

# The load sends a megabyte per announce, milliseconds apart: far above the default rate
# caps. This test is about durability, so nothing may be withheld.
UNCAPPED_RATES = {"TINYPIER_MAX_UPLOAD_RATE": str(2**53), "TINYPIER_MAX_DOWNLOAD_RATE": str(2**53)}
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


@dataclass
class Server:
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    log: list[Path] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        log_path = self.data_dir.parent / f"serve{len(self.log)}.log"
        self.log.append(log_path)
        with log_path.open("wb") as output:
            self.process = subprocess.Popen(
                serve_command(self.data_dir, self.port),
                stdout=output,
                stderr=subprocess.STDOUT,
                env={
                    **os.environ,
                    "TINYPIER_COMMIT_INTERVAL_MS": "2",
                    **UNCAPPED_RATES,
                    **self.environment,
                },
            )
        wait_until_accepting(self.port, self.process, log_path)

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    data_dir = tmp_path / "board"
    subprocess.run(
        [str(TINYPIER), "--data-dir", str(data_dir), "migrate"], check=True, capture_output=True
    )
    running = Server(data_dir, free_port())
    try:
        yield running
    finally:
        running.stop()


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
