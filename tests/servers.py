"""``tinypier serve`` as its own process, for the tests that need a real server.

The real-client, browser and crash tests talk to the board over real sockets, the way
BitTorrent clients and browsers do; they share one way to pick a port, start the
server, know it is ready, and stop it.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TINYPIER = Path(sys.executable).with_name("tinypier")
# A deadline, not a wait: a quiet machine starts a board in a second or two, but tests run
# in parallel (pytest-xdist) on a loaded 2-CPU machine have seen a fresh board's startup
# (migrations, then the tracker) take over 30 s.
STARTUP_SECONDS = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_command(data_dir: Path, port: int, executable: Path = TINYPIER) -> list[str]:
    return [str(executable), "--data-dir", str(data_dir), "serve", "--port", str(port)]


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


def wait_until_accepting(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Ready means listening: uvicorn binds its socket only after the app's startup
    (migrations, loading the tracker's swarms) has finished."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _accepts(port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError("tinypier serve did not start:\n" + log.read_text())
        time.sleep(0.1)


@dataclass(frozen=True)
class Served:
    """A running ``tinypier serve``: where it listens, and its process (to measure it)."""

    url: str
    pid: int

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").split(":")
        return host, int(port)


@contextmanager
def serving_process(
    data_dir: Path,
    log: Path,
    environment: Mapping[str, str] | None = None,
    port: int | None = None,
) -> Iterator[Served]:
    """A board served on a loopback port (a free one unless given: a test that sets the
    board's base URL picks it first) until the block ends, then stopped with SIGINT so
    the tracker commits what it holds, as it would on Ctrl-C."""
    port = port or free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            serve_command(data_dir, port),
            env=None if environment is None else dict(environment),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_accepting(port, process, log)
            yield Served(f"http://127.0.0.1:{port}", process.pid)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=STARTUP_SECONDS)


@contextmanager
def serving(
    data_dir: Path,
    log: Path,
    environment: Mapping[str, str] | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """A board served on a loopback port (free unless given); yields its base URL."""
    with serving_process(data_dir, log, environment, port) as served:
        yield served.url


def read_response(connection: socket.socket, pending: bytearray) -> tuple[bytes, bytes]:
    """One response off the socket (head, body), by its Content-Length; bytes of later
    responses stay in ``pending``."""
    while b"\r\n\r\n" not in pending:
        chunk = connection.recv(65536)
        assert chunk, "the server closed the connection before answering"
        pending += chunk
    end = pending.index(b"\r\n\r\n")
    head = bytes(pending[:end])
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(pending) < end + 4 + length:
        chunk = connection.recv(65536)
        assert chunk, "the server closed the connection mid-body"
        pending += chunk
    body = bytes(pending[end + 4 : end + 4 + length])
    del pending[: end + 4 + length]
    return head, body
