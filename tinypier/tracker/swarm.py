"""The authoritative in-memory state of one torrent's swarm.

Seeders and leechers live in two plain lists (each peer knows its slot, removal swaps the
last one in), so a random sample of ``numwant`` peers costs O(numwant), whatever the size
of the swarm. A peer is keyed by (user id, peer id), never by address: the IPv4 and IPv6
announces of one dual-stack client, and the v1 and v2 announces of one hybrid torrent, are
one peer with one set of counters.
"""

from __future__ import annotations

import random
import socket
from dataclasses import dataclass, field

PeerKey = tuple[int, bytes]
TorrentStats = tuple[int, int, int, int | None]
LAST_SEEDER_RESOLUTION_SECONDS = 60


def compact(packed: bytes, port: int) -> bytes:
    """An address in the BEP 23 / BEP 7 compact form: packed IP then the port, big-endian."""
    return packed + port.to_bytes(2, "big")


def packed_address(text: str | None) -> bytes:
    """The packed form of an IPv4 or IPv6 address as the peers table stores it."""
    if text is None:
        return b""
    return socket.inet_pton(socket.AF_INET6 if ":" in text else socket.AF_INET, text)


def _text(packed: bytes) -> str | None:
    if not packed:
        return None
    return socket.inet_ntop(socket.AF_INET6 if len(packed) == 16 else socket.AF_INET, packed)


@dataclass(slots=True)
class Peer:
    """One client in one swarm. Addresses are kept only in the compact form the replies
    send (a million peers fit in a few hundred MB); the text forms are derived on write."""

    user_id: int
    peer_id: bytes
    port: int
    uploaded: int
    downloaded: int
    left: int
    client: str
    started_at: int
    last_announce_at: int
    compact4: bytes = b""
    compact6: bytes = b""
    slot: int = -1

    @property
    def key(self) -> PeerKey:
        return (self.user_id, self.peer_id)

    @property
    def is_seeder(self) -> bool:
        return self.left == 0

    @property
    def ipv4(self) -> str | None:
        return _text(self.compact4[:-2])

    @property
    def ipv6(self) -> str | None:
        return _text(self.compact6[:-2])

    def is_located_at(self, packed: bytes, is_ipv6: bool) -> bool:
        """Whether the address of this family is ``packed`` already."""
        return (self.compact6 if is_ipv6 else self.compact4)[:-2] == packed

    def locate(self, packed: bytes, is_ipv6: bool, port: int) -> None:
        """Record the address this announce came from; the other family's address stays."""
        if port != self.port:
            self.port = port
            if self.compact4:
                self.compact4 = compact(self.compact4[:4], port)
            if self.compact6:
                self.compact6 = compact(self.compact6[:16], port)
        if is_ipv6:
            self.compact6 = compact(packed, port)
        else:
            self.compact4 = compact(packed, port)


@dataclass(frozen=True, slots=True)
class Departed:
    """Counters of a peer that left (stopped or expired), kept so that a client coming back
    with the same peer id is credited from where it left, not twice."""

    uploaded: int
    downloaded: int
    left_at: int


@dataclass(slots=True)
class Swarm:
    torrent_id: int
    completed: int
    last_seeder_at: int | None
    snatchers: set[int]
    peers: dict[PeerKey, Peer] = field(default_factory=dict)
    seeders: list[Peer] = field(default_factory=list)
    leechers: list[Peer] = field(default_factory=list)
    departed: dict[PeerKey, Departed] = field(default_factory=dict)
    written: TorrentStats | None = None
    per_member: dict[int, int] = field(default_factory=dict)

    def counts(self) -> tuple[int, int, int]:
        """(complete, incomplete, downloaded) as announce and scrape report them."""
        return (len(self.seeders), len(self.leechers), self.completed)

    def stats_to_write(self) -> TorrentStats | None:
        """The torrents-row figures, or None when the row already says the same: counts
        are written when they change, ``last_seeder_at`` at most once a minute."""
        stats = (len(self.seeders), len(self.leechers), self.completed, self.last_seeder_at)
        written = self.written
        if written is not None and stats[:3] == written[:3]:
            seen, seen_before = stats[3] or 0, written[3] or 0
            if seen - seen_before < LAST_SEEDER_RESOLUTION_SECONDS:
                return None
        self.written = stats
        return stats

    def _group(self, seeder: bool) -> list[Peer]:
        return self.seeders if seeder else self.leechers

    def peer_count(self, user_id: int) -> int:
        """How many peers (clients) of one member are in this swarm."""
        return self.per_member.get(user_id, 0)

    def add(self, peer: Peer) -> None:
        self.peers[peer.key] = peer
        self.per_member[peer.user_id] = self.per_member.get(peer.user_id, 0) + 1
        self._join_group(peer)

    def remove(self, peer: Peer) -> None:
        del self.peers[peer.key]
        remaining = self.per_member[peer.user_id] - 1
        if remaining:
            self.per_member[peer.user_id] = remaining
        else:
            del self.per_member[peer.user_id]
        self._leave_group(peer)

    def _join_group(self, peer: Peer) -> None:
        group = self._group(peer.is_seeder)
        peer.slot = len(group)
        group.append(peer)

    def _leave_group(self, peer: Peer) -> None:
        group = self._group(peer.is_seeder)
        last = group.pop()
        if last is not peer:
            group[peer.slot] = last
            last.slot = peer.slot
        peer.slot = -1

    def set_left(self, peer: Peer, left: int) -> None:
        """Change a peer's ``left``, moving it between seeders and leechers if it finished."""
        if (left == 0) != peer.is_seeder:
            self._leave_group(peer)
            peer.left = left
            self._join_group(peer)
        else:
            peer.left = left

    def sample(self, requester: Peer, numwant: int) -> list[Peer]:
        """Up to ``numwant`` random peers other than the requester; seeders get leechers only.

        When the whole group fits, everyone is sent, rotated by a random offset so that
        clients do not all dial the same peer first; otherwise a uniform random sample."""
        leechers = self.leechers
        seeders = [] if requester.is_seeder else self.seeders
        total = len(leechers) + len(seeders)
        if numwant <= 0 or total == 0:
            return []
        if total <= numwant + 1:
            everyone = leechers + seeders
            start = random.randrange(total)
            chosen = everyone[start:] + everyone[:start]
        else:
            count = len(leechers)
            chosen = [
                leechers[i] if i < count else seeders[i - count]
                for i in random.sample(range(total), numwant + 1)
            ]
        return [peer for peer in chosen if peer is not requester][:numwant]
