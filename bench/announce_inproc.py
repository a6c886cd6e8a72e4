"""CPU per announce inside one process: the connection front, the tracker and its writer
(group commits and folds of the credit log), without the kernel, uvloop's accept or wrk.

    .venv/bin/python bench/announce_inproc.py                        # this checkout
    .venv/bin/python bench/announce_inproc.py --source ../other-checkout --rounds 5

Why: on a machine shared with other work, wrk's announces/s and even a server's CPU per
announce move by 2x between runs. This drives ``Connection: close`` announces (one new
:class:`~tinypier.tracker.http.TrackerFirstProtocol` per request, over a stand-in
transport) at the same board as ``bench/announce.py`` (1,000 torrents, 20,000 peers),
50 in flight, and reads the process's own CPU time (``time.process_time``) over the
measured announces and the fold of what they appended; the warm-up first fills the
member and release caches. Give ``--source`` a second checkout to compare two versions
run for run (each round runs every source once, in turn); the minimum of the rounds is
the least disturbed figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
CONCURRENCY = 50
SETTLE_SECONDS = 1.2
"""Longer than the default fold interval, so the measured rows are folded in the figure."""


class Transport:
    """What the front uses of an asyncio transport; ``close`` ends the connection on the
    loop's next round, as a socket's would."""

    def __init__(self, protocol: Any, answered: Any) -> None:
        self.protocol = protocol
        self.answered = answered
        self.replies: list[bytes] = []
        self.closing = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 40000) if name == "peername" else default

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def write(self, data: bytes) -> None:
        self.replies.append(data)

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            asyncio.get_running_loop().call_soon(self._lost)

    def _lost(self) -> None:
        self.protocol.connection_lost(None)
        self.answered(self)

    def get_write_buffer_size(self) -> int:
        return 0

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def drive(board: Path, requests: list[bytes], warm: int, count: int) -> float:
    """CPU seconds per announce over ``count`` announces after ``warm`` of them."""
    from tinypier.connections import ConnectionLimits, OpenConnections
    from tinypier.settings import load_settings
    from tinypier.tracker.engine import Tracker
    from tinypier.tracker.http import TrackerFirstProtocol

    settings = load_settings(board, environ={})
    tracker = Tracker(settings)
    await tracker.start()
    limits = ConnectionLimits.from_settings(settings, 5)
    admitted, connections = OpenConnections(limits), set[Any]()
    loop = asyncio.get_running_loop()
    warmed, finished = loop.create_future(), loop.create_future()
    sent = done = 0

    def send() -> None:
        nonlocal sent
        if sent < warm + count:
            protocol = TrackerFirstProtocol(tracker, None, connections, limits, admitted)  # type: ignore[arg-type]
            protocol.connection_made(Transport(protocol, answered))  # type: ignore[arg-type]
            protocol.data_received(requests[sent % len(requests)])
            sent += 1

    def answered(transport: Transport) -> None:
        nonlocal done
        if not transport.replies or not transport.replies[0].startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"not answered: {transport.replies!r}")
        done += 1
        for future, at in ((warmed, warm), (finished, warm + count)):
            if done == at and not future.done():
                future.set_result(None)
        send()

    for _ in range(CONCURRENCY):
        send()
    await warmed
    started = time.process_time()
    await finished
    await asyncio.sleep(SETTLE_SECONDS)
    spent = time.process_time() - started
    await tracker.stop()
    return spent / count


def child(args: argparse.Namespace) -> None:
    """One measurement, in a process that imports ``tinypier`` from ``--source``."""
    import uvloop

    from tinypier.db.migrations import migrate
    from tinypier.settings import load_settings

    # The board was seeded by the checkout running this script; each source brings its
    # copy to its own schema (a newer source's migrations, e.g. a table rebuilt).
    settings = load_settings(Path(args.board), environ={})
    migrate(settings.database_path, settings.backups_dir)
    lines = Path(args.lines).read_text().splitlines()
    requests = [
        f"GET /announce/{passkey}?{query} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        .encode() for passkey, query in (line.split("\t") for line in lines)
    ]  # fmt: skip
    seconds = uvloop.run(drive(Path(args.board), requests, args.warm, args.announces))
    print(json.dumps({"us": seconds * 1e6}))


def measure(source: Path, board: Path, lines: Path, args: argparse.Namespace) -> float:
    with tempfile.TemporaryDirectory(prefix="tinypier-inproc-") as directory:
        copy = Path(directory) / "board"
        shutil.copytree(board, copy)
        command = [sys.executable, __file__, "--child", "--board", str(copy),
                   "--lines", str(lines), "--warm", str(args.warm),
                   "--announces", str(args.announces)]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(source)}
        output = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return float(json.loads(output.stdout.strip().splitlines()[-1])["us"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", action="append", type=Path, help="checkouts to compare")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm", type=int, default=5000)
    parser.add_argument("--announces", type=int, default=5000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--board", help=argparse.SUPPRESS)
    parser.add_argument("--lines", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sys.path.insert(0, str(HERE))
    from board_seed import announce_lines, make_swarms, seed_board
    from common import machine

    sources = [path.resolve() for path in args.source or [HERE.parent]]
    swarms = make_swarms(1000, 1000, 20_000)
    with tempfile.TemporaryDirectory(prefix="tinypier-inproc-") as directory:
        board, lines = Path(directory) / "board", Path(directory) / "announces.tsv"
        seed_board(board, swarms)
        lines.write_text("\n".join(announce_lines(swarms, 100_000)) + "\n")
        figures: dict[Path, list[float]] = {source: [] for source in sources}
        for _ in range(args.rounds):
            for source in sources:
                figures[source].append(measure(source, board, lines, args))
    print(f"{machine()}\n{args.announces:,} Connection: close announces after {args.warm:,}")
    for source, values in figures.items():
        shown = ", ".join(f"{value:.1f}" for value in values)
        print(f"{source}: min {min(values):.1f} us/announce (rounds: {shown})")


if __name__ == "__main__":
    main()
