"""A benchmark board made by SQL: N releases, M members and P live peers, in seconds.

The tracker loads its swarms from the ``peers`` table when it starts, so peers are
written straight into that table instead of being announced one by one: a million peers
take seconds this way, not minutes of warm-up. Rows are random but reproducible (seeded
``random.Random``), and every peer belongs to a member whose passkey it announces with.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_from_bytes

from tinypier.datadir import prepare_data_dir
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings, load_settings

SEEDER_SHARE = 0.3
PEER_ID_PREFIX = b"-qB4620-"
PAST_TRANSFERS_PER_MEMBER = 20
"""Torrents each member moved data on before (besides those they are in the swarm of)."""
MONTH_SECONDS = 30 * 86_400


@dataclass(frozen=True, slots=True)
class Peer:
    torrent: int
    member: int
    peer_id: bytes
    port: int
    left: int


@dataclass(frozen=True)
class Swarms:
    """What the load generator needs: who announces what, as pre-encoded query parts."""

    info_hashes: list[bytes]
    passkeys: list[str]
    peers: list[Peer]


def make_swarms(torrents: int, members: int, peers: int, seed: int = 1) -> Swarms:
    rng = random.Random(seed)
    info_hashes = [rng.randbytes(20) for _ in range(torrents)]
    passkeys = [rng.randbytes(16).hex() for _ in range(members)]
    swarm_peers = [
        Peer(
            torrent=index % torrents,
            member=rng.randrange(members),
            peer_id=PEER_ID_PREFIX + rng.randbytes(12),
            # Distinct within a torrent: the load comes from one address, and opentracker
            # tells peers apart by address and port (TinyPier by member and peer id).
            port=1024 + (index // torrents) % 64000,
            left=0 if rng.random() < SEEDER_SHARE else rng.randrange(1, 1 << 30),
        )
        for index in range(peers)
    ]
    return Swarms(info_hashes, passkeys, swarm_peers)


def seed_board(data_dir: Path, swarms: Swarms, seed: int = 1) -> Settings:
    """A prepared data directory holding the swarms' releases, members, peers and the
    transfer history a long-running board has."""
    settings = load_settings(data_dir, environ={})
    prepare_data_dir(settings)
    connection = connect_sync(settings.database_path)
    try:
        connection.execute("BEGIN IMMEDIATE")
        _members(connection, swarms.passkeys)
        _releases(connection, swarms.info_hashes)
        _peers(connection, swarms.peers)
        _transfers(connection, swarms, random.Random(seed))
        connection.execute("COMMIT")
    finally:
        connection.close()
    return settings


def _members(connection: sqlite3.Connection, passkeys: list[str]) -> None:
    now = int(time.time())
    connection.executemany(
        "INSERT INTO users (id, name, password_hash, role, disabled, passkey, feed_token,"
        " created_at, uploaded, downloaded, post_count, invite_quota)"
        " VALUES (?, ?, 'not-a-hash', 'user', 0, ?, ?, ?, 0, 0, 0, 0)",
        (
            (index + 1, f"member{index}", passkey, f"feed{index}", now)
            for index, passkey in enumerate(passkeys)
        ),
    )


def _releases(connection: sqlite3.Connection, info_hashes: list[bytes]) -> None:
    now = int(time.time())
    execute, executemany = connection.execute, connection.executemany
    execute("INSERT INTO categories (id, name, position) VALUES (1, 'Bench', 0)")
    execute(
        "INSERT INTO forums (id, category_id, name, description, position, allows_releases,"
        " view_role, topic_role, reply_role, download_role, topic_count, post_count)"
        " VALUES (1, 1, 'Releases', '', 0, 1, 'guest', 'user', 'user', 'user', 0, 0)"
    )
    ids = range(1, len(info_hashes) + 1)
    executemany(
        "INSERT INTO topics (id, forum_id, author_id, title, created_at, last_post_at,"
        " post_count, pin, locked) VALUES (?, 1, 1, ?, ?, ?, 0, 0, 0)",
        ((i, f"Release {i}", now, now) for i in ids),
    )
    executemany(
        "INSERT INTO attachments (id, sha256, size, created_at) VALUES (?, ?, 1, ?)",
        ((i, hashlib.sha256(b"%d" % i).hexdigest(), now) for i in ids),
    )
    executemany(
        "INSERT INTO torrents (id, topic_id, attachment_id, uploader_id, info_hash, name,"
        " total_size, file_count, files_json, piece_length, status, freeleech, created_at,"
        " seeders, leechers, completed) VALUES (?, ?, ?, 1, ?, ?, 1048576, 1, '[]', 65536,"
        " 'checked', 'none', ?, 0, 0, 0)",
        ((i, i, i, info_hashes[i - 1], f"release{i}", now) for i in ids),
    )


def _peers(connection: sqlite3.Connection, peers: list[Peer]) -> None:
    now = int(time.time())
    connection.executemany(
        "INSERT INTO peers (torrent_id, user_id, peer_id, ipv4, ipv6, port, uploaded,"
        ' downloaded, "left", client, started_at, last_announce_at)'
        " VALUES (?, ?, ?, '127.0.0.1', NULL, ?, 0, 0, ?, 'qBittorrent 4.6.2', ?, ?)",
        (
            (peer.torrent + 1, peer.member + 1, peer.peer_id, peer.port, peer.left, now, now)
            for peer in peers
        ),
    )


def _transfers(connection: sqlite3.Connection, swarms: Swarms, rng: random.Random) -> None:
    """What a board that has run for months holds in ``transfers``: a row for each member
    on every torrent they are a peer of, and on :data:`PAST_TRANSFERS_PER_MEMBER` torrents
    more, so the tracker's writes land in a table (and index) of that size, not a fresh
    one. The members' totals are the sums of their rows, as crediting leaves them."""
    now = int(time.time())
    torrents = len(swarms.info_hashes)
    past = min(PAST_TRANSFERS_PER_MEMBER, torrents)
    pairs = {(peer.torrent, peer.member) for peer in swarms.peers}
    for member in range(len(swarms.passkeys)):
        pairs.update((torrent, member) for torrent in rng.sample(range(torrents), past))
    connection.executemany(
        "INSERT INTO transfers (torrent_id, user_id, uploaded, downloaded, seeding_seconds,"
        " first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (torrent + 1, member + 1, rng.randrange(1 << 34), rng.randrange(1 << 32),
             rng.randrange(MONTH_SECONDS), now - MONTH_SECONDS - rng.randrange(MONTH_SECONDS),
             now - rng.randrange(MONTH_SECONDS))
            for torrent, member in sorted(pairs)
        ),
    )  # fmt: skip
    connection.execute(
        "UPDATE users SET uploaded = totals.uploaded, downloaded = totals.downloaded"
        " FROM (SELECT user_id, SUM(uploaded) AS uploaded, SUM(downloaded) AS downloaded"
        " FROM transfers GROUP BY user_id) AS totals WHERE users.id = totals.user_id"
    )


def announce_line(swarms: Swarms, peer: Peer, uploaded: int = 0) -> str:
    """One re-announce of ``peer``: its member's passkey, a TAB, the encoded query."""
    query = (
        f"info_hash={quote_from_bytes(swarms.info_hashes[peer.torrent], safe='')}"
        f"&peer_id={quote_from_bytes(peer.peer_id, safe='')}&port={peer.port}"
        f"&uploaded={uploaded}&downloaded=0&left={peer.left}&compact=1&numwant=50"
    )
    return f"{swarms.passkeys[peer.member]}\t{query}"


def announce_lines(swarms: Swarms, count: int, seed: int = 2) -> list[str]:
    """``count`` re-announces of peers picked at random, each reporting a different
    upload counter: every announce then moves counters and must be written, as a real
    re-announce does (a repeat of the last report would be answered without a write)."""
    rng = random.Random(seed)
    return [
        announce_line(swarms, peer, uploaded=rng.randrange(1, 2**40))
        for peer in rng.choices(swarms.peers, k=count)
    ]
