"""``tinypier serve`` gives up cleanly when the board cannot start."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import bencodepy
import httpx
import pytest

from tests.cli.runner import run_cli
from tests.servers import STARTUP_SECONDS, free_port, serve_command, serving
from tests.torrents.test_metainfo import build, content, encode
from tinypier.db.connection import connect_sync
from tinypier.settings import listening_url, load_settings

UVICORN_STARTUP_FAILURE = 3
PASSWORD = "a long enough password\n"


def damage_a_peer_row(database: Path) -> None:
    """A peer whose address is not one, as a hand edit of the database might leave it:
    the tracker refuses to load its swarms and the app's start-up fails after the web's
    database connections are already open."""
    connection = connect_sync(database)
    try:
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute(
            "INSERT INTO peers (torrent_id, user_id, peer_id, ipv4, port, uploaded,"
            ' downloaded, "left", client, started_at, last_announce_at)'
            " VALUES (1, 1, ?, 'not an address', 6881, 0, 0, 0, '-qB4650-', 0, 0)",
            (b"-qB4650-" + bytes(12),),
        )
    finally:
        connection.close()


def test_a_board_that_fails_to_start_exits_with_an_error(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run_cli(data_dir, "migrate").exit_code == 0
    damage_a_peer_row(load_settings(data_dir, environ={}).database_path)

    serving = subprocess.run(
        serve_command(data_dir, free_port()),
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )

    assert serving.returncode == UVICORN_STARTUP_FAILURE
    assert "Application startup failed" in serving.stderr


def _release_bytes() -> bytes:
    return encode(build({"a.bin": content(5_000)}))


def _downloaded_announce(data_dir: Path, log: Path, environment: dict[str, str]) -> tuple[str, str]:
    """Serve the board, upload a release and download it as a member: the board's
    address and the announce URL written into the downloaded .torrent."""
    created = json.loads(
        run_cli(
            data_dir, "user", "create", "uploader", "--password-stdin", "--json", stdin=PASSWORD
        ).output
    )
    forum = json.loads(
        run_cli(
            data_dir, "forum", "create", "Films", "--category", "R", "--releases", "--json"
        ).output
    )
    headers = {"Authorization": f"Bearer {created['api_token']}"}
    with serving(data_dir, log, environment) as url:
        uploaded = httpx.post(
            f"{url}/api/torrents",
            data={"title": "A film", "description": "x", "forum_id": str(forum["id"])},
            files={"torrent": ("a.torrent", _release_bytes(), "application/x-bittorrent")},
            headers=headers,
        )
        assert uploaded.status_code == 201, uploaded.text
        download = httpx.get(
            f"{url}/api/torrents/{uploaded.json()['torrent_id']}/download", headers=headers
        )
    announce: bytes = bencodepy.decode(download.content)[b"announce"]
    return url, announce.decode()


def test_without_base_url_torrents_announce_to_the_port_served(tmp_path: Path) -> None:
    environment = {name: value for name, value in os.environ.items() if "TINYPIER_" not in name}

    url, announce = _downloaded_announce(tmp_path / "data", tmp_path / "serve.log", environment)

    assert announce.startswith(f"{url}/announce/")


def test_a_base_url_that_is_set_wins_over_the_port_served(tmp_path: Path) -> None:
    environment = {name: value for name, value in os.environ.items() if "TINYPIER_" not in name}
    environment["TINYPIER_BASE_URL"] = "https://pier.example"

    _, announce = _downloaded_announce(tmp_path / "data", tmp_path / "serve.log", environment)

    assert announce.startswith("https://pier.example/announce/")


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 18080, "http://127.0.0.1:18080"),
        ("0.0.0.0", 80, "http://127.0.0.1:80"),
        ("::", 8080, "http://[::1]:8080"),
        ("::1", 8080, "http://[::1]:8080"),
        ("pier.lan", 8080, "http://pier.lan:8080"),
    ],
)
def test_the_listening_address_as_a_base_url(host: str, port: int, url: str) -> None:
    assert listening_url(host, port) == url


def test_settings_from_the_file_win_over_the_listening_address(tmp_path: Path) -> None:
    (tmp_path / "tinypier.toml").write_text('base_url = "https://pier.example/"\n')

    settings = load_settings(tmp_path, environ={}, defaults={"base_url": "http://127.0.0.1:1"})

    assert settings.base_url == "https://pier.example"
    assert load_settings(
        tmp_path / "new", environ={}, defaults={"base_url": "http://h:1"}
    ).base_url == ("http://h:1")
