"""A small asyncio HTTP/1.1 load generator: the fallback when ``wrk`` is absent, and the
tool that announces every peer once to warm opentracker up (it has no database to load).

It is slower than wrk (one Python process drives the load), so figures it produces say
so in the benchmark's table; compare servers only under the same generator.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

HEADER_END = b"\r\n\r\n"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


FAILURES = (OSError, asyncio.IncompleteReadError, ValueError)


class Connection:
    """One client connection, opened again whenever the server has closed it."""

    def __init__(self, host: str, port: int) -> None:
        self._address = (host, port)
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def send(self, request: bytes) -> None:
        """Send one request and read its reply. A server may close a kept-alive connection
        without saying so (opentracker closes every connection after its reply), so a
        request that fails on a reused connection is sent once more on a new one."""
        reused = self._streams is not None
        try:
            await self._exchange(request)
        except FAILURES:
            self.close()
            if not reused:
                raise
            await self._exchange(request)

    async def _exchange(self, request: bytes) -> None:
        if self._streams is None:
            self._streams = await asyncio.open_connection(*self._address)
        reader, writer = self._streams
        writer.write(request)
        headers = (await reader.readuntil(HEADER_END)).lower()
        lengths = [line for line in headers.split(b"\r\n") if line.startswith(b"content-length:")]
        if not lengths:
            await reader.read()
            self.close()
            return
        await reader.readexactly(int(lengths[0].split(b":", 1)[1]))
        if headers.startswith(b"http/1.0") or b"connection: close" in headers:
            self.close()

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def _worker(
    host: str,
    port: int,
    next_path: Callable[[], str | None],
    keep_alive: bool,
    tally: Tally,
) -> None:
    connection = Connection(host, port)
    header = b"keep-alive" if keep_alive else b"close"
    while (path := next_path()) is not None:
        request = b"GET %s HTTP/1.1\r\nHost: %s\r\nConnection: %s\r\n\r\n" % (
            path.encode(),
            host.encode(),
            header,
        )
        started = time.perf_counter()
        try:
            await connection.send(request)
        except FAILURES:
            tally.errors += 1
        else:
            tally.latencies.append(time.perf_counter() - started)
    connection.close()


async def _run(
    host: str, port: int, next_path: Callable[[], str | None], connections: int, keep_alive: bool
) -> Load:
    tally = Tally()
    started = time.perf_counter()
    await asyncio.gather(
        *(_worker(host, port, next_path, keep_alive, tally) for _ in range(connections))
    )
    seconds = time.perf_counter() - started
    latencies = sorted(tally.latencies)
    return Load(
        len(latencies),
        seconds,
        percentile(latencies, 0.50) * 1000,
        percentile(latencies, 0.99) * 1000,
        tally.errors,
    )


def drive(
    host: str, port: int, paths: list[str], connections: int, seconds: float, keep_alive: bool
) -> Load:
    """The paths of ``paths`` in turn (make them random) for ``seconds``, from
    ``connections`` concurrent connections."""
    cycle: Iterator[str] = itertools.cycle(paths)
    deadline = time.perf_counter() + seconds

    def next_path() -> str | None:
        return next(cycle) if time.perf_counter() < deadline else None

    return asyncio.run(_run(host, port, next_path, connections, keep_alive))


def each_once(host: str, port: int, paths: list[str], connections: int) -> Load:
    """Every path exactly once (warm-up): the order of ``paths`` is kept."""
    remaining = iter(paths)
    return asyncio.run(_run(host, port, lambda: next(remaining, None), connections, True))
