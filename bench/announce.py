"""Announce benchmark: TinyPier's tracker, pure and compiled, against opentracker.

    .venv/bin/python bench/announce.py                  # 1,000 torrents, 20,000 peers
    .venv/bin/python bench/announce.py --rounds 3 --duration 8
    .venv/bin/python bench/announce.py --large          # also 100,000 torrents, 1,000,000 peers

For each case it builds a temporary board by SQL (releases, members, their transfer
history, and the live peers written straight into the ``peers`` table, which the tracker
loads at start) and serves a copy of it with ``tinypier serve`` once per build of the
tracker's hot path: ``pure`` (the sources) and ``compiled`` (mypyc, built from this
checkout with ``TINYPIER_COMPILE=1`` and cached in ``bench/results/``). When
``opentracker`` is installed it gets the same info hashes (as its whitelist), the same
peers (announced once to warm it up) and the same load. All servers run at once and take
turns: each round drives random re-announces of known peers at every server, over
keep-alive and with ``Connection: close``, with ``wrk`` (or the asyncio generator in
loadgen.py when wrk is absent), and reads each server's CPU time (user + system, all
threads, from ``/proc/<pid>/stat``) around its turn. The table gives the medians of the
rounds: announces/s, server CPU per announce, latency; then the ratios to opentracker in
the same run. See README.md and bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import bencodepy
from board_seed import Swarms, announce_line, announce_lines, make_swarms, seed_board
from common import (
    HOST,
    START_TIMEOUT,
    cpu_seconds,
    free_port,
    machine,
    peak_rss_mib,
    serving,
)
from loadgen import Load, drive, each_once

HERE = Path(__file__).parent
CHECKOUT = HERE.parent
BUILD_CACHE = HERE / "results" / "builds"
LUA_SCRIPT = HERE / "announce.lua"
FIXED_REPLY_SERVER = HERE / "fixed_reply.py"
FIXED_REPLY = "fixed reply"
OPENTRACKER = "opentracker"
WARM_SCRIPT = HERE / "warm.lua"
MODES = ("keep-alive", "close")
BUILDS = ("pure", "compiled")
BUILD_NAMES = {"pure": "pure Python", "compiled": "compiled by mypyc"}
REQUEST_LINES = 100_000
SETTLE_SECONDS = 1.0
"""Wait after each load before reading a server's CPU time, so that work the load left
behind (TinyPier's WAL checkpoint, about once a second) is counted in its cost."""


@dataclass(frozen=True)
class Case:
    name: str
    torrents: int
    members: int
    peers: int


@dataclass(frozen=True)
class Server:
    """A running server under test: ``flavour`` says how its announce URLs look."""

    name: str
    flavour: str
    port: int
    pid: int


@dataclass(frozen=True)
class Sample:
    """One load at one server, and the CPU the server spent answering it."""

    load: Load
    cpu_seconds: float

    @property
    def cpu_us_per_announce(self) -> float:
        return self.cpu_seconds / self.load.requests * 1e6 if self.load.requests else 0.0


@dataclass(frozen=True)
class Row:
    """The medians of one server's samples in one case and connection mode."""

    case: str
    server: str
    mode: str
    samples: list[Sample]
    peak_rss_mib: float

    def median(self, figure: str) -> float:
        values = [getattr(sample.load, figure) for sample in self.samples]
        return statistics.median(values)

    @property
    def cpu_us(self) -> float:
        return statistics.median(sample.cpu_us_per_announce for sample in self.samples)

    @property
    def errors(self) -> int:
        return sum(sample.load.errors for sample in self.samples)


def check_reply(url: str) -> None:
    """One announce must be answered with peers, not a failure: a benchmark of refusals
    would measure nothing."""
    with urllib.request.urlopen(url, timeout=30) as reply:
        decoded = bencodepy.decode(reply.read())
    if b"failure reason" in decoded:
        raise SystemExit(f"{url} refused: {decoded[b'failure reason'].decode()}")


def run_wrk(port: int, lines: Path, flavour: str, mode: str, args: argparse.Namespace) -> Load:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--latency", "-s", str(LUA_SCRIPT),
    ]  # fmt: skip
    if mode == "close":
        command += ["-H", "Connection: close"]
    command += [f"http://{HOST}:{port}/", "--", str(lines), flavour]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    summary = json.loads(output.strip().splitlines()[-1])
    # Not read errors: wrk counts a server closing the connection after a complete reply
    # as one, and opentracker closes every connection (even kept-alive) that way.
    errors = sum(summary[key] for key in ("connect_errors", "write_errors", "status_errors",
                                          "timeouts"))  # fmt: skip
    return Load(
        summary["requests"],
        summary["duration_us"] / 1e6,
        summary["p50_us"] / 1000,
        summary["p99_us"] / 1000,
        errors,
    )


