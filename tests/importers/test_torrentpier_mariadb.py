"""``--mysql``: a live MariaDB holding the fixture board imports as the dump does.

The test starts its own server (Debian's ``mariadb-server``, installed by ``.ci/run``):
a data directory made by ``mariadb-install-db`` in a temporary folder, a Unix socket
there, no TCP port. The fixture dump is loaded with the ``mariadb`` client, so the rows
the importer reads are the server's, typed by the server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import run_cli
from tests.importers.conftest import Imported, import_board
from tests.importers.test_torrentpier_import import SAME_BOARD
from tests.importers.torrentpier_fixture import write_board

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("mariadbd") is None and not Path("/usr/sbin/mariadbd").exists(),
        reason="needs Debian's mariadb-server",
    ),
]
SERVER = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
START_SECONDS = 60


@pytest.fixture(scope="module")
def socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A MariaDB server of this test's own, on a socket in a temporary folder."""
    folder = tmp_path_factory.mktemp("mariadb")
    data, socket = folder / "data", folder / "mysqld.sock"
    user = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run(
        [
            "mariadb-install-db",
            "--no-defaults",
            f"--datadir={data}",
            "--skip-test-db",
            "--auth-root-authentication-method=normal",
            *user,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    server = subprocess.Popen(
        [
            SERVER,
            "--no-defaults",
            f"--datadir={data}",
            f"--socket={socket}",
            "--skip-networking",
            f"--pid-file={folder / 'mysqld.pid'}",
            f"--log-error={folder / 'error.log'}",
            *user,
        ],
    )
    try:
        _wait_for(socket, server, folder / "error.log")
        yield socket
    finally:
        server.terminate()
        server.wait(timeout=60)


def _wait_for(socket: Path, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"mariadbd exited: {log.read_text(errors='replace')}")
        ping = subprocess.run(
            ["mariadb-admin", "--no-defaults", f"--socket={socket}", "-uroot", "ping"],
            capture_output=True,
        )
        if ping.returncode == 0:
            return
        time.sleep(0.2)
    raise AssertionError("mariadbd did not answer in time")


def _load(socket: Path, database: str, dump: Path) -> None:
    client = ["mariadb", "--no-defaults", f"--socket={socket}", "-uroot"]
    subprocess.run([*client, "-e", f"CREATE DATABASE {database}"], check=True)
    with dump.open("rb") as stream:
        subprocess.run([*client, database], stdin=stream, check=True)


@pytest.mark.parametrize("version", ["2.4", "3.0"])
def test_a_live_database_yields_the_board_the_dump_does(
    socket: Path, tmp_path: Path, version: str
) -> None:
    board = write_board(tmp_path, version)
    from_dump = import_board(board, tmp_path / "from-dump")
    database = "tp" + version.replace(".", "")
    _load(socket, database, board.dump)
    url = f"mysql://root@localhost/{database}?unix_socket={socket}"
    result = run_cli(
        tmp_path / "from-server",
        "import-torrentpier",
        "--mysql",
        url,
        "--files",
        str(board.root),
        "--json",
    )
    assert result.exit_code == 0, result.output
    from_server = Imported(board, tmp_path / "from-server", json.loads(result.stdout))
    assert from_server.report == from_dump.report
    for sql in SAME_BOARD:
        assert from_server.query(sql) == from_dump.query(sql), sql
