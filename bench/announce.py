"""Announce benchmark: TinyPier's tracker against opentracker, same hashes, same load.

    .venv/bin/python bench/announce.py --torrents 1000 --peers 20000 [--duration 10]
    .venv/bin/python bench/announce.py --large      # also 100,000 torrents, 1,000,000 peers

For each case it builds a temporary board by SQL (releases, members, and the live peers
written straight into the ``peers`` table, which the tracker loads at start), serves it
with ``tinypier serve`` on a free loopback port and drives random re-announces of known
peers with ``wrk`` (or the asyncio generator in loadgen.py when wrk is absent), once over
keep-alive and once with ``Connection: close``. When ``opentracker`` is installed it gets
the same info hashes (as its whitelist), the same peers (announced once to warm it up)
and the same load. It prints a Markdown table with the machine it ran on. See README.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import bencodepy
from board_seed import Swarms, announce_line, announce_lines, make_swarms, seed_board
from common import (
    HOST,
    START_TIMEOUT,
    free_port,
    machine,
    peak_rss_mib,
    serving,
    tinypier_serve,
)
from loadgen import Load, drive, each_once

HERE = Path(__file__).parent
LUA_SCRIPT = HERE / "announce.lua"
FIXED_REPLY_SERVER = HERE / "fixed_reply.py"
FIXED_REPLY = "fixed reply"
WARM_SCRIPT = HERE / "warm.lua"
MODES = ("keep-alive", "close")
REQUEST_LINES = 100_000


@dataclass(frozen=True)
class Case:
    name: str
    torrents: int
    members: int
    peers: int


@dataclass(frozen=True)
class Row:
    case: str
    server: str
    mode: str
    load: Load
    peak_rss_mib: float


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


def measure(port: int, lines: Path, paths: list[str], flavour: str, mode: str,
            args: argparse.Namespace) -> Load:  # fmt: skip
    if args.generator == "wrk":
        return run_wrk(port, lines, flavour, mode, args)
    return drive(HOST, port, paths, args.connections, args.duration, mode == "keep-alive")


def paths_for(lines: list[str], flavour: str) -> list[str]:
    paths = []
    for line in lines:
        passkey, query = line.split("\t")
        prefix = "/announce?" if flavour == "opentracker" else f"/announce/{passkey}?"
        paths.append(prefix + query)
    return paths


def bench_tinypier(case: Case, swarms: Swarms, work: Path, lines: Path,
                   args: argparse.Namespace) -> list[Row]:  # fmt: skip
    started = time.monotonic()
    settings = seed_board(work / "board", swarms)
    print(f"  seeded the board by SQL in {time.monotonic() - started:.1f} s", flush=True)
    port = free_port()
    command = tinypier_serve(settings.data_dir, port)
    paths = paths_for(lines.read_text().splitlines(), "tinypier")
    started = time.monotonic()
    with serving(command, port, work / "tinypier.log", work) as pid:
        print(f"  tinypier listening after {time.monotonic() - started:.1f} s", flush=True)
        check_reply(f"http://{HOST}:{port}{paths[0]}")
        loads = {mode: measure(port, lines, paths, "tinypier", mode, args) for mode in MODES}
        rss = peak_rss_mib(pid)
    return [Row(case.name, "tinypier", mode, loads[mode], rss) for mode in MODES]


def bench_opentracker(case: Case, swarms: Swarms, work: Path, lines: Path,
                      args: argparse.Namespace) -> list[Row]:  # fmt: skip
    root = work / "opentracker"
    root.mkdir()
    root.chmod(0o755)  # opentracker may drop root for "nobody" and chroot here
    (root / "whitelist").write_text("".join(f"{h.hex()}\n" for h in swarms.info_hashes))
    port = free_port()
    command = ["opentracker", "-i", HOST, "-p", str(port), "-P", str(port), "-d", str(root),
               "-w", "whitelist"]  # fmt: skip
    paths = paths_for(lines.read_text().splitlines(), "opentracker")
    with serving(command, port, work / "opentracker.log", root) as pid:
        started = time.monotonic()
        warm_up(port, swarms, work / "every-peer.tsv", args)
        print(f"  opentracker warmed with {len(swarms.peers):,} announces in"
              f" {time.monotonic() - started:.1f} s", flush=True)  # fmt: skip
        check_reply(f"http://{HOST}:{port}{paths[0]}")
        loads = {mode: measure(port, lines, paths, "opentracker", mode, args) for mode in MODES}
        rss = peak_rss_mib(pid)
    return [Row(case.name, "opentracker", mode, loads[mode], rss) for mode in MODES]


def bench_fixed_reply(case: Case, work: Path, lines: Path, args: argparse.Namespace) -> list[Row]:
    """The floor: a bare uvloop server with a fixed reply (fixed_reply.py), same load."""
    port = free_port()
    command = [sys.executable, str(FIXED_REPLY_SERVER), str(port)]
    paths = paths_for(lines.read_text().splitlines(), "tinypier")
    with serving(command, port, work / "fixed-reply.log", work) as pid:
        loads = {mode: measure(port, lines, paths, "tinypier", mode, args) for mode in MODES}
        rss = peak_rss_mib(pid)
    return [Row(case.name, FIXED_REPLY, mode, loads[mode], rss) for mode in MODES]


def warm_up(port: int, swarms: Swarms, lines: Path, args: argparse.Namespace) -> None:
    """Announce every peer of the board once, so opentracker holds the same swarms."""
    every_peer = [announce_line(swarms, peer) for peer in swarms.peers]
    if args.generator == "python":
        warm = each_once(HOST, port, paths_for(every_peer, "opentracker"), args.connections)
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


def bench_case(case: Case, args: argparse.Namespace) -> list[Row]:
    print(f"{case.name}: {case.torrents:,} torrents, {case.peers:,} peers,"
          f" {case.members:,} members", flush=True)  # fmt: skip
    swarms = make_swarms(case.torrents, case.members, case.peers)
    with tempfile.TemporaryDirectory(prefix="tinypier-bench-") as directory:
        work = Path(directory)
        lines = work / "announces.tsv"
        lines.write_text("\n".join(announce_lines(swarms, REQUEST_LINES)) + "\n")
        rows = bench_tinypier(case, swarms, work, lines, args)
        if args.opentracker and shutil.which("opentracker"):
            rows += bench_opentracker(case, swarms, work, lines, args)
        if case.name == "small" and args.floor:
            rows += bench_fixed_reply(case, work, lines, args)
    return rows


def table(rows: list[Row], args: argparse.Namespace) -> str:
    generator = (
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s"
        if args.generator == "wrk"
        else f"bench/loadgen.py, {args.connections} connections, {args.duration} s"
    )
    out = [
        f"Machine: {machine()}. Load: {generator}, random re-announces of known peers"
        " (numwant=50, compact), server and load generator on the same machine, loopback.",
        "",
        "| case | server | connection | announces/s | p50 ms | p99 ms | errors | peak RSS MiB |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        load = row.load
        out.append(
            f"| {row.case} | {row.server} | {row.mode} | {load.rate:,.0f} | {load.p50_ms:.2f}"
            f" | {load.p99_ms:.2f} | {load.errors} | {row.peak_rss_mib:,.0f} |"
        )
    out += ["", *ratios(rows)]
    return "\n".join(out)


def ratios(rows: list[Row]) -> list[str]:
    rate = {(row.case, row.server, row.mode): row.load.rate for row in rows}
    versus = [
        f"- {case}, {mode}: {server} / {reference} = {value / other:.2f}"
        for reference in ("opentracker", FIXED_REPLY)
        for (case, server, mode), value in rate.items()
        if server in ("tinypier", FIXED_REPLY) and server != reference
        and (other := rate.get((case, reference, mode)))
    ]  # fmt: skip
    scaling = [
        f"- {server}, {mode}: large / small = {value / small:.2f}"
        for (case, server, mode), value in rate.items()
        if case == "large" and (small := rate.get(("small", server, mode)))
    ]
    return versus + scaling


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--torrents", type=int, default=1000)
    parser.add_argument("--peers", type=int, default=20000)
    parser.add_argument("--members", type=int, help="default: one per 20 peers")
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
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
    return parser.parse_args()


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