def measure(server: Server, lines: Path, mode: str, args: argparse.Namespace) -> Sample:
    """One load at ``server``, with the CPU time the server spent meanwhile."""
    before = cpu_seconds(server.pid)
    if args.generator == "wrk":
        load = run_wrk(server.port, lines, server.flavour, mode, args)
    else:
        paths = paths_for(lines.read_text().splitlines(), server.flavour)
        load = drive(HOST, server.port, paths, args.connections, args.duration,
                     mode == "keep-alive")  # fmt: skip
    time.sleep(SETTLE_SECONDS)
    return Sample(load, cpu_seconds(server.pid) - before)


def paths_for(lines: list[str], flavour: str) -> list[str]:
    paths = []
    for line in lines:
        passkey, query = line.split("\t")
        prefix = "/announce?" if flavour == OPENTRACKER else f"/announce/{passkey}?"
        paths.append(prefix + query)
    return paths


def first_announce(server: Server, lines: Path) -> str:
    with lines.open() as first:
        [path] = paths_for([first.readline().rstrip("\n")], server.flavour)
    return f"http://{HOST}:{server.port}{path}"


def source_key() -> str:
    """A digest of everything a build is made from, so a cached build is never stale."""
    digest = hashlib.sha256()
    sources = [CHECKOUT / "pyproject.toml", CHECKOUT / "setup.py",
               *sorted((CHECKOUT / "build_backend").glob("*.py")),
               *sorted(path for path in (CHECKOUT / "tinypier").rglob("*")
                       if path.is_file() and "__pycache__" not in path.parts
                       and not path.name.endswith((".so", ".pyd")))]  # fmt: skip
    for path in sources:
        digest.update(str(path.relative_to(CHECKOUT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def package_dir(build: str, work: Path) -> Path:
    """A directory holding the ``tinypier`` package in that build, for ``PYTHONPATH``:
    the sources without any extension built in place, or a compiled install of them."""
    if build == "pure":
        target = work / "pure"
        shutil.copytree(CHECKOUT / "tinypier", target / "tinypier",
                        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))  # fmt: skip
        return target
    target = BUILD_CACHE / f"compiled-{source_key()}"
    if not target.exists():
        print(f"  compiling the tracker with mypyc into {target} (minutes)", flush=True)
        building = target.with_name(target.name + ".partial")
        shutil.rmtree(building, ignore_errors=True)
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                   "--target", str(building), str(CHECKOUT)]  # fmt: skip
        subprocess.run(command, check=True, env={**os.environ, "TINYPIER_COMPILE": "1"})
        building.rename(target)
    return target


def build_env(directory: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(directory)}


def check_build(build: str, env: dict[str, str], work: Path) -> None:
    """The server must run the build its row is named after (``tinypier --version``).
    Run from ``work``, as the server is: ``python -m`` looks in its directory first."""
    command = [sys.executable, "-m", "tinypier", "--version"]
    version = subprocess.run(command, env=env, cwd=work, capture_output=True, text=True, check=True)
    if f"tracker: {BUILD_NAMES[build]}" not in version.stdout:
        raise SystemExit(f"the {build} build is not what runs: {version.stdout.strip()}")


def start_tinypier(stack: ExitStack, build: str, board: Path, work: Path) -> Server:
    env = build_env(package_dir(build, work))
    check_build(build, env, work)
    data_dir = work / f"board-{build}"
    shutil.copytree(board, data_dir)
    port = free_port()
    command = [sys.executable, "-m", "tinypier", "--data-dir", str(data_dir), "serve",
               "--host", HOST, "--port", str(port)]  # fmt: skip
    started = time.monotonic()
    pid = stack.enter_context(serving(command, port, work / f"tinypier-{build}.log", work, env))
    print(f"  tinypier ({build}) listening after {time.monotonic() - started:.1f} s", flush=True)
    return Server(f"tinypier ({build})", "tinypier", port, pid)


def start_opentracker(
    stack: ExitStack, swarms: Swarms, work: Path, args: argparse.Namespace
) -> Server:
    root = work / OPENTRACKER
    root.mkdir()
    root.chmod(0o755)  # opentracker may drop root for "nobody" and chroot here
    (root / "whitelist").write_text("".join(f"{h.hex()}\n" for h in swarms.info_hashes))
    port = free_port()
    command = ["opentracker", "-i", HOST, "-p", str(port), "-P", str(port), "-d", str(root),
               "-w", "whitelist"]  # fmt: skip
    pid = stack.enter_context(serving(command, port, work / "opentracker.log", root))
    started = time.monotonic()
    warm_up(port, swarms, work / "every-peer.tsv", args)
    print(f"  opentracker warmed with {len(swarms.peers):,} announces in"
          f" {time.monotonic() - started:.1f} s", flush=True)  # fmt: skip
    return Server(OPENTRACKER, OPENTRACKER, port, pid)


def start_fixed_reply(stack: ExitStack, work: Path) -> Server:
    """The floor: a bare uvloop server with a fixed reply (fixed_reply.py), same load."""
    port = free_port()
    command = [sys.executable, str(FIXED_REPLY_SERVER), str(port)]
    pid = stack.enter_context(serving(command, port, work / "fixed-reply.log", work))
    return Server(FIXED_REPLY, "tinypier", port, pid)


def warm_up(port: int, swarms: Swarms, lines: Path, args: argparse.Namespace) -> None:
    """Announce every peer of the board once, so opentracker holds the same swarms."""
    every_peer = [announce_line(swarms, peer) for peer in swarms.peers]
    if args.generator == "python":
        warm = each_once(HOST, port, paths_for(every_peer, OPENTRACKER), args.connections)
        if warm.errors:
            raise SystemExit(f"warming opentracker up failed {warm.errors} times")
        return
    lines.write_text("\n".join(every_peer) + "\n")
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{START_TIMEOUT:.0f}s", "-s",
               str(WARM_SCRIPT), f"http://{HOST}:{port}/", "--", str(lines)]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as wrk:
        assert wrk.stdout is not None
        warmed = any(line.strip() == "warmed" for line in wrk.stdout)
        wrk.terminate()
    if not warmed:
        raise SystemExit("warming opentracker up did not finish")


