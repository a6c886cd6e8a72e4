"""Real BitTorrent clients move real bytes through TinyPier's tracker, and nothing else.

Member Alice seeds a generated payload with libtorrent (Debian's ``python3-libtorrent``,
driven by ``realclient/lt_client.py`` under ``/usr/bin/python3``); member Bob downloads it
from his own copy of the .torrent: a v1 torrent with ``aria2c``, a hybrid (v1 + v2) one
with a second libtorrent, because aria2c 1.36 computes a wrong v1 info hash for hybrid
torrents (it mishandles the empty key of the v2 file tree; aria2/aria2#1903) and the
tracker rightly calls that hash unregistered. DHT, LSD, PEX, UPnP and NAT-PMP are
off and everything listens on loopback, so the clients can only meet through the tracker,
served by ``tinypier serve`` as a separate process. Afterwards the database must say what
happened: one completed download, a snatch for Bob, Bob's download and Alice's upload
credited once, and an empty swarm once both clients said goodbye.

Observed client behaviour this relies on: aria2c with ``--seed-time=0`` never sends
``completed``; its last announce is ``stopped`` with ``left=0``, which the tracker must
count as the completion. libtorrent announces a hybrid torrent under both info hashes
with one peer id and one set of counters, which must credit each member once, not twice.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes

import bencodepy
import pytest

from tests.boards import Release, register_torrent
from tests.helpers import Member, add_member, with_passkey
from tests.servers import free_port, serving
from tinypier.datadir import prepare_data_dir
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings, load_settings
from tinypier.torrents.metainfo import personalise

SYSTEM_PYTHON = "/usr/bin/python3"
LT_CLIENT = Path(__file__).parent / "realclient" / "lt_client.py"
PAYLOAD_SIZE = 4 * 1024 * 1024 + 12345
# Long enough that no periodic announce happens during a test: every credit must come
# from an event announce, and only a ``stopped`` (not expiry after 1.5 intervals) can
# empty the swarm within the test's waits.
ANNOUNCE_INTERVAL = 120
DOWNLOAD_TIMEOUT = 90
WAIT_TIMEOUT = 30


def _libtorrent_missing() -> str | None:
    if not Path(SYSTEM_PYTHON).is_file():
        return f"{SYSTEM_PYTHON} is missing (install python3-libtorrent)"
    check = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import libtorrent"], capture_output=True, timeout=30, check=False
    )
    if check.returncode != 0:
        return f"{SYSTEM_PYTHON} cannot import libtorrent (install python3-libtorrent)"
    return None


def _missing_clients() -> str | None:
    if shutil.which("aria2c") is None:
        return "aria2c is missing (install aria2)"
    return _libtorrent_missing()


MISSING = _missing_clients()
pytestmark = [
    pytest.mark.realclient,
    pytest.mark.skipif(MISSING is not None, reason=MISSING or ""),
]


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@dataclass(frozen=True)
class Tracker:
    """A board served by ``tinypier serve`` in its own process."""

    settings: Settings
    url: str

    def announce_url(self, member: Member) -> str:
        return f"{self.url}/announce/{member.passkey}"

    def row(self, sql: str, *params: Any) -> tuple[Any, ...]:
        connection = connect_sync(self.settings.database_path)
        try:
            found = connection.execute(sql, params).fetchone()
            return tuple(found) if found is not None else ()
        finally:
            connection.close()

    def swarm(self, release: Release) -> tuple[int, int, int]:
        """(seeders, leechers, completed) as the site reads them."""
        seeders, leechers, completed = self.row(
            "SELECT seeders, leechers, completed FROM torrents WHERE id = ?", release.torrent_id
        )
        return (seeders, leechers, completed)

    def credited(self, member: Member) -> tuple[int, int]:
        uploaded, downloaded = self.row(
            "SELECT uploaded, downloaded FROM users WHERE id = ?", member.id
        )
        return (uploaded, downloaded)

    def scrape(self, member: Member, info_hash: bytes) -> Any:
        query = "info_hash=" + quote_from_bytes(info_hash, safe="")
        with urllib.request.urlopen(f"{self.url}/scrape/{member.passkey}?{query}") as reply:
            return bencodepy.decode(reply.read())[b"files"][info_hash]


@pytest.fixture
def board(tmp_path: Path) -> Settings:
    settings = load_settings(tmp_path / "board", environ={})
    prepare_data_dir(settings)
    return settings


@pytest.fixture
def tracker(board: Settings, tmp_path: Path) -> Iterator[Tracker]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TINYPIER_")}
    environment["TINYPIER_ANNOUNCE_INTERVAL"] = str(ANNOUNCE_INTERVAL)
    environment["TINYPIER_MIN_ANNOUNCE_INTERVAL"] = str(ANNOUNCE_INTERVAL)
    with serving(board.data_dir, tmp_path / "tinypier.log", environment) as url:
        yield Tracker(board, url)


class Seeder:
    """libtorrent seeding in its own process; its stdout is one JSON object per line."""

    def __init__(self, torrent: Path, save_path: Path, log: Path) -> None:
        self.log = log
        self._stdout = log.open("wb")
        self.process = subprocess.Popen(
            [SYSTEM_PYTHON, str(LT_CLIENT), "seed", str(torrent), str(save_path)],
            stdout=self._stdout,
            stderr=subprocess.STDOUT,
        )

    def lines(self) -> list[dict[str, Any]]:
        text = self.log.read_text(errors="replace")
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def last_uploaded(self) -> int:
        return max(int(line.get("uploaded", 0)) for line in self.lines())

    def stop(self) -> None:
        """SIGTERM: the script pauses the torrent and waits for libtorrent's ``stopped``."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=WAIT_TIMEOUT)
        self._stdout.close()


