"""``tinypier serve`` gives up cleanly when the board cannot start."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.cli.runner import run_cli
from tests.servers import STARTUP_SECONDS, free_port, serve_command
from tinypier.db.connection import connect_sync
from tinypier.settings import load_settings

UVICORN_STARTUP_FAILURE = 3


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
