"""Soak: does legitimate traffic keep its pace while one attacker tries to exhaust the board?

    .venv/bin/python bench/soak.py                    # 20 s quiet, then 20 s under attack
    .venv/bin/python bench/soak.py --duration 60 --slow-heads 400

Seeds a board by SQL (``board_seed.py``: releases, members, live peers), adds one member
who attacks it with a password and a passkey of their own, serves it with ``tinypier serve``
on a free loopback port, and offers legitimate traffic at a fixed rate: re-announces of
known peers, each on a fresh connection as most clients make them, and page loads (the
index, the tracker listing, a release topic). It runs first alone ("quiet"), then beside a
bounded attack mix from a second process ("attack"):

- slow heads: connections that trickle a request head one byte a second, half to the
  tracker, half to the pages; each one the server closes is opened again;
- unread pipelines: connections that write pipelined scrapes and page requests as fast as
  the server takes them and never read a reply, each up to a byte budget;
- a flood of ``stopped`` announces, each with a fresh peer id;
- pathological previews: the attacker, logged in, previews 60 KB bodies built to make a
  backtracking linkifier or a quadratic parser spin.

It prints, per phase, the legitimate requests offered, how many succeeded (a 200 whose
body is a page or a tracker reply without ``failure reason``), p50 and p99 latency, the
attack's tallies, and the server's peak resident memory. The targets (issue #10):
legitimate p99 under attack at most 2x quiet, no legitimate request lost, peak RSS under
300 MiB. Everything talks to 127.0.0.1 only, and every loop stops by itself. The attacker
connects from its own loopback address (``ATTACK_SOURCE``), as an attacker on the internet
has an address of its own: ``connections_per_address_max`` refuses its connections beyond
the cap, and the legitimate clients, all from 127.0.0.1, keep theirs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import random
import re
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote_from_bytes

import httpx
from board_seed import Swarms, announce_lines, make_swarms, seed_board
from common import HOST, TINYPIER, free_port, machine, peak_rss_mib, serving, tinypier_serve
from loadgen import percentile

ATTACKER = "mallory"
ATTACKER_PASSWORD = "correct horse battery staple"
ATTACK_SOURCE = "127.0.0.2"
REQUEST_TIMEOUT = 10.0
PAGES = ("/", "/tracker", "/topics/1")
BODY_SIZE = 60_000
TARGET_P99_RATIO = 2.0
TARGET_RSS_MIB = 300.0


def pathological_bodies() -> dict[str, str]:
    """The issue's named BBCode attacks, each grown to about 60 KB."""
    punctuation = "!#$%&'()*+,-./:;=?@[]_~"

    def grow(unit: str) -> str:
        return (unit * (BODY_SIZE // len(unit) + 1))[:BODY_SIZE]

    return {
        "url + punctuation": grow("http://" + punctuation * 2 + " "),
        "hyphenated host": "a-" * (BODY_SIZE // 2 - 3) + ".com/",
        "unclosed tags": grow("[b][i][u][s]"),
        "deep quotes": grow("[quote=a]") + "x",
        "open brackets": "[" * BODY_SIZE,
        "long url option": "[url=http://" + "a" * (BODY_SIZE - 20) + "]x[/url]",
        "size digits": grow("[size=²]x[/size]"),
    }


# --- legitimate traffic -------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str) -> None:
        self.failures += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


async def one_request(port: int, target: bytes, is_announce: bool, tally: Tally) -> None:
    """One request on its own connection; a success is a 200 with a usable body."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(target)
            reply = await reader.read(-1)
            writer.close()
    except (OSError, TimeoutError) as error:
        tally.fail(type(error).__name__)
        return
    head, _, body = reply.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        tally.fail(head.split(b"\r\n", 1)[0].decode(errors="replace") or "no reply")
    elif is_announce and b"failure reason" in body:
        tally.fail(body[:80].decode(errors="replace"))
    else:
        tally.latencies.append(time.perf_counter() - started)


def request_bytes(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()


async def legitimate(
    port: int, announces: list[str], rate: float, page_rate: float, seconds: float
) -> Tally:
    """Offer announces and page loads at fixed rates (open loop) for ``seconds``."""
    tally = Tally()
    tasks: set[asyncio.Task[None]] = set()
    started = time.perf_counter()
    schedule = sorted(
        [(i / rate, True, i) for i in range(int(rate * seconds))]
        + [(i / page_rate, False, i) for i in range(int(page_rate * seconds))]
    )
    for due, is_announce, index in schedule:
        await asyncio.sleep(max(0.0, started + due - time.perf_counter()))
        if is_announce:
            passkey, query = announces[index % len(announces)].split("\t")
            target = request_bytes(f"/announce/{passkey}?{query}")
        else:
            target = request_bytes(PAGES[index % len(PAGES)])
        task = asyncio.create_task(one_request(port, target, is_announce, tally))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks)
    return tally


# --- the attack ---------------------------------------------------------------------------


@dataclass
class AttackPlan:
    port: int
    seconds: float
    passkey: str
    info_hashes: list[bytes]
    slow_heads: int
    pipelines: int
    pipeline_budget: int
    stopped_workers: int
    preview_workers: int
    reconnect_seconds: float


@dataclass
class AttackTally:
    slow_opened: int = 0
    slow_closed_by_server: int = 0
    pipeline_bytes: int = 0
    pipelines_closed_by_server: int = 0
    stopped_sent: int = 0
    previews: dict[str, int] = field(default_factory=dict)
    preview_seconds: list[float] = field(default_factory=list)


def attacker_client(plan: AttackPlan, timeout: float) -> httpx.AsyncClient:
    """An HTTP client whose connections come from the attacker's address."""
    return httpx.AsyncClient(
        base_url=f"http://{HOST}:{plan.port}",
        timeout=timeout,
        transport=httpx.AsyncHTTPTransport(local_address=ATTACK_SOURCE),
    )


async def attack_connection(
    plan: AttackPlan,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    """A connection from the attacker's address; None (after a second's pause) when the
    server is not accepting."""
    try:
        return await asyncio.open_connection(HOST, plan.port, local_addr=(ATTACK_SOURCE, 0))
    except OSError:
        await asyncio.sleep(1)
        return None


async def slow_head(plan: AttackPlan, head: bytes, tally: AttackTally, until: float) -> None:
    """Trickle ``head`` a byte a second, forever; reopen whenever the server closes."""
    while time.monotonic() < until:
        if (streams := await attack_connection(plan)) is None:
            continue
        reader, writer = streams
        tally.slow_opened += 1
        try:
            for byte in head * 1000:
                if time.monotonic() >= until or reader.at_eof():
                    break
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(1)
            if reader.at_eof():
                tally.slow_closed_by_server += 1
        except OSError:
            tally.slow_closed_by_server += 1
        finally:
            writer.close()
        await asyncio.sleep(plan.reconnect_seconds)


async def unread_pipeline(
    plan: AttackPlan, request: bytes, tally: AttackTally, until: float
) -> None:
    """Write pipelined requests without reading a reply, up to the byte budget."""
    batch = request * 500
    while time.monotonic() < until:
        if (streams := await attack_connection(plan)) is None:
            continue
        _reader, writer = streams
        sent = 0
        try:
            while sent < plan.pipeline_budget and time.monotonic() < until:
                writer.write(batch)
                async with asyncio.timeout(max(0.1, until - time.monotonic())):
                    await writer.drain()
                sent += len(batch)
                tally.pipeline_bytes += len(batch)
            if sent >= plan.pipeline_budget:
                await asyncio.sleep(max(0.0, until - time.monotonic()))
        except (OSError, TimeoutError):
            tally.pipelines_closed_by_server += time.monotonic() < until
        finally:
            writer.transport.abort()
        await asyncio.sleep(plan.reconnect_seconds)


async def stopped_flood(plan: AttackPlan, tally: AttackTally, until: float) -> None:
    """``stopped`` from a never-seen peer id each time, over one kept-alive connection."""
    rng = random.Random()
    async with attacker_client(plan, timeout=30) as client:
        while time.monotonic() < until:
            info_hash = rng.choice(plan.info_hashes)
            query = (
                f"info_hash={quote_from_bytes(info_hash, safe='')}"
                f"&peer_id={quote_from_bytes(b'-XX0001-' + rng.randbytes(12), safe='')}"
                f"&port=6881&uploaded={rng.randrange(2**40)}&downloaded=0&left=0"
                "&event=stopped&compact=1"
            )
            try:
                await client.get(f"/announce/{plan.passkey}?{query}")
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
            tally.stopped_sent += 1


CSRF_INPUT = re.compile(r'name="_csrf_token"[^>]*value="([^"]+)"')


async def log_in_attacker(client: httpx.AsyncClient) -> str:
    """Log the attacker in; the posting form's CSRF token."""
    login = await client.get("/login")
    token = CSRF_INPUT.search(login.text)
    assert token, f"no CSRF token on /login: {login.status_code}"
    await client.post(
        "/login",
        data={"_csrf_token": token[1], "name": ATTACKER, "password": ATTACKER_PASSWORD},
    )
    form = await client.get("/forums/1/new")
    token = CSRF_INPUT.search(form.text)
    assert token, f"no posting form for the attacker: {form.status_code}"
    return token[1]


async def previews(client: httpx.AsyncClient, token: str, tally: AttackTally, until: float) -> None:
    """Preview each pathological body in turn, as the logged-in attacker."""
    bodies = list(pathological_bodies().items())
    index = 0
    while time.monotonic() < until:
        name, body = bodies[index % len(bodies)]
        index += 1
        started = time.perf_counter()
        try:
            reply = await client.post(
                "/forums/1/new",
                data={"_csrf_token": token, "title": name, "body": body, "preview": "1"},
            )
            key = f"{name}: {reply.status_code}"
        except httpx.HTTPError as error:
            key = f"{name}: {type(error).__name__}"
        tally.preview_seconds.append(time.perf_counter() - started)
        tally.previews[key] = tally.previews.get(key, 0) + 1


async def attack(plan: AttackPlan) -> AttackTally:
    tally = AttackTally()
    until = time.monotonic() + plan.seconds
    tracker_head = f"GET /announce/{plan.passkey}?info_hash=".encode() + b"%41" * 2000
    page_head = b"GET / HTTP/1.1\r\nHost: " + b"a" * 4000
    scrape = f"GET /scrape/{plan.passkey}?info_hash=".encode()
    scrape += quote_from_bytes(plan.info_hashes[0], safe="").encode()
    scrape += f" HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()
    page = f"GET /tracker HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()
    # The previewers log in first: the other jobs soon hold all the connections the
    # attacker's address may open, and each previewer keeps its one kept-alive connection.
    async with contextlib.AsyncExitStack() as stack:
        previewers = [
            await stack.enter_async_context(attacker_client(plan, timeout=60))
            for _ in range(plan.preview_workers)
        ]
        tokens = [await log_in_attacker(previewer) for previewer in previewers]
        jobs = [
            *(slow_head(plan, (tracker_head, page_head)[i % 2], tally, until)
              for i in range(plan.slow_heads)),
            *(unread_pipeline(plan, (scrape, page)[i % 2], tally, until)
              for i in range(plan.pipelines)),
            *(stopped_flood(plan, tally, until) for _ in range(plan.stopped_workers)),
            *(previews(previewer, token, tally, until)
              for previewer, token in zip(previewers, tokens, strict=True)),
        ]  # fmt: skip
        await asyncio.gather(*jobs)
    return tally


def attack_process(plan: AttackPlan, results: multiprocessing.Queue[AttackTally]) -> None:
    results.put(asyncio.run(attack(plan)))


# --- the run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    name: str
    tally: Tally
    server_cpu_seconds: float

    @property
    def offered(self) -> int:
        return len(self.tally.latencies) + self.tally.failures

    def p(self, share: float) -> float:
        return 1000 * percentile(sorted(self.tally.latencies), share)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(name: str, pid: int, load: Coroutine[None, None, Tally]) -> Phase:
    """Run one phase of legitimate load, with the server's CPU time it took."""
    before = cpu_seconds(pid)
    tally = asyncio.run(load)
    return Phase(name, tally, cpu_seconds(pid) - before)


def add_attacker(data_dir: Path) -> str:
    """The attacking member, made the way an admin would, and their passkey."""
    subprocess.run(
        [str(TINYPIER), "--data-dir", str(data_dir), "user", "create", ATTACKER,
         "--password-stdin"],
        input=ATTACKER_PASSWORD.encode(), check=True, capture_output=True,
    )  # fmt: skip
    with sqlite3.connect(data_dir / "tinypier.sqlite3") as connection:
        row = connection.execute("SELECT passkey FROM users WHERE name = ?", (ATTACKER,))
        passkey: str = row.fetchone()[0]
    return passkey


def run(
    args: argparse.Namespace, swarms: Swarms, work: Path
) -> tuple[list[Phase], AttackTally, float]:
    settings = seed_board(work / "board", swarms)
    passkey = add_attacker(settings.data_dir)
    announces = announce_lines(swarms, 50_000)
    port = free_port()
    with serving(tinypier_serve(settings.data_dir, port), port, work / "serve.log", work) as pid:
        legitimate_load = partial(
            legitimate, port, announces, args.rate, args.page_rate, args.duration
        )
        quiet = measured("quiet", pid, legitimate_load())
        plan = AttackPlan(
            port, args.duration + 2, passkey, swarms.info_hashes, args.slow_heads,
            args.pipelines, args.pipeline_mib * 1024 * 1024, args.stopped_workers,
            args.preview_workers, args.reconnect_seconds,
        )  # fmt: skip
        context = multiprocessing.get_context("spawn")
        results: multiprocessing.Queue[AttackTally] = context.Queue()
        attacker = context.Process(target=attack_process, args=(plan, results))
        attacker.start()
        time.sleep(2)  # the attack is under way before legitimate traffic is measured
        attacked = measured("attack", pid, legitimate_load())
        tally = results.get(timeout=args.duration + 120)
        attacker.join()
        rss = peak_rss_mib(pid)
    return [quiet, attacked], tally, rss


def report(phases: list[Phase], tally: AttackTally, rss: float, args: argparse.Namespace) -> str:
    lines = [
        f"Machine: {machine()}. Legitimate load: {args.rate:g} announces/s (fresh connection"
        f" each) + {args.page_rate:g} page loads/s for {args.duration:g} s per phase.",
        "",
        "| phase | legitimate requests | succeeded | success % | p50 ms | p99 ms | server CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for phase in phases:
        ok = len(phase.tally.latencies)
        share = 100 * ok / phase.offered if phase.offered else 0.0
        lines.append(
            f"| {phase.name} | {phase.offered:,} | {ok:,} | {share:.2f} |"
            f" {phase.p(0.5):.1f} | {phase.p(0.99):.1f} | {phase.server_cpu_seconds:.1f} |"
        )
    quiet, attacked = phases
    ratio = attacked.p(0.99) / quiet.p(0.99) if quiet.p(0.99) else float("inf")
    lost = sum(phase.tally.failures for phase in phases)
    reasons = {k: v for phase in phases for k, v in phase.tally.reasons.items()}
    preview_p99 = 1000 * percentile(sorted(tally.preview_seconds), 0.99)
    lines += [
        "",
        f"Attack: {args.slow_heads} slow heads ({tally.slow_opened:,} opened,"
        f" {tally.slow_closed_by_server:,} closed by the server);"
        f" {args.pipelines} unread pipelines ({tally.pipeline_bytes / 2**20:,.0f} MiB written,"
        f" {tally.pipelines_closed_by_server} closed by the server);"
        f" {tally.stopped_sent:,} fresh `stopped` announces;"
        f" {len(tally.preview_seconds):,} pathological previews (p99 {preview_p99:.0f} ms:"
        f" {', '.join(f'{k} x{v}' for k, v in sorted(tally.previews.items()))}).",
        "",
        f"- legitimate p99 under attack / quiet = {ratio:.2f} (target <= {TARGET_P99_RATIO:g})",
        f"- legitimate requests lost = {lost} (target 0){f': {reasons}' if reasons else ''}",
        f"- server peak RSS = {rss:.0f} MiB (target < {TARGET_RSS_MIB:g})",
    ]
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase")
    parser.add_argument("--rate", type=float, default=200, help="legitimate announces/s")
    parser.add_argument("--page-rate", type=float, default=10, help="legitimate pages/s")
    parser.add_argument("--torrents", type=int, default=1000)
    parser.add_argument("--peers", type=int, default=20000)
    parser.add_argument("--slow-heads", type=int, default=200)
    parser.add_argument("--pipelines", type=int, default=8)
    parser.add_argument("--pipeline-mib", type=int, default=64, help="bytes each pipeline writes")
    parser.add_argument("--stopped-workers", type=int, default=2)
    parser.add_argument("--preview-workers", type=int, default=1)
    parser.add_argument(
        "--reconnect-seconds", type=float, default=0.5,
        help="how long an attack connection the server closed waits before the next: the"
        " attacker shares this machine's CPUs, and a tight reconnect loop would measure"
        " that, not the server",
    )  # fmt: skip
    return parser.parse_args()


def main() -> None:
    args = arguments()
    swarms = make_swarms(args.torrents, max(1, args.peers // 20), args.peers)
    with tempfile.TemporaryDirectory(prefix="tinypier-soak-") as directory:
        phases, tally, rss = run(args, swarms, Path(directory))
    print()
    print(report(phases, tally, rss, args))


if __name__ == "__main__":
    main()
