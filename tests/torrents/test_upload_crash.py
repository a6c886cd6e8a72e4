"""``kill -9`` during uploads: every acknowledged release survives, and check passes.

The server runs as its own process while scripts post releases through the API. It is
killed without warning mid-stream, restarted, and then: every release whose upload was
answered 201 is there and downloads with the hash it was registered under, no temporary
upload file is left, and ``tinypier check`` exits 0 (files of unacknowledged uploads are
at most warnings).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.cli.runner import run_cli
from tests.helpers import add_member
from tests.servers import free_port
from tests.torrents.releases import api_token, bearer, release_forum
from tests.torrents.test_metainfo import build, content, encode
from tests.tracker.conftest import Server
from tinypier.attachments import temporary_uploads
from tinypier.datadir import prepare_data_dir
from tinypier.settings import Settings, load_settings
from tinypier.torrents.metainfo import parse_torrent

pytestmark = pytest.mark.slow

LOAD_SECONDS = 1.5
THREADS = 3
# Large enough that writing and syncing the file takes a noticeable share of each upload.
PADDING = 1024 * 1024


@dataclass
class Uploads:
    """Releases the server acknowledged: torrent id -> v1 info hash (hex)."""

    acknowledged: dict[int, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def torrent(thread: int, number: int) -> bytes:
    metainfo = build({"f": content(64, seed=thread * 10_000 + number)})
    metainfo[b"comment"] = b"x" * PADDING
    return encode(metainfo)


def upload_until_killed(
    base_url: str, token: str, forum_id: int, thread: int, uploads: Uploads
) -> None:
    with httpx.Client(base_url=base_url, headers=bearer(token), timeout=10) as client:
        for number in range(10_000):
            try:
                response = client.post(
                    "/api/torrents",
                    data={
                        "title": f"Crash {thread}-{number}",
                        "description": "Uploaded while the server was killed.",
                        "forum_id": str(forum_id),
                    },
                    files={"torrent": ("t.torrent", torrent(thread, number))},
                )
            except httpx.HTTPError:
                return
            if response.status_code == 201:
                created = response.json()
                with uploads.lock:
                    uploads.acknowledged[created["torrent_id"]] = created["info_hash"]


@pytest.fixture
def board(tmp_path: Path) -> Iterator[tuple[Settings, Server]]:
    settings = load_settings(tmp_path / "board", environ={})
    prepare_data_dir(settings)
    server = Server(settings.data_dir, free_port())
    try:
        yield settings, server
    finally:
        server.stop()


def test_every_acknowledged_upload_survives_kill_9_and_check_passes(
    board: tuple[Settings, Server],
) -> None:
    settings, server = board
    token = api_token(settings, add_member(settings, "scripter"))
    forum_id = release_forum(settings)
    server.start()
    base_url = f"http://127.0.0.1:{server.port}"
    uploads = Uploads()
    threads = [
        threading.Thread(target=upload_until_killed, args=(base_url, token, forum_id, n, uploads))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(LOAD_SECONDS)
    server.kill()
    for thread in threads:
        thread.join()
    assert uploads.acknowledged, "no upload finished before the kill: raise LOAD_SECONDS"

    server.start()
    with httpx.Client(base_url=base_url, headers=bearer(token), timeout=10) as client:
        copies = {
            torrent_id: client.get(f"/api/torrents/{torrent_id}/download")
            for torrent_id in uploads.acknowledged
        }
    report = run_cli(settings.data_dir, "check")

    assert temporary_uploads(settings.attachments_dir) == []
    assert {
        torrent_id: parse_torrent(copy.content).info_hash_v1_hex
        for torrent_id, copy in copies.items()
    } == uploads.acknowledged
    assert report.exit_code == 0, report.output
