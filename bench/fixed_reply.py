"""The floor of the announce benchmark: a uvloop server that answers every request head
with the same ~200-byte bencoded announce reply and does nothing else.

    python bench/fixed_reply.py PORT

Any asyncio server in Python pays at least this much per request (accept, read, write,
close, and the protocol callbacks), whatever its tracker does, so the benchmark runs it
under the same load to show how much of the distance to opentracker is connection
handling and how much is TinyPier's own work (parsing, swarm, durable commit).
"""

from __future__ import annotations

import asyncio
import sys
from typing import cast

import uvloop

BODY = (
    b"d8:completei6e10:downloadedi0e10:incompletei14e8:intervali1800e"
    b"12:min intervali300e5:peers120:" + bytes(120) + b"6:peers60:e"
)
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n" % len(BODY)
KEEP_ALIVE_REPLY = HEAD + b"\r\n" + BODY
CLOSE_REPLY = HEAD + b"Connection: close\r\n\r\n" + BODY


class FixedReply(asyncio.Protocol):
    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while self._transport is not None and (end := self._buffer.find(b"\r\n\r\n")) >= 0:
            head, self._buffer = self._buffer[:end].lower(), self._buffer[end + 4 :]
            if b"\r\nconnection: close" in head:
                self._transport.write(CLOSE_REPLY)
                self._transport.close()
                self._transport = None
            else:
                self._transport.write(KEEP_ALIVE_REPLY)


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(FixedReply, "127.0.0.1", port, backlog=2048)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    uvloop.run(serve(int(sys.argv[1])))
