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
from collections import deque
from dataclasses import dataclass, field

PeerKey = tuple[int, bytes]


def compact(packed: bytes, port: int) -> bytes:
    """An address in the BEP 23 / BEP 7 compact form: packed IP then the port, big-endian."""
    return packed + port.to_bytes(2, "big")


def packed_address(text: str | None) -> bytes:
    """The packed form of an IPv4 or IPv6 address as the peers table stores it."""
    if text is None:
        return b""
    return socket.inet_pton(socket.AF_INET6 if ":" in text else socket.AF_INET, text)


def address_text(packed: bytes) -> str | None:
    """The text form of a packed IPv4 or IPv6 address (None for none)."""
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
    last_announce_at: float
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
        return address_text(self.compact4[:-2])

    @property
    def ipv6(self) -> str | None:
        return address_text(self.compact6[:-2])

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
    left_at: float


class Departures:
    """The departed peers of every swarm, bounded three ways, so that ``stopped`` with
    made-up peer ids (which no per-swarm peer cap stops) cannot fill memory: at most
    ``per_member_max`` per member and torrent and ``total_max`` overall (the oldest make
    room), each for ``keep_seconds``. A queue in order of departure lets both the overall
    bound and :meth:`expire` drop the oldest entry in O(1), so no sweep walks the map;
    entries taken back or replaced stay in the queue as stale tuples until they reach its
    head, and count against ``total_max``, which bounds the queue itself."""

    def __init__(self, keep_seconds: int, per_member_max: int, total_max: int) -> None:
        self._keep = keep_seconds
        self._per_member_max = per_member_max
        self._total_max = total_max
        self._by_pair: dict[tuple[int, int], dict[bytes, Departed]] = {}
        self._queue: deque[tuple[tuple[int, int], bytes, Departed]] = deque()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def record(self, torrent_id: int, user_id: int, peer: bytes, gone: Departed) -> None:
        pair = (torrent_id, user_id)
        peers = self._by_pair.setdefault(pair, {})
        if peers.pop(peer, None) is not None:
            self._count -= 1
        elif len(peers) >= self._per_member_max:
            del peers[next(iter(peers))]
            self._count -= 1
        peers[peer] = gone
        self._count += 1
        self._queue.append((pair, peer, gone))
        while len(self._queue) > self._total_max:
            self._drop(*self._queue.popleft())

    def take(self, torrent_id: int, user_id: int, peer: bytes) -> Departed | None:
        """The counters a peer left with, forgotten as it comes back (None if unknown)."""
        pair = (torrent_id, user_id)
        peers = self._by_pair.get(pair)
        if peers is None:
            return None
        gone = peers.pop(peer, None)
        if gone is not None:
            self._count -= 1
            if not peers:
                del self._by_pair[pair]
        return gone

    def expire(self, now: float, limit: int) -> bool:
        """Forget at most ``limit`` entries older than ``keep_seconds``, oldest first;
        True if there may be more to forget."""
        cutoff = now - self._keep
        queue = self._queue
        for _ in range(limit):
            if not queue or queue[0][2].left_at >= cutoff:
                return False
            self._drop(*queue.popleft())
        return True

    def _drop(self, pair: tuple[int, int], peer: bytes, gone: Departed) -> None:
        """Forget an entry from the queue's head, unless it was taken back or replaced."""
        peers = self._by_pair.get(pair)
        if peers is not None and peers.get(peer) is gone:
            del peers[peer]
            self._count -= 1
            if not peers:
                del self._by_pair[pair]


class LeechingIndex:
    """Which releases each member leeches now, across every swarm: the leech-slot rule
    (``permissions.ratio.leech_slots``) counts a member's releases in O(1) per announce
    instead of walking a million peers. Swarms report a member's first leecher joining
    and last one leaving (``Swarm.leeching``)."""

    def __init__(self) -> None:
        self._by_member: dict[int, set[int]] = {}

    def count(self, user_id: int) -> int:
        return len(self._by_member.get(user_id, ()))

    def attach(self, swarm: Swarm) -> None:
        """Index a swarm's leechers now and follow its changes from here on."""
        for user_id in swarm.leechers_per_member:
            self.joined(user_id, swarm.torrent_id)
        swarm.leeching = self

    def detach(self, swarm: Swarm) -> None:
        """A swarm dropped with its release: its leechers leech it no more."""
        for user_id in swarm.leechers_per_member:
            self.left(user_id, swarm.torrent_id)
        swarm.leeching = None

    def joined(self, user_id: int, torrent_id: int) -> None:
        self._by_member.setdefault(user_id, set()).add(torrent_id)

    def left(self, user_id: int, torrent_id: int) -> None:
        releases = self._by_member.get(user_id)
        if releases is not None:
            releases.discard(torrent_id)
            if not releases:
                del self._by_member[user_id]