@pytest.fixture
def seeders() -> Iterator[Callable[[Path, Path, Path], Seeder]]:
    started: list[Seeder] = []

    def start(torrent: Path, save_path: Path, log: Path) -> Seeder:
        started.append(Seeder(torrent, save_path, log))
        return started[-1]

    yield start
    for seeder in started:
        seeder.stop()


def make_torrent(payload: Path, torrent: Path, announce: str, hybrid: bool) -> bytes:
    command = [SYSTEM_PYTHON, str(LT_CLIENT), "create", str(payload), str(torrent), announce]
    subprocess.run([*command, *(["--hybrid"] if hybrid else [])], check=True, timeout=60)
    return torrent.read_bytes()


def aria2c_download(torrent: Path, directory: Path, log: Path) -> None:
    download = subprocess.run(
        [
            "aria2c",
            "--enable-dht=false",
            "--enable-dht6=false",
            "--bt-enable-lpd=false",
            "--enable-peer-exchange=false",
            "--seed-time=0",
            "--bt-tracker-interval=1",
            f"--listen-port={free_port()}",
            "--file-allocation=none",
            "--allow-overwrite=true",
            "--auto-file-renaming=false",
            "--summary-interval=0",
            "--console-log-level=warn",
            f"--log={log}",
            "--log-level=info",
            f"--dir={directory}",
            str(torrent),
        ],
        capture_output=True,
        timeout=DOWNLOAD_TIMEOUT,
        check=False,
    )
    assert download.returncode == 0, download.stdout + download.stderr


def libtorrent_download(torrent: Path, directory: Path, log: Path) -> None:
    """Runs until complete, then pauses, so the tracker hears ``completed`` and ``stopped``."""
    with log.open("wb") as output:
        download = subprocess.run(
            [SYSTEM_PYTHON, str(LT_CLIENT), "download", str(torrent), str(directory)],
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=DOWNLOAD_TIMEOUT,
            check=False,
        )
    assert download.returncode == 0, log.read_text()


