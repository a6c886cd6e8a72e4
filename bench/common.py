"""What every benchmark here shares: a free loopback port, ``tinypier serve`` as its own
process until the block ends, the server's peak memory, and a line naming the machine.

The scripts in ``bench/`` are run standalone with the project's virtualenv
(``.venv/bin/python bench/NAME.py``) and import this module as a sibling; they never import
from ``tests/``.
"""

from __future__ import annotations

import os
import platform
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"
TINYPIER = Path(sys.executable).parent / "tinypier"
START_TIMEOUT = 900.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited at start:\n{log.read_text(errors='replace')}")
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server did not listen on port {port} within {START_TIMEOUT} s")


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the most resident memory the process ever had."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tinypier_serve(data_dir: Path, port: int) -> list[str]:
    return [
        str(TINYPIER),
        "--data-dir",
        str(data_dir),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
    ]


def cpu_seconds(pid: int) -> float:
    """User plus system time the process has used so far, all its threads included
    (``/proc/<pid>/stat`` counts the whole thread group, threads that ended too)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ", from field 3
    user, system = int(fields[14 - 3]), int(fields[15 - 3])
    return (user + system) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(
    command: list[str], port: int, log: Path, cwd: Path, env: dict[str, str] | None = None
) -> Iterator[int]:
    """Run a server until the block ends; yields its pid once it accepts connections."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, cwd=cwd, env=env
        )
        try:
            wait_for_port(port, process, log)
            yield process.pid
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def machine() -> str:
    """CPUs, RAM, kernel, Python and the load average: what a figure was measured on."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )  # fmt: skip
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )  # fmt: skip
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory_kib / 1024**2:.1f} GiB RAM,"
        f" Linux {platform.release()}, Python {platform.python_version()};"
        f" load average {load} when the table was printed"
    )
