"""``tinypier serve``: the app under uvicorn, with the tracker's connection front.

Every connection starts in :class:`~tinypier.tracker.http.TrackerFirstProtocol`, which
answers BitTorrent clients itself and hands any other connection to uvicorn's own
httptools protocol, so pages, uploads and the API are served by uvicorn as usual.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from litestar import Litestar
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from tinypier.tracker.engine import Tracker
from tinypier.tracker.http import TrackerFirstProtocol


def tracker_first(tracker: Tracker) -> type[asyncio.Protocol]:
    """The protocol class uvicorn instantiates per connection (its ``http`` option)."""

    class TrackerFirst(TrackerFirstProtocol):
        def __init__(
            self,
            config: uvicorn.Config,
            server_state: ServerState,
            app_state: dict[str, Any],
            _loop: asyncio.AbstractEventLoop | None = None,
        ) -> None:
            def general() -> asyncio.Protocol:
                return HttpToolsProtocol(config, server_state, app_state, _loop)

            super().__init__(tracker, general, server_state.connections, config.timeout_keep_alive)

    return TrackerFirst


def run(app: Litestar, host: str, port: int) -> None:
    uvicorn.run(
        app,
        host=host,
        port=port,
        workers=1,
        proxy_headers=False,
        access_log=False,
        http=tracker_first(app.state.tracker),
    )