@pytest.mark.parametrize(
    ("hybrid", "download"),
    [(False, aria2c_download), (True, libtorrent_download)],
    ids=["v1-to-aria2c", "hybrid-to-libtorrent"],
)
def test_a_download_between_two_members_goes_through_the_tracker_and_credits_both(
    tracker: Tracker,
    seeders: Callable[[Path, Path, Path], Seeder],
    tmp_path: Path,
    hybrid: bool,
    download: Callable[[Path, Path, Path], None],
) -> None:
    alice = add_member(tracker.settings, "alice")
    bob = add_member(tracker.settings, "bob")
    payload = tmp_path / "seed" / "payload.bin"
    payload.parent.mkdir()
    payload.write_bytes(os.urandom(PAYLOAD_SIZE))
    torrent = make_torrent(payload, tmp_path / "alice.torrent", tracker.announce_url(alice), hybrid)
    release = register_torrent(tracker.settings, alice.id, torrent)
    assert (release.info_hash_v2 is not None) == hybrid
    bobs_copy = tmp_path / "bob.torrent"
    bobs_copy.write_bytes(personalise(torrent, tracker.announce_url(bob), "bob's copy"))

    seeder = seeders(tmp_path / "alice.torrent", payload.parent, tmp_path / "libtorrent.log")
    wait_until(lambda: tracker.swarm(release) == (1, 0, 0), "Alice to be seeding")

    download(bobs_copy, tmp_path / "bob", tmp_path / "bob.log")
    assert (tmp_path / "bob" / "payload.bin").read_bytes() == payload.read_bytes()
    wait_until(lambda: tracker.swarm(release) == (1, 0, 1), "Bob to leave as a snatcher")

    seeder.stop()
    wait_until(lambda: tracker.swarm(release) == (0, 0, 1), "Alice's stopped announce")
    assert tracker.row("SELECT COUNT(*) FROM peers") == (0,)
    snatchers = tracker.row("SELECT user_id FROM snatches WHERE torrent_id = ?", release.torrent_id)
    assert snatchers == (bob.id,)
    bob_uploaded, bob_downloaded = tracker.credited(bob)
    assert bob_uploaded == 0
    assert PAYLOAD_SIZE <= bob_downloaded < 2 * PAYLOAD_SIZE
    alice_uploaded, alice_downloaded = tracker.credited(alice)
    assert alice_downloaded == 0
    assert alice_uploaded == seeder.last_uploaded() >= PAYLOAD_SIZE
    scraped = {b"complete": 0, b"incomplete": 0, b"downloaded": 1}
    hashes = [release.info_hash, release.info_hash_v2[:20] if release.info_hash_v2 else None]
    for info_hash in filter(None, hashes):
        assert tracker.scrape(alice, info_hash) == scraped


def test_members_seeding_an_imported_boards_torrents_keep_announcing_at_the_old_url(
    tracker: Tracker, seeders: Callable[[Path, Path, Path], Seeder], tmp_path: Path
) -> None:
    """Two libtorrent clients whose torrents carry TorrentPier's announce URLs (2.x's
    ``/bt/announce.php``, 3.0's ``/bt/announce``) with the members' old passkeys meet
    through the tracker and are credited as at ``/announce/<passkey>``."""
    alice = with_passkey(tracker.settings, add_member(tracker.settings, "alice"), "Ab3dE6gH9k")
    bob = with_passkey(
        tracker.settings, add_member(tracker.settings, "bob"), "Zq8xW7vU6tS5rP4oN3mL"
    )
    payload = tmp_path / "seed" / "payload.bin"
    payload.parent.mkdir()
    payload.write_bytes(os.urandom(PAYLOAD_SIZE))
    alice_url = f"{tracker.url}/bt/announce.php?uk={alice.passkey}"
    torrent = make_torrent(payload, tmp_path / "alice.torrent", alice_url, hybrid=False)
    release = register_torrent(tracker.settings, alice.id, torrent)
    bobs_copy = tmp_path / "bob.torrent"
    bob_url = f"{tracker.url}/bt/announce?uk={bob.passkey}"
    bobs_copy.write_bytes(personalise(torrent, bob_url, "bob's copy"))

    seeder = seeders(tmp_path / "alice.torrent", payload.parent, tmp_path / "libtorrent.log")
    wait_until(lambda: tracker.swarm(release) == (1, 0, 0), "Alice to be seeding")
    libtorrent_download(bobs_copy, tmp_path / "bob", tmp_path / "bob.log")
    assert (tmp_path / "bob" / "payload.bin").read_bytes() == payload.read_bytes()
    wait_until(lambda: tracker.swarm(release) == (1, 0, 1), "Bob to leave as a snatcher")
    seeder.stop()
    wait_until(lambda: tracker.swarm(release) == (0, 0, 1), "Alice's stopped announce")

    bob_uploaded, bob_downloaded = tracker.credited(bob)
    assert (bob_uploaded, PAYLOAD_SIZE <= bob_downloaded < 2 * PAYLOAD_SIZE) == (0, True)
    assert tracker.credited(alice) == (seeder.last_uploaded(), 0)
    assert seeder.last_uploaded() >= PAYLOAD_SIZE
    assert release.info_hash is not None
    query = "info_hash=" + quote_from_bytes(release.info_hash, safe="")
    with urllib.request.urlopen(f"{tracker.url}/bt/scrape.php?uk={bob.passkey}&{query}") as reply:
        scraped = bencodepy.decode(reply.read())[b"files"][release.info_hash]
    assert scraped == {b"complete": 0, b"incomplete": 0, b"downloaded": 1}