NOBODY = -1


@dataclass(slots=True)
class LeecherDepartures:
    """When leechers last left (stopped, expired or finished), kept as the latest time of
    two different members: enough to answer "did a leecher of anyone but member M leave
    since t" in O(1), whatever the size of the swarm."""

    latest: tuple[int, float] = (NOBODY, -1.0)
    runner_up: tuple[int, float] = (NOBODY, -1.0)

    def record(self, user_id: int, at: float) -> None:
        (first, first_at), (second, second_at) = self.latest, self.runner_up
        if user_id == first:
            self.latest = (first, max(first_at, at))
        elif user_id == second:
            second_at = max(second_at, at)
            if second_at > first_at:
                self.latest, self.runner_up = (second, second_at), self.latest
            else:
                self.runner_up = (second, second_at)
        elif at > first_at:
            self.latest, self.runner_up = (user_id, at), self.latest
        elif at > second_at:
            self.runner_up = (user_id, at)

    def latest_besides(self, user_id: int) -> float:
        """When a leecher of another member than ``user_id`` last left; -1 if none has."""
        first, first_at = self.latest
        return first_at if first != user_id else self.runner_up[1]


@dataclass(slots=True)
class Swarm:
    torrent_id: int
    completed: int
    last_seeder_at: int | None
    snatchers: set[int]
    registered_at: int = 0
    peers: dict[PeerKey, Peer] = field(default_factory=dict)
    seeders: list[Peer] = field(default_factory=list)
    leechers: list[Peer] = field(default_factory=list)
    per_member: dict[int, int] = field(default_factory=dict)
    leechers_per_member: dict[int, int] = field(default_factory=dict)
    leecher_departures: LeecherDepartures = field(default_factory=LeecherDepartures)
    leeching: LeechingIndex | None = None

    def counts(self) -> tuple[int, int, int]:
        """(complete, incomplete, downloaded) as announce and scrape report them."""
        return (len(self.seeders), len(self.leechers), self.completed)

    def had_leecher(self, user_id: int, since: float) -> bool:
        """Whether someone could have downloaded from member ``user_id`` since ``since``:
        a leecher of ANOTHER member is in the swarm now, or one left (stopped, expired or
        finished) at or after that time. The member's own second client does not count,
        or anyone could credit their upload by leeching from themselves."""
        others = len(self.leechers) - self.leechers_per_member.get(user_id, 0)
        return others > 0 or self.leecher_departures.latest_besides(user_id) >= since

    def is_leeching(self, user_id: int) -> bool:
        """Whether any client of the member is a leecher here."""
        return user_id in self.leechers_per_member

    def peer_count(self, user_id: int) -> int:
        """How many peers (clients) of one member are in this swarm."""
        return self.per_member.get(user_id, 0)

    def add(self, peer: Peer) -> None:
        self.peers[peer.key] = peer
        _count(self.per_member, peer.user_id, 1)
        self._join_group(peer)

    def remove(self, peer: Peer, now: float) -> None:
        del self.peers[peer.key]
        _count(self.per_member, peer.user_id, -1)
        self._leave_group(peer, now)

    def _join_group(self, peer: Peer) -> None:
        if peer.is_seeder:
            group = self.seeders
        else:
            group = self.leechers
            _count(self.leechers_per_member, peer.user_id, 1)
            if self.leeching is not None and self.leechers_per_member[peer.user_id] == 1:
                self.leeching.joined(peer.user_id, self.torrent_id)
        peer.slot = len(group)
        group.append(peer)

    def _leave_group(self, peer: Peer, now: float) -> None:
        if peer.is_seeder:
            group = self.seeders
        else:
            group = self.leechers
            _count(self.leechers_per_member, peer.user_id, -1)
            self.leecher_departures.record(peer.user_id, now)
            if self.leeching is not None and peer.user_id not in self.leechers_per_member:
                self.leeching.left(peer.user_id, self.torrent_id)
        last = group.pop()
        if last is not peer:
            group[peer.slot] = last
            last.slot = peer.slot
        peer.slot = -1

    def set_left(self, peer: Peer, left: int, now: float) -> None:
        """Change a peer's ``left``, moving it between seeders and leechers if it finished."""
        if (left == 0) != peer.is_seeder:
            self._leave_group(peer, now)
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


def _count(counts: dict[int, int], user_id: int, change: int) -> None:
    """Add ``change`` to a member's count, forgetting members who reach zero."""
    total = counts.get(user_id, 0) + change
    if total:
        counts[user_id] = total
    else:
        del counts[user_id]
