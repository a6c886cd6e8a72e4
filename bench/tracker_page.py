"""The /tracker page at 100,000 releases: pages per second for every sort and filter.

    .venv/bin/python bench/tracker_page.py                  # 100,000 releases, 3 s per page
    .venv/bin/python bench/tracker_page.py --releases 20000 --seconds 1

Builds a board by SQL in a temporary directory (members, 12 forums of which 2 are for
moderators only, one topic, attachment and torrent row per release, with sizes, swarm
figures, ages, statuses and freeleech spread the way a real board has them, and a member
who snatched some releases), runs ANALYZE as ``tinypier`` boards get it from SQLite's
``PRAGMA optimize``, then requests each page variant through the whole application
(Litestar's ASGI stack in process: routing, session lookup, the query, the template) one
request after another for ``--seconds`` each, as the member, and prints pages/s and the
mean time per page, then the time of the listing query alone on a plain connection (the
page's own cost without the framework, and the part that grows with the board).
``seed_releases`` is also what tests/torrents/test_query_plans.py builds its board with.

The board has no peers, and the tracker recounts every swarm from the peers table when
the application starts: every release then shows 0 seeders, the worst case for "has
seeders" (nothing matches), while the statistics from ANALYZE still describe the seeded
board, as they would on a real board just restarted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from litestar.testing import TestClient

from tinypier.accounts.roles import Role
from tinypier.accounts.secrets import digest
from tinypier.accounts.sessions import SESSION_COOKIE
from tinypier.accounts.viewer import Viewer
from tinypier.app import create_app
from tinypier.datadir import prepare_data_dir
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings, load_settings
from tinypier.torrents.listing import ReleaseFilters, release_query

DAY = 86_400
FORUMS = 12
PRIVATE_FORUMS = 2
MEMBERS = 500
SNATCHED = 300
SNATCHES_PER_RELEASE = 0.5
WORDS = (
    "blue",
    "night",
    "river",
    "north",
    "garden",
    "silent",
    "winter",
    "city",
    "ocean",
    "golden",
    "road",
    "fire",
    "glass",
    "paper",
    "echo",
    "stone",
    "morning",
    "shadow",
    "lights",
    "wild",
)
FORMATS = ("FLAC", "MP3 320", "1080p", "2160p", "720p", "EPUB", "ISO", "DVDRip")
STATUSES = ("checked",) * 8 + ("not_checked", "needs_editing", "duplicate", "closed")
PAGES = (
    "/tracker",
    "/tracker?sort=title&order=asc",
    "/tracker?sort=size",
    "/tracker?sort=seeders",
    "/tracker?sort=leechers",
    "/tracker?sort=completed&order=asc",
    "/tracker?forum=3",
    "/tracker?category=2&sort=seeders",
    "/tracker?q=golden+river",
    "/tracker?status=not_checked",
    "/tracker?freeleech=any",
    "/tracker?seeded=1",
    "/tracker?mine=1",
    "/tracker?snatched=1",
    "/tracker?days=7",
    "/tracker?page=200",
)


def _title(rng: random.Random, index: int) -> str:
    words = " ".join(rng.sample(WORDS, 3)).title()
    return f"{words} ({1960 + index % 65}) {rng.choice(FORMATS)}"


def _release_rows(count: int, now: int, seed: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(seed)
    for index in range(1, count + 1):
        seeders = 0 if rng.random() < 0.4 else int(rng.expovariate(1 / 8)) + 1
        yield (
            index,
            1 + index % FORUMS,
            1 + rng.randrange(MEMBERS),
            _title(rng, index),
            now - rng.randrange(365 * DAY),
            int(10 ** rng.uniform(6, 10.7)),
            seeders,
            int(rng.expovariate(1 / 3)),
            seeders + int(rng.expovariate(1 / 40)),
            rng.choice(STATUSES),
            rng.choices(("none", "gold", "silver"), (94, 3, 3))[0],
        )


def _snatch_rows(count: int, now: int, seed: int) -> Iterator[tuple[int, int, int]]:
    """Member 1 (the benchmark's viewer) snatched a few hundred; the rest are spread out."""
    rng = random.Random(seed)
    for torrent_id in rng.sample(range(1, count + 1), min(SNATCHED, count)):
        yield torrent_id, 1, now
    for _ in range(int(count * SNATCHES_PER_RELEASE)):
        yield 1 + rng.randrange(count), 2 + rng.randrange(MEMBERS - 1), now


def _structure(connection: sqlite3.Connection, now: int) -> None:
    connection.executemany(
        "INSERT INTO categories (id, name, position) VALUES (?, ?, ?)",
        [(1, "Music", 1), (2, "Video", 2), (3, "Staff", 3)],
    )
    connection.executemany(
        "INSERT INTO forums (id, category_id, name, description, position, allows_releases,"
        " view_role, topic_role, reply_role, download_role, topic_count, post_count)"
        " VALUES (?, ?, ?, '', ?, 1, ?, 'user', 'user', 'user', 0, 0)",
        [
            (
                forum,
                3 if forum > FORUMS - PRIVATE_FORUMS else 1 + forum % 2,
                f"Forum {forum}",
                forum,
                "moderator" if forum > FORUMS - PRIVATE_FORUMS else "guest",
            )
            for forum in range(1, FORUMS + 1)
        ],
    )
    connection.executemany(
        "INSERT INTO users (id, name, password_hash, role, disabled, passkey, feed_token,"
        " created_at, uploaded, downloaded, post_count, invite_quota)"
        " VALUES (?, ?, 'not-a-hash', 'user', 0, ?, ?, ?, 0, 0, 0, 0)",
        [
            (member, f"member{member}", f"{member:032x}", f"feed{member}", now)
            for member in range(1, MEMBERS + 1)
        ],
    )


def seed_releases(
    connection: sqlite3.Connection, count: int, seed: int = 1, analyse: bool = True
) -> None:
    """``count`` releases with members 1..500 and forums 1..12; member 1 snatched some.

    The connection's database must be migrated and empty.
    """
    now = int(time.time())
    rows = list(_release_rows(count, now, seed))
    connection.execute("BEGIN IMMEDIATE")
    _structure(connection, now)
    connection.executemany(
        "INSERT INTO topics (id, forum_id, author_id, title, created_at, last_post_at,"
        " post_count, pin, locked) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0)",
        ((row[0], row[1], row[2], row[3], row[4], row[4]) for row in rows),
    )
    connection.executemany(
        "INSERT INTO attachments (id, sha256, size, created_at) VALUES (?, ?, 1000, ?)",
        ((row[0], hashlib.sha256(str(row[0]).encode()).hexdigest(), now) for row in rows),
    )
    connection.executemany(
        "INSERT INTO torrents (id, topic_id, attachment_id, uploader_id, info_hash, name,"
        " total_size, file_count, files_json, piece_length, status, freeleech, created_at,"
        " seeders, leechers, completed, forum_id, title)"
        " VALUES (?1, ?1, ?1, ?3, ?12, ?4, ?6, 1, '[]', 262144, ?10, ?11, ?5, ?7, ?8, ?9, ?2, ?4)",
        (
            (*row, hashlib.sha1(str(row[0]).encode(), usedforsecurity=False).digest())
            for row in rows
        ),
    )
    connection.executemany(
        "INSERT OR IGNORE INTO snatches (torrent_id, user_id, completed_at) VALUES (?, ?, ?)",
        _snatch_rows(count, now, seed),
    )
    connection.execute("COMMIT")
    if analyse:
        connection.execute("ANALYZE")


def _repeat(action: Callable[[], object], seconds: float) -> tuple[float, float]:
    """Run ``action`` back to back for ``seconds``: (runs per second, ms per run)."""
    action()
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        action()
        done += 1
    return round(done / elapsed, 1), round(1000 * elapsed / done, 2)


def _board(directory: Path, releases: int) -> Settings:
    settings = load_settings(directory / "data", environ={})
    prepare_data_dir(settings)
    connection = connect_sync(settings.database_path)
    started = time.perf_counter()
    seed_releases(connection, releases)
    connection.execute(
        "INSERT INTO sessions (id, user_id, created_at, expires_at, data)"
        " VALUES (?, 1, 0, ?, '{}')",
        (digest("bench-session"), int(time.time()) + DAY),
    )
    connection.close()
    print(f"seeded {releases:,} releases in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return settings


def _fetch_all(connection: sqlite3.Connection, sql: str, params: list[object]) -> object:
    return connection.execute(sql, params).fetchall()


def run(releases: int, seconds: float) -> list[dict[str, object]]:
    """Per page: pages/s through the whole app, and the listing query alone."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    viewer = Viewer(1, "member1", Role.USER)
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as directory:
        settings = _board(Path(directory), releases)
        connection = connect_sync(settings.database_path)
        with TestClient(create_app(settings), base_url="http://bench.local") as client:
            client.cookies.set(SESSION_COOKIE, "bench-session")
            for path in PAGES:
                assert client.get(path).status_code == 200, path
                filters = ReleaseFilters.from_query(dict(parse_qsl(urlsplit(path).query)))
                sql, params = release_query(viewer, filters, int(time.time()))
                pages_per_s, ms = _repeat(partial(client.get, path), seconds)
                _, query_ms = _repeat(partial(_fetch_all, connection, sql, params), seconds)
                results.append(
                    {"page": path, "pages_per_s": pages_per_s, "ms": ms, "query_ms": query_ms}
                )
        connection.close()
    return results


def main() -> None:
    # Here, not at the top: the tests import this module as bench.tracker_page for its
    # seeding, where bench/ is no path entry; run as a script, it is.
    from common import machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    results = run(args.releases, args.seconds)
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print(f"/tracker at {args.releases:,} releases, one client in process; {machine()}\n")
    print("| page | pages/s | ms/page | ms/query |\n| --- | ---: | ---: | ---: |")
    for result in results:
        print(
            f"| `{result['page']}` | {result['pages_per_s']} | {result['ms']} |"
            f" {result['query_ms']} |"
        )


if __name__ == "__main__":
    main()
