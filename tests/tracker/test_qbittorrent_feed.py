"""qBittorrent's RSS downloader picks up a new release from a member's feed and completes it.

Debian's ``qbittorrent-nox`` runs headless with its own profile (legal notice accepted
and Web UI authentication bypassed for localhost in its config file) and is configured
only through its Web API v2, as a member would through the Web UI: RSS processing and
auto-downloading on, Bob's feed URL (from ``GET /api/me``) added, and a rule that
downloads everything the feed lists. Then Alice's release is registered on the running
board and seeded by libtorrent; qBittorrent must fetch Bob's personal .torrent from the
feed's enclosure by itself, download the payload through the tracker, and the tracker
must credit Bob with the download. DHT, LSD, PEX and UPnP are off, so the only way the
clients meet is the tracker.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.forum.board import register_upload
from tests.helpers import add_member
from tests.servers import free_port, serving
from tests.torrents.releases import api_token, release_forum
from tests.tracker.test_real_clients import (
    PAYLOAD_SIZE,
    Seeder,
    Tracker,
    _libtorrent_missing,
    make_torrent,
)
from tinypier.datadir import prepare_data_dir
from tinypier.settings import load_settings
from tinypier.torrents.registration import ReleaseUpload

QBITTORRENT = shutil.which("qbittorrent-nox")
MISSING = "qbittorrent-nox is missing" if QBITTORRENT is None else _libtorrent_missing()
STARTUP_TIMEOUT = 60.0
DOWNLOAD_TIMEOUT = 240.0
FEED_NAME = "TinyPier"

pytestmark = [
    pytest.mark.realclient,
    pytest.mark.slow,
    pytest.mark.skipif(MISSING is not None, reason=MISSING or ""),
]


class QBittorrent:
    """A headless qBittorrent and its Web API; failures quote its log."""

    def __init__(self, profile: Path, output: Path) -> None:
        self.profile = profile
        self.output = output
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = profile / "qBittorrent" / "config" / "qBittorrent.conf"
        config.parent.mkdir(parents=True)
        config.write_text(
            "[LegalNotice]\nAccepted=true\n\n"
            "[Preferences]\n"
            "WebUI\\Address=127.0.0.1\n"
            f"WebUI\\Port={self.port}\n"
            "WebUI\\LocalHostAuth=false\n"
            "WebUI\\CSRFProtection=false\n"
            "WebUI\\HostHeaderValidation=false\n"
        )

    def log(self) -> str:
        logs = [self.output, *sorted(self.profile.rglob("qbittorrent.log"))]
        text = "\n".join(path.read_text(errors="replace") for path in logs if path.is_file())
        try:
            main_log = json.dumps(self.get("/api/v2/log/main"), indent=1)
            rss = json.dumps(self.get("/api/v2/rss/items?withData=true"), indent=1)
        except (OSError, ValueError) as error:
            main_log, rss = f"(Web API not answering: {error})", ""
        return f"{text}\n--- Web API log ---\n{main_log}\n--- RSS items ---\n{rss}"

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as reply:
            return json.loads(reply.read() or b"null")

    def post(self, endpoint: str, **fields: str) -> None:
        data = urlencode(fields).encode()
        try:
            with urllib.request.urlopen(self.url + endpoint, data=data, timeout=10) as reply:
                reply.read()
        except urllib.error.HTTPError as error:
            raise AssertionError(
                f"qBittorrent refused {endpoint}: {error.code} {error.read()!r}\n{self.log()}"
            ) from None

    def wait(self, condition: Callable[[], bool], what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if condition():
                    return
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; qBittorrent:\n{self.log()}")
            time.sleep(0.5)

    def torrents(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.get("/api/v2/torrents/info")
        return found


@contextmanager
def qbittorrent(tmp_path: Path) -> Iterator[QBittorrent]:
    client = QBittorrent(tmp_path / "qbt-profile", tmp_path / "qbittorrent.out")
    environment = {**os.environ, "HOME": str(tmp_path / "qbt-home")}
    with client.output.open("wb") as output:
        process = subprocess.Popen(
            [
                str(QBITTORRENT),
                f"--profile={client.profile}",
                f"--webui-port={client.port}",
                f"--torrenting-port={free_port()}",
            ],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=environment,
        )
        try:
            client.wait(
                lambda: process.poll() is None and bool(client.get("/api/v2/app/preferences")),
                "qBittorrent's Web UI",
                STARTUP_TIMEOUT,
            )
            yield client
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def test_qbittorrent_autodownloads_a_new_release_from_the_members_feed(tmp_path: Path) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = load_settings(tmp_path / "board", environ={"TINYPIER_BASE_URL": base_url})
    prepare_data_dir(settings)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TINYPIER_")}
    environment["TINYPIER_BASE_URL"] = base_url
    forum = release_forum(settings)
    alice = add_member(settings, "alice")
    bob = add_member(settings, "bob")
    payload = tmp_path / "seed" / "payload.bin"
    payload.parent.mkdir()
    payload.write_bytes(os.urandom(PAYLOAD_SIZE))
    downloads = tmp_path / "bob-downloads"

    with (
        serving(settings.data_dir, tmp_path / "tinypier.log", environment, port) as url,
        qbittorrent(tmp_path) as client,
    ):
        tracker = Tracker(settings, url)
        me = urllib.request.Request(
            f"{url}/api/me", headers={"Authorization": f"Bearer {api_token(settings, bob)}"}
        )
        with urllib.request.urlopen(me) as reply:
            feed_url: str = json.loads(reply.read())["feed_url"]
        client.post(
            "/api/v2/app/setPreferences",
            json=json.dumps(
                {
                    "rss_processing_enabled": True,
                    "rss_auto_downloading_enabled": True,
                    "rss_refresh_interval": 1,
                    "dht": False,
                    "pex": False,
                    "lsd": False,
                    "upnp": False,
                    "enable_multi_connections_from_same_ip": True,
                    "save_path": str(downloads),
                }
            ),
        )
        client.post("/api/v2/rss/addFeed", url=feed_url, path=FEED_NAME)
        rule = {
            "enabled": True,
            "mustContain": "",
            "affectedFeeds": [feed_url],
            "savePath": str(downloads),
            "addPaused": False,
        }
        client.post("/api/v2/rss/setRule", ruleName="Everything", ruleDef=json.dumps(rule))

        torrent = make_torrent(
            payload, tmp_path / "alice.torrent", tracker.announce_url(alice), False
        )
        upload = ReleaseUpload(forum, alice.id, "Feed release", "Seeded by Alice.", torrent)
        torrent_id = register_upload(settings, upload).torrent_id
        seeder = Seeder(tmp_path / "alice.torrent", payload.parent, tmp_path / "libtorrent.log")
        try:
            client.post("/api/v2/rss/refreshItem", itemPath=FEED_NAME)
            client.wait(lambda: len(client.torrents()) == 1, "the feed's release to be added", 120)
            client.wait(
                lambda: client.torrents()[0]["progress"] == 1,
                "the download to complete",
                DOWNLOAD_TIMEOUT,
            )
            assert (downloads / "payload.bin").read_bytes() == payload.read_bytes()
            client.wait(
                lambda: (
                    tracker.row("SELECT user_id FROM snatches WHERE torrent_id = ?", torrent_id)
                    == (bob.id,)
                ),
                "the tracker to record Bob's completed download",
                60,
            )
        finally:
            seeder.stop()
        assert tracker.credited(bob)[1] >= PAYLOAD_SIZE, client.log()
