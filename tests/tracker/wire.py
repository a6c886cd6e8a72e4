"""Building announce and scrape requests byte by byte, and registering torrents by SQL."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

import bencodepy
from litestar.testing import TestClient

from tinypier.db.connection import connect_sync
from tinypier.settings import Settings
from tinypier.tracker.creditlog import log_file_connection
from tinypier.tracker.store import fold_pending

ADDRESS_HEADER = b"x-test-connection-address"


def info_hash(label: str) -> bytes:
    return hashlib.sha1(label.encode()).digest()


def peer_id(prefix: bytes = b"-qB4620-", label: str = "1") -> bytes:
    return (prefix + hashlib.sha1(label.encode()).digest())[:20]


def query(**fields: Any) -> str:
    """A query string with each value percent-encoded from bytes (ints and str as text);
    a list value repeats the parameter."""
    parts: list[str] = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            raw = item if isinstance(item, bytes) else str(item).encode()
            parts.append(f"{name}={quote_from_bytes(raw, safe='')}")
    return "&".join(parts)


def announce_fields(
    torrent: bytes,
    peer: bytes,
    *,
    port: int = 6881,
    uploaded: int = 0,
    downloaded: int = 0,
    left: int = 0,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "info_hash": torrent,
        "peer_id": peer,
        "port": port,
        "uploaded": uploaded,
        "downloaded": downloaded,
        "left": left,
        **extra,
    }


def get(client: TestClient[Any], path: str, address: str = "127.0.0.1", **headers: str) -> Any:
    """GET a tracker path and decode the bencoded body (it must be a dictionary)."""
    response = client.get(path, headers={ADDRESS_HEADER.decode(): address, **headers})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    decoded = bencodepy.decode(response.content)
    assert isinstance(decoded, dict)
    return decoded


def announce(
    client: TestClient[Any],
    passkey: str,
    torrent: bytes,
    peer: bytes,
    address: str = "127.0.0.1",
    **fields: Any,
) -> Any:
    return get(
        client, f"/announce/{passkey}?{query(**announce_fields(torrent, peer, **fields))}", address
    )


def scrape(client: TestClient[Any], passkey: str, *hashes: bytes) -> Any:
    return get(client, f"/scrape/{passkey}?{query(info_hash=list(hashes))}")


@dataclass(frozen=True)
class Registered:
    id: int
    info_hash: bytes | None
    info_hash_v2: bytes | None

    @property
    def key(self) -> bytes:
        """The hash a client announces: v1, else the v2 hash cut to 20 bytes (BEP 52)."""
        if self.info_hash is not None:
            return self.info_hash
        assert self.info_hash_v2 is not None
        return self.info_hash_v2[:20]

    @property
    def short_v2(self) -> bytes:
        assert self.info_hash_v2 is not None
        return self.info_hash_v2[:20]


def register_torrent(
    settings: Settings,
    uploader_id: int,
    label: str,
    *,
    v1: bool = True,
    v2: bool = False,
    status: str = "checked",
    freeleech: str = "none",
) -> Registered:
    """Insert a release the way the releases area does: topic, attachment, torrent row."""
    v1_hash = info_hash(label) if v1 else None
    v2_hash = hashlib.sha256(label.encode()).digest() if v2 else None
    now = int(time.time())
    connection = connect_sync(settings.database_path)
    try:
        connection.execute(
            "INSERT OR IGNORE INTO categories (id, name, position) VALUES (1, 'C', 0)"
        )
        connection.execute(
            "INSERT OR IGNORE INTO forums (id, category_id, name, description, position,"
            " allows_releases, view_role, topic_role, reply_role, download_role, topic_count,"
            " post_count) VALUES (1, 1, 'Releases', '', 0, 1, 'guest', 'user', 'user', 'user',"
            " 0, 0)"
        )
        topic_id = connection.execute(
            "INSERT INTO topics (forum_id, author_id, title, created_at, last_post_at, post_count,"
            " pin, locked) VALUES (1, ?, ?, ?, ?, 0, 0, 0)",
            (uploader_id, label, now, now),
        ).lastrowid
        attachment_id = connection.execute(
            "INSERT INTO attachments (sha256, size, created_at) VALUES (?, 1, ?)",
            (hashlib.sha256(b"file " + label.encode()).hexdigest(), now),
        ).lastrowid
        torrent_id = connection.execute(
            "INSERT INTO torrents (topic_id, attachment_id, uploader_id, info_hash, info_hash_v2,"
            " name, total_size, file_count, files_json, piece_length, status, freeleech,"
            " created_at, seeders, leechers, completed) VALUES (?, ?, ?, ?, ?, ?, 1000, 1, '[]',"
            " 16384, ?, ?, ?, 0, 0, 0)",
            (topic_id, attachment_id, uploader_id, v1_hash, v2_hash, label, status, freeleech, now),
        ).lastrowid
        return Registered(torrent_id or 0, v1_hash, v2_hash)
    finally:
        connection.close()


def fetch_unfolded(settings: Settings, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows of the board's tables as they are now: what the tracker's own folds left."""
    connection = connect_sync(settings.database_path)
    try:
        return [tuple(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()


def fetch(settings: Settings, sql: str, *params: Any) -> list[Any]:
    """Rows of the board's tables as the tracker's next fold of the credit log leaves them
    (it folds at least every ``credit_fold_interval_ms``; folding here, as any connection
    may, spares each test that wait). ``test_credit_log.py`` holds the fold's timing."""
    fold_pending(settings)
    return fetch_unfolded(settings, sql, *params)


def fetch_log(settings: Settings, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows of the tracker's credit-log file (``tinypier.tracker.creditlog``)."""
    connection = log_file_connection(settings.credit_log_path)
    try:
        return [tuple(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()


def execute_in_log(settings: Settings, sql: str) -> None:
    connection = log_file_connection(settings.credit_log_path)
    try:
        connection.execute(sql)
    finally:
        connection.close()


def log_backlog(settings: Settings) -> tuple[int, int]:
    """Rows of the credit-log file past the board's mark (not folded yet), and rows at or
    below it (folded, not trimmed yet)."""
    [(mark,)] = fetch_unfolded(settings, "SELECT credit_log_through FROM credit_fold_marks")
    [(waiting, folded)] = fetch_log(
        settings,
        "SELECT COUNT(*) FILTER (WHERE id > ?1), COUNT(*) FILTER (WHERE id <= ?1) FROM credit_log",
        mark,
    )
    return int(waiting), int(folded)


def unfolded_rows(settings: Settings) -> int:
    return log_backlog(settings)[0]


def execute(settings: Settings, sql: str, *params: Any) -> None:
    connection = connect_sync(settings.database_path)
    try:
        connection.execute(sql, params)
    finally:
        connection.close()


def crowd(client: TestClient[Any], passkey: str, torrent: bytes, count: int, subnet: str) -> None:
    """``count`` leechers of one member, peer ids "0".."count-1", from ``subnet``.0, .1 ..."""
    for n in range(count):
        announce(client, passkey, torrent, peer_id(label=str(n)), f"{subnet}.{n}", left=1)