def start_servers(
    stack: ExitStack, case: Case, swarms: Swarms, work: Path, args: argparse.Namespace
) -> list[Server]:
    started = time.monotonic()
    seed_board(work / "board", swarms)
    print(f"  seeded the board by SQL in {time.monotonic() - started:.1f} s", flush=True)
    servers = [start_tinypier(stack, build, work / "board", work) for build in args.builds]
    if args.opentracker and shutil.which(OPENTRACKER):
        servers.append(start_opentracker(stack, swarms, work, args))
    if case.name == "small" and args.floor:
        servers.append(start_fixed_reply(stack, work))
    return servers


def rounds(servers: list[Server], lines: Path, args: argparse.Namespace) -> Iterator[
    tuple[Server, str, Sample]
]:  # fmt: skip
    """Every server in turn, each mode, ``--rounds`` times: a burst of other work on the
    machine then lands on one sample of each, not on all of one server's."""
    for number in range(1, args.rounds + 1):
        print(f"  round {number} of {args.rounds}", flush=True)
        for server in servers:
            for mode in MODES:
                yield server, mode, measure(server, lines, mode, args)


def bench_case(case: Case, args: argparse.Namespace) -> list[Row]:
    print(f"{case.name}: {case.torrents:,} torrents, {case.peers:,} peers,"
          f" {case.members:,} members", flush=True)  # fmt: skip
    swarms = make_swarms(case.torrents, case.members, case.peers)
    with tempfile.TemporaryDirectory(prefix="tinypier-bench-") as directory, ExitStack() as stack:
        work = Path(directory)
        lines = work / "announces.tsv"
        lines.write_text("\n".join(announce_lines(swarms, REQUEST_LINES)) + "\n")
        servers = start_servers(stack, case, swarms, work, args)
        for server in servers:
            if server.name != FIXED_REPLY:
                check_reply(first_announce(server, lines))
        samples: dict[tuple[str, str], list[Sample]] = {}
        for server, mode, sample in rounds(servers, lines, args):
            samples.setdefault((server.name, mode), []).append(sample)
        return [
            Row(case.name, server.name, mode, samples[server.name, mode], peak_rss_mib(server.pid))
            for server in servers
            for mode in MODES
        ]


