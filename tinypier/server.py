"""``tinypier serve``: the app under uvicorn, with the tracker's connection front.

Every connection lives in :class:`~tinypier.tracker.http.TrackerFirstProtocol`, which
answers BitTorrent clients itself and relays any other connection to uvicorn's own
httptools protocol, so pages, uploads and the API are served by uvicorn as usual while
the front keeps each connection within the limits of :mod:`tinypier.connections`.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import socket
from collections.abc import Callable
from typing import Any

import uvicorn
from litestar import Litestar
from uvicorn.config import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from tinypier.connections import ConnectionLimits, OpenConnections, bound_kernel_send_buffer
from tinypier.tracker.engine import Tracker
from tinypier.tracker.http import TrackerFirstProtocol

KEEP_ALIVE_SECONDS = 5
FILES_BESIDE_CONNECTIONS = 128

log = logging.getLogger(__name__)


class RelayedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's protocol behind the front, which keeps the connection's clock (idle,
    head and body deadlines) and counts the requests whose replies are not yet sent."""

    def __init__(
        self,
        reply_sent: Callable[[], None],
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        loop: asyncio.AbstractEventLoop | None,
    ) -> None:
        super().__init__(config, server_state, app_state, loop)
        self._reply_sent = reply_sent

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._unset_keepalive_if_required()
        self._reply_sent()


def tracker_first(tracker: Tracker, limits: ConnectionLimits) -> type[asyncio.Protocol]:
    """The protocol class uvicorn instantiates per connection (its ``http`` option)."""
    open_connections = OpenConnections(limits)

    class TrackerFirst(TrackerFirstProtocol):
        def __init__(
            self,
            config: uvicorn.Config,
            server_state: ServerState,
            app_state: dict[str, Any],
            _loop: asyncio.AbstractEventLoop | None = None,
        ) -> None:
            def general(reply_sent: Callable[[], None]) -> asyncio.Protocol:
                return RelayedHttpToolsProtocol(reply_sent, config, server_state, app_state, _loop)

            super().__init__(tracker, general, server_state.connections, limits, open_connections)

    return TrackerFirst


def make_room_for_connections(connections_max: int) -> None:
    """Each connection is an open file: raise the soft open-file limit so that
    ``connections_max`` connections fit beside the database and uploads, as far as the
    hard limit allows, so the cap refuses politely before the process runs out."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections_max + FILES_BESIDE_CONNECTIONS
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return
    raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
    if raised < wanted:
        log.warning(
            "the open-file limit %d leaves room for fewer than connections_max=%d connections",
            raised,
            connections_max,
        )


def listening_socket(config: uvicorn.Config, limits: ConnectionLimits) -> socket.socket:
    """The listening socket, bound as uvicorn binds it, with the kernel send buffer of
    every connection it accepts already bounded (:func:`bound_kernel_send_buffer`).

    Linux copies a listener's ``SO_SNDBUF`` (and the lock that stops the kernel growing
    it) into each socket it accepts, so one call here replaces a socket object and a
    ``setsockopt`` per connection, which under ``Connection: close`` is per announce."""
    sock = config.bind_socket()
    bound_kernel_send_buffer(sock, limits.write_buffer_high_water)
    return sock


def run(app: Litestar, host: str, port: int) -> None:
    tracker: Tracker = app.state.tracker
    make_room_for_connections(tracker.settings.connections_max)
    limits = ConnectionLimits.from_settings(tracker.settings, KEEP_ALIVE_SECONDS)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        workers=1,
        proxy_headers=False,
        access_log=False,
        ws="none",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        http=tracker_first(tracker, limits),
    )
    server = uvicorn.Server(config)
    server.run(sockets=[listening_socket(config, limits)])
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)
