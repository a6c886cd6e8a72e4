"""How the web side tells the tracker that a member or a release changed.

The tracker caches passkey -> member and info hash -> release in memory. Whoever changes
one of those (a new passkey, a disabled member, a closed release) calls this after the
change is committed; the tracker subscribes at start. Neither side imports the other.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[int], None]


class ChangeNotifier:
    def __init__(self) -> None:
        self._user_listeners: list[Listener] = []
        self._torrent_listeners: list[Listener] = []

    def on_user_changed(self, listener: Listener) -> None:
        self._user_listeners.append(listener)

    def on_torrent_changed(self, listener: Listener) -> None:
        self._torrent_listeners.append(listener)

    def user_changed(self, user_id: int) -> None:
        for listener in self._user_listeners:
            listener(user_id)

    def torrent_changed(self, torrent_id: int) -> None:
        for listener in self._torrent_listeners:
            listener(torrent_id)