def table(rows: list[Row], args: argparse.Namespace) -> str:
    generator = (
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s"
        if args.generator == "wrk"
        else f"bench/loadgen.py, {args.connections} connections, {args.duration} s"
    )
    out = [
        f"Machine: {machine()}. Load: {generator}, random re-announces of known peers"
        " (numwant=50, compact), server and load generator on the same machine, loopback."
        f" Medians of {args.rounds} rounds; server CPU is user + system time of the server"
        " process (all threads) per announce answered.",
        "",
        "| case | server | connection | announces/s | server CPU us/announce | p50 ms | p99 ms"
        " | errors | peak RSS MiB |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        out.append(
            f"| {row.case} | {row.server} | {row.mode} | {row.median('rate'):,.0f}"
            f" | {row.cpu_us:.1f} | {row.median('p50_ms'):.2f} | {row.median('p99_ms'):.2f}"
            f" | {row.errors} | {row.peak_rss_mib:,.0f} |"
        )
    return "\n".join([*out, "", *ratios(rows)])


def ratios(rows: list[Row]) -> list[str]:
    """Each server against opentracker in the same run: its throughput over
    opentracker's, and opentracker's CPU per announce over its own (both 1.0 when
    equal, and lower the further behind); then large over small."""
    by_key = {(row.case, row.server, row.mode): row for row in rows}
    out = [
        "| case | connection | server | announces/s / opentracker's"
        " | opentracker's CPU per announce / server's |",
        "|---|---|---|---:|---:|",
    ]
    for (case, server, mode), row in by_key.items():
        reference = by_key.get((case, OPENTRACKER, mode))
        if server != OPENTRACKER and reference is not None:
            throughput = row.median("rate") / reference.median("rate")
            cost = reference.cpu_us / row.cpu_us
            out.append(f"| {case} | {mode} | {server} | {throughput:.2f} | {cost:.2f} |")
    scaling = [
        f"- {server}, {mode}: large / small announces/s = "
        f"{row.median('rate') / small.median('rate'):.2f}"
        for (case, server, mode), row in by_key.items()
        if case == "large" and (small := by_key.get(("small", server, mode)))
    ]
    return [*out, "", *scaling] if scaling else out


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--torrents", type=int, default=1000)
    parser.add_argument("--peers", type=int, default=20000)
    parser.add_argument("--members", type=int, help="default: one per 20 peers")
    parser.add_argument("--duration", type=int, default=8, help="seconds per load")
    parser.add_argument("--rounds", type=int, default=3, help="turns of every server")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--builds", type=lambda value: value.split(","), default=list(BUILDS),
        help="builds of TinyPier's tracker to serve, comma-separated (pure,compiled)",
    )  # fmt: skip
    parser.add_argument(
        "--large", action="store_true",
        help="also run 100,000 torrents and 1,000,000 peers and print the large/small ratio",
    )  # fmt: skip
    parser.add_argument("--no-opentracker", dest="opentracker", action="store_false")
    parser.add_argument(
        "--no-floor", dest="floor", action="store_false",
        help="skip the fixed-reply uvloop server (the floor of any Python asyncio server)",
    )  # fmt: skip
    parser.add_argument(
        "--generator", choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
    )  # fmt: skip
    args = parser.parse_args()
    if unknown := set(args.builds) - set(BUILDS):
        parser.error(f"unknown builds: {', '.join(sorted(unknown))} (choose from pure,compiled)")
    return args


def main() -> None:
    args = arguments()
    cases = [Case("small", args.torrents, args.members or max(1, args.peers // 20), args.peers)]
    if args.large:
        cases.append(Case("large", 100_000, 50_000, 1_000_000))
    rows = [row for case in cases for row in bench_case(case, args)]
    print()
    print(table(rows, args))


if __name__ == "__main__":
    main()
