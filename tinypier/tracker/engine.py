"""The tracker: announce and scrape against in-memory swarms, written through to SQLite.

The announce path does O(numwant) work in memory, adds its one credit-log row to the
writer's pending batch and waits for that batch's commit (see
:mod:`tinypier.tracker.store` and :mod:`tinypier.tracker.creditlog`) before it answers.
Stale peers are swept by a periodic task that yields to the event loop often, so a sweep
over a million peers does not stall announces.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from tinypier.db.connection import connect_sync
from tinypier.permissions.hit_and_run import hit_and_run_block
from tinypier.permissions.ratio import leech_slots, ratio_shortfall, shown_ratio
from tinypier.settings import Settings
from tinypier.tracker import rules
from tinypier.tracker.accounting import (
    capped_credit,
    counter_delta,
    download_credit,
    seeding_credit,
)
from tinypier.tracker.creditlog import EXPIRED, NO_CREDIT, STOPPED, removed_row, saved_row
from tinypier.tracker.protocol import (
    Announce,
    Bencodable,
    Event,
    ProtocolError,
    bencode,
    compact_reply,
    failure,
    parse_announce,
    parse_scrape,
)
from tinypier.tracker.registry import Member, Registry, Release
from tinypier.tracker.store import (
    CommitFailed,
    CommitSignal,
    FoldPolicy,
    Writer,
    load_swarm,
    load_swarms,
    reset_idle_torrents,
    write_swarm_figures,
)
from tinypier.tracker.swarm import Departed, Departures, LeechingIndex, Peer, Swarm

EXPIRY_INTERVALS = 1.5
DEPARTED_KEEP_SECONDS = 6 * 3600
SWEEP_CHUNK = 2000
BUSY_REPLY = failure(rules.BUSY)


@dataclass(frozen=True, slots=True)
class ClientAddress:
    packed: bytes
    is_ipv6: bool


class Refused(Exception):
    """An announce or scrape answered with a ``failure reason``."""


class Tracker:
    """The engine behind ``app.state.tracker``. ``clock`` gives Unix seconds; tests replace
    the attribute to move time (expiry, seeding time, cache lifetimes)."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.legacy_passkey_field = settings.legacy_passkey_param.encode()
        self.clock = clock
        self._allow = tuple(prefix.encode() for prefix in settings.client_allow_prefixes)
        self._deny = tuple(prefix.encode() for prefix in settings.client_deny_prefixes)
        self._swarms: dict[int, Swarm] = {}
        self._leeching = LeechingIndex()
        self._rates = (settings.max_upload_rate, settings.max_download_rate)
        self.departures = Departures(
            DEPARTED_KEEP_SECONDS, settings.departed_per_member_max, settings.departed_max
        )
        # Member -> when it last announced (any torrent): where a new peer's credit window
        # starts. One entry per member who announced since the start.
        self._last_seen: dict[int, float] = {}
        self._reader: sqlite3.Connection | None = None
        self._registry: Registry | None = None
        self._writer: Writer | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def use_settings(self, settings: Settings) -> None:
        """Follow settings an admin changed while the board runs (``site_settings``): the
        intervals, freeleech and limits are read from here on each announce."""
        self.settings = settings
        self.legacy_passkey_field = settings.legacy_passkey_param.encode()

    @property
    def _expiry(self) -> int:
        """Seconds of silence after which a peer is dropped: 1.5 announce intervals."""
        return int(self.settings.announce_interval * EXPIRY_INTERVALS)

    async def start(self) -> None:
        """Start the writer (which first folds what the credit log still holds), load the
        swarms the database holds and start the sweeper.

        The read connection is opened here, on the event loop's thread, which is the only
        thread that uses it."""
        self._loop = asyncio.get_running_loop()
        self._reader = connect_sync(self.settings.database_path)
        self._registry = Registry(self._reader, clock=lambda: self.clock())
        self._writer = Writer(
            self.settings.database_path,
            self.settings.credit_log_path,
            self.settings.commit_interval_ms,
            self.settings.cheat_log_max_rows,
            FoldPolicy(
                self.settings.credit_fold_rows,
                self.settings.credit_fold_interval_ms,
                self.settings.credit_fold_chunk_rows,
            ),
        )
        await self._writer.start()
        self._swarms = load_swarms(self._reader)
        for loaded in self._swarms.values():
            self._leeching.attach(loaded)
        # A million loaded peers are long-lived objects: a full collection walking them
        # took 0.5-1.3 s and showed up as p99 announce latency. Freezing moves everything
        # alive now out of the collector's generations for good.
        gc.freeze()
        await self._writer.run_sync(reset_idle_torrents)
        await self._writer.run_sync(write_swarm_figures, list(self._swarms.values()))
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="tracker-sweeper")

    async def stop(self) -> None:
        """Stop sweeping and commit everything pending."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        if self._writer is not None:
            await self._writer.close()
        if self._reader is not None:
            self._reader.close()
        self._reader = self._loop = None

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            raise RuntimeError("the tracker is not started")
        return self._writer

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            raise RuntimeError("the tracker is not started")
        return self._registry

    def forget_member(self, user_id: int) -> None:
        """A member's passkey or account changed: look it up again on the next announce."""
        if self._registry is not None:
            self._registry.forget_member(user_id)

    def forget_release(self, torrent_id: int) -> None:
        """A release's status, freeleech or hashes changed: look it up again. A deleted
        release's swarm goes too (SQLite may give its id to the next release)."""
        if self._registry is None or self._loop is None:
            return
        self._registry.forget_release(torrent_id)
        self._loop.call_soon_threadsafe(self._drop_swarm_if_deleted, torrent_id)

    def _drop_swarm_if_deleted(self, torrent_id: int) -> None:
        """On the loop's thread, the only one that may use the read connection."""
        if self._reader is None:
            return
        exists = self._reader.execute("SELECT 1 FROM torrents WHERE id = ?", (torrent_id,))
        if exists.fetchone() is None:
            dropped = self._swarms.pop(torrent_id, None)
            if dropped is not None:
                self._leeching.detach(dropped)

    def swarm(self, torrent_id: int) -> Swarm:
        swarm = self._swarms.get(torrent_id)
        if swarm is None:
            if self._reader is None:
                raise RuntimeError("the tracker is not started")
            swarm = self._swarms[torrent_id] = load_swarm(self._reader, torrent_id)
            self._leeching.attach(swarm)
        return swarm

    # -- announce -------------------------------------------------------------------

    async def announce(
        self, passkey: str, query: bytes, address: ClientAddress | None, user_agent: bytes
    ) -> bytes:
        """The reply to an announce, once the commit that credits it has ended."""
        reply, committed = self.apply_announce(passkey, query, address, user_agent)
        if committed is None:
            return reply
        try:
            await committed.wait()
        except CommitFailed:
            return BUSY_REPLY
        return reply

    def apply_announce(
        self, passkey: str, query: bytes, address: ClientAddress | None, user_agent: bytes
    ) -> tuple[bytes, CommitSignal | None]:
        """Apply an announce to memory and queue its writes. Returns the reply and the
        commit to wait for before sending it (None for a refusal, which writes nothing);
        if that commit fails, the answer is :data:`BUSY_REPLY` instead."""
        try:
            request = parse_announce(
                query, self.settings.numwant_max, self.settings.tracker_counter_max
            )
            member = self._member(passkey, request.event)
            release = self._release(member, request.info_hash, request.event)
            if not rules.client_allowed(request.peer_id, self._allow, self._deny):
                raise Refused(rules.CLIENT_NOT_ALLOWED)
            if address is None:
                raise Refused(rules.ADDRESS_UNKNOWN)
            swarm = self.swarm(release.id)
            self._check_room(swarm, member, request)
            self._check_ratio(swarm, member, request)
        except ProtocolError as error:
            if b"peer_id=" not in query and rules.is_browser(user_agent):
                return failure(rules.BROWSER_REFUSED), None
            return failure(str(error)), None
        except Refused as refusal:
            return failure(str(refusal)), None
        return self._apply(swarm, member, release, request, address)

    def _member(self, passkey: str, event: Event) -> Member:
        """The passkey's member. A disabled one is refused, except for the client's final
        ``stopped``: it takes the peer out of the swarm (which would otherwise count it
        until it expires) and credits its last bytes within the usual caps."""
        member = self.registry.member(passkey)
        if member is None:
            raise Refused(rules.PASSKEY_NOT_VALID)
        if member.disabled and event is not Event.STOPPED:
            raise Refused(rules.ACCOUNT_DISABLED)
        return member

    def _release(self, member: Member, info_hash: bytes, event: Event) -> Release:
        """The release announced, if the member's role may download it. A frozen one
        still takes a client's ``stopped``, so the last bytes a member moved before the
        moderators closed it are credited."""
        release = self.registry.release(info_hash, member)
        if release is None:
            raise Refused(rules.UNREGISTERED_TORRENT)
        if release.status in rules.FROZEN_STATUSES and event is not Event.STOPPED:
            raise Refused(rules.RELEASE_FROZEN.format(status=release.status))
        return release

    def _check_room(self, swarm: Swarm, member: Member, request: Announce) -> None:
        """A member runs at most ``peers_per_member_max`` clients in one swarm, so nobody
        can fill the tracker's memory by announcing made-up peer ids."""
        limit = self.settings.peers_per_member_max
        if (
            request.event is not Event.STOPPED
            and (member.id, request.peer_id) not in swarm.peers
            and swarm.peer_count(member.id) >= limit
        ):
            raise Refused(rules.TOO_MANY_PEERS.format(limit=limit))

    def _check_ratio(self, swarm: Swarm, member: Member, request: Announce) -> None:
        """Starting to leech a release (``left`` > 0 and no client of the member leeching
        it yet) is refused below the minimum ratio or with every leech slot taken
        (``permissions.ratio``, on the figures the registry caches), and with ``hnr_max``
        active hit-and-runs (``permissions.hit_and_run``). Seeding, ``stopped`` and a
        download already under way go on."""
        if request.left == 0 or request.event is Event.STOPPED or swarm.is_leeching(member.id):
            return
        block = hit_and_run_block(self.settings, member.hit_and_runs)
        if block is not None:
            raise Refused(rules.HIT_AND_RUNS.format(active=block.active, limit=block.limit))
        shortfall = ratio_shortfall(self.settings, member.uploaded, member.downloaded)
        if shortfall is not None:
            raise Refused(
                rules.RATIO_TOO_LOW.format(
                    ratio=shown_ratio(shortfall.ratio), minimum=shortfall.minimum
                )
            )
        slots = leech_slots(self.settings, member.uploaded, member.downloaded)
        if slots is not None and self._leeching.count(member.id) >= slots:
            ratio = shown_ratio(member.uploaded / member.downloaded)
            raise Refused(rules.LEECH_SLOTS_FULL.format(ratio=ratio, limit=slots))

    def _apply(
        self,
        swarm: Swarm,
        member: Member,
        release: Release,
        request: Announce,
        address: ClientAddress,
    ) -> tuple[bytes, CommitSignal | None]:
        """Change the swarm and queue the writes; returns the reply and the commit to await
        (None when the announce changed nothing worth writing)."""
        moment = self.clock()
        now = int(moment)
        key = (member.id, request.peer_id)
        peer = swarm.peers.get(key)
        if peer is not None and self._repeats(peer, request, address, now):
            return self._reply(swarm, swarm.sample(peer, request.numwant), request), None
        uploaded, downloaded, since = self._baseline(swarm, peer, member.id, request)
        (uploaded, downloaded), withheld = capped_credit(
            (
                counter_delta(uploaded, request.uploaded),
                counter_delta(downloaded, request.downloaded),
            ),
            moment - since,
            self._rates,
            swarm.had_leecher(member.id, since),
        )
        credit = (
            uploaded,
            download_credit(downloaded, release.freeleech, self.settings.global_freeleech),
            0
            if peer is None
            else seeding_credit(
                peer.is_seeder, int(peer.last_announce_at), now, self.settings.announce_interval
            ),
        )
        finished = request.left == 0 and (
            request.event is Event.COMPLETED or (peer is not None and peer.left > 0)
        )
        self._last_seen[member.id] = moment
        snatched = finished and member.id not in swarm.snatchers
        if snatched:
            swarm.snatchers.add(member.id)
            swarm.completed += 1
        entry = self.writer.pending.entry()
        if request.event is Event.STOPPED:
            if peer is not None:
                swarm.remove(peer, moment)
            gone = Departed(request.uploaded, request.downloaded, moment)
            self.departures.record(release.id, member.id, request.peer_id, gone)
            chosen: list[Peer] = []
            entry.log(removed_row(release.id, key, STOPPED, credit, snatched, swarm, now))
        else:
            peer = self._update_peer(swarm, peer, member.id, request, address, moment)
            if peer.is_seeder:
                swarm.last_seeder_at = now
            chosen = swarm.sample(peer, request.numwant)
            entry.log(saved_row(release.id, peer, request.event, credit, snatched, swarm, now))
        if withheld is not None:
            entry.withhold(release.id, member.id, withheld, now)
        return self._reply(swarm, chosen, request), entry

    def _repeats(self, peer: Peer, request: Announce, address: ClientAddress, now: int) -> bool:
        """An announce sooner than ``min interval`` that reports what the peer's last one
        did (same counters, port and address, no event) credits nothing and moves nothing:
        it gets peers without a write, so a client hammering the tracker costs no commits."""
        return (
            request.event is Event.NONE
            and now - peer.last_announce_at < self.settings.min_announce_interval
            and request.uploaded == peer.uploaded
            and request.downloaded == peer.downloaded
            and request.left == peer.left
            and request.port == peer.port
            and peer.is_located_at(address.packed, address.is_ipv6)
        )

    def _baseline(
        self, swarm: Swarm, peer: Peer | None, member_id: int, request: Announce
    ) -> tuple[int, int, float]:
        """The counters this announce is measured against (see tracker.accounting) and the
        time they were reported, where the credit window starts. A new session's baseline
        is zero, its window opens when the release was registered or the member last
        announced, whichever is later: a made-up total on a first announce (or a first
        ``stopped``) credits no more than the rate cap allows since then."""
        if peer is not None:
            return (peer.uploaded, peer.downloaded, peer.last_announce_at)
        departed = self.departures.take(swarm.torrent_id, member_id, request.peer_id)
        if departed is not None and request.event is not Event.STARTED:
            return (departed.uploaded, departed.downloaded, departed.left_at)
        return (0, 0, max(swarm.registered_at, self._member_last_seen(member_id)))

    def _member_last_seen(self, member_id: int) -> float:
        """When the member last announced; after a restart, its newest transfer row says
        (one indexed lookup per member, then the in-memory value)."""
        seen = self._last_seen.get(member_id)
        if seen is None:
            if self._reader is None:
                raise RuntimeError("the tracker is not started")
            row = self._reader.execute(
                "SELECT MAX(last_seen_at) FROM transfers WHERE user_id = ?", (member_id,)
            ).fetchone()
            seen = self._last_seen[member_id] = float(row[0] or 0)
        return seen

    @staticmethod
    def _update_peer(
        swarm: Swarm,
        peer: Peer | None,
        user_id: int,
        request: Announce,
        address: ClientAddress,
        now: float,
    ) -> Peer:
        if peer is None:
            peer = Peer(
                user_id=user_id,
                peer_id=request.peer_id,
                port=request.port,
                uploaded=request.uploaded,
                downloaded=request.downloaded,
                left=request.left,
                client=rules.client_name(request.peer_id),
                started_at=int(now),
                last_announce_at=now,
            )
            peer.locate(address.packed, address.is_ipv6, request.port)
            swarm.add(peer)
            return peer
        peer.uploaded = request.uploaded
        peer.downloaded = request.downloaded
        peer.last_announce_at = now
        peer.locate(address.packed, address.is_ipv6, request.port)
        swarm.set_left(peer, request.left, now)
        return peer

    def _reply(self, swarm: Swarm, chosen: list[Peer], request: Announce) -> bytes:
        interval = self.settings.announce_interval
        min_interval = self.settings.min_announce_interval
        if request.compact:
            peers = b"".join([peer.compact4 for peer in chosen])
            peers6 = b"".join([peer.compact6 for peer in chosen])
            return compact_reply(swarm.counts(), interval, min_interval, peers, peers6)
        complete, incomplete, downloaded = swarm.counts()
        listed: list[Bencodable] = []
        for peer in chosen:
            for ip in (peer.ipv4, peer.ipv6):
                if ip is not None:
                    entry: dict[bytes, Bencodable] = {b"ip": ip, b"port": peer.port}
                    if not request.no_peer_id:
                        entry[b"peer id"] = peer.peer_id
                    listed.append(entry)
        return bencode(
            {
                b"interval": interval,
                b"min interval": min_interval,
                b"complete": complete,
                b"incomplete": incomplete,
                b"downloaded": downloaded,
                b"peers": listed,
            }
        )

    # -- scrape ---------------------------------------------------------------------

    def scrape(self, passkey: str, query: bytes) -> bytes:
        """Counts of the releases the member may announce; any other hash is left out as
        an unknown one is."""
        try:
            member = self._member(passkey, Event.NONE)
            hashes = parse_scrape(query, self.settings.scrape_max_hashes)
        except (ProtocolError, Refused) as error:
            return failure(str(error))
        files: dict[bytes, Bencodable] = {}
        for info_hash in hashes:
            release = self.registry.release(info_hash, member)
            if release is None or release.status in rules.FROZEN_STATUSES:
                continue
            complete, incomplete, downloaded = self.swarm(release.id).counts()
            files[info_hash] = {
                b"complete": complete,
                b"incomplete": incomplete,
                b"downloaded": downloaded,
            }
        return bencode({b"files": files})

    # -- expiry ---------------------------------------------------------------------

    async def _sweep_forever(self) -> None:
        while True:
            # Read each time: the announce interval may change while the board runs.
            await asyncio.sleep(max(1, min(60, self.settings.announce_interval // 10)))
            await self.sweep()

    async def sweep(self) -> int:
        """Remove peers silent for more than 1.5 intervals and forget old departures, in
        slices that yield to the loop; returns how many peers expired, once their removal
        is committed."""
        now = int(self.clock())
        expired = scanned = 0
        for swarm in list(self._swarms.values()):
            expired += self._expire(swarm, now)
            scanned += len(swarm.peers) + 1
            if scanned >= SWEEP_CHUNK:
                scanned = 0
                await asyncio.sleep(0)
        more = True
        while more:
            more = self.departures.expire(now, SWEEP_CHUNK)
            await asyncio.sleep(0)
        await self.writer.pending.done.wait()
        return expired

    def _expire(self, swarm: Swarm, now: int) -> int:
        """Remove a swarm's silent peers. Each leaves with the time of its last announce,
        where the credit window of its return starts."""
        cutoff = now - self._expiry
        stale = [peer for peer in swarm.peers.values() if peer.last_announce_at < cutoff]
        if stale:
            batch = self.writer.pending
            for peer in stale:
                swarm.remove(peer, peer.last_announce_at)
                gone = Departed(peer.uploaded, peer.downloaded, peer.last_announce_at)
                self.departures.record(swarm.torrent_id, peer.user_id, peer.peer_id, gone)
                row = removed_row(swarm.torrent_id, peer.key, EXPIRED, NO_CREDIT, False, swarm, now)
                batch.entry().log(row)
        return len(stale)
