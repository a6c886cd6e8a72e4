"""Import benchmark: a generated TorrentPier 2.4 board through ``tinypier import-torrentpier``.

    .venv/bin/python bench/import_torrentpier.py              # 50k members, 100k topics, 1M posts
    .venv/bin/python bench/import_torrentpier.py --scale 0.1  # a tenth of each
    .venv/bin/python bench/import_torrentpier.py --gzip       # the dump as .sql.gz

It writes a mysqldump-style dump after TorrentPier v2.4.13's real CREATE TABLE statements
(``tests/importers/data/torrentpier-2.4-schema.sql``): members with md5(md5) hashes and
passkeys, one category per 20 forums, topics of ten posts on average with BBCode bodies
(Cyrillic and Latin words, quotes, spoilers), one topic in ten a release with its .torrent
file in the upload folder, snatches, transfer figures, thanks and private messages (each
in its two copies). Then it imports the dump into an empty data directory with the
``tinypier`` of this virtualenv and prints the wall time of writing and of importing, the
import's CPU time (user + system: what a busy machine does not inflate) and peak memory,
its report, and the machine. The temporary folder is removed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from common import machine

HERE = Path(__file__).parent
SCHEMA = HERE.parent / "tests" / "importers" / "data" / "torrentpier-2.4-schema.sql"
MEMBERS, TOPICS, POSTS = 50_000, 100_000, 1_000_000
ROWS_PER_INSERT = 500
WORDS = [
    *("релиз", "качество", "звук", "видео", "перевод", "фильм", "сезон", "серия", "раздача"),
    *("release", "quality", "sound", "video", "season", "episode", "seed", "archive", "remux"),
]
T0 = 1_500_000_000


def _literal(value: Any) -> bytes:
    if value is None:
        return b"NULL"
    if isinstance(value, int | float):
        return str(value).encode()
    if isinstance(value, bytes):
        return b"0x" + value.hex().encode() if value else b"''"
    text = str(value).encode()
    escaped = text.replace(b"\\", b"\\\\").replace(b"'", b"\\'").replace(b"\n", b"\\n")
    return b"'" + escaped + b"'"


class DumpWriter:
    """Extended INSERTs of ``ROWS_PER_INSERT`` rows, columns in the CREATE TABLE's order
    and the others at their defaults (as MySQL would have them)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        text = SCHEMA.read_text()
        self.tables = {
            match.group(1): match.group(0)
            for match in re.finditer(
                r"CREATE TABLE IF NOT EXISTS `(\w+)`\n\(.*?\n\)[^;]*;", text, re.S
            )
        }

    def table(self, name: str, rows: Iterator[dict[str, Any]]) -> None:
        create = self.tables[name]
        self.out.write(f"DROP TABLE IF EXISTS `{name}`;\n{create}\n".encode())
        columns = re.findall(r"^  `(\w+)`([^\n]*)", create, re.M)
        defaults = [_default(definition) for _name, definition in columns]
        batch: list[bytes] = []
        for row in rows:
            values = [
                row.get(column, default)
                for (column, _), default in zip(columns, defaults, strict=True)
            ]
            batch.append(b"(" + b",".join(map(_literal, values)) + b")")
            if len(batch) == ROWS_PER_INSERT:
                self._flush(name, batch)
        self._flush(name, batch)

    def _flush(self, name: str, batch: list[bytes]) -> None:
        if batch:
            self.out.write(f"INSERT INTO `{name}` VALUES ".encode() + b",".join(batch) + b";\n")
            batch.clear()


def _default(definition: str) -> Any:
    if "NOT NULL" not in definition:
        return None
    kind = definition.split()[0].lower()
    found = re.search(r"DEFAULT '([^']*)'", definition)
    if kind.startswith(("varbinary", "binary", "blob")):
        return b""
    if kind.startswith(("tinyint", "smallint", "mediumint", "int", "bigint")):
        return int(found.group(1)) if found else 0
    if kind.startswith(("float", "decimal")):
        return float(found.group(1)) if found else 0.0
    if kind.startswith("timestamp"):
        return "2020-01-01 00:00:00"
    return found.group(1) if found else ""


def bencode(value: Any) -> bytes:
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    items = sorted((key.encode(), item) for key, item in value.items())
    return b"d" + b"".join(bencode(key) + bencode(item) for key, item in items) + b"e"


def write_board(folder: Path, members: int, topics: int, posts: int, gzipped: bool) -> Path:
    rng = random.Random(15)
    uploads = folder / "root" / "data" / "uploads"
    uploads.mkdir(parents=True)
    dump = folder / ("board.sql.gz" if gzipped else "board.sql")
    opener = gzip.open if gzipped else open
    md5 = hashlib.md5(hashlib.md5(b"password").hexdigest().encode()).hexdigest()
    forums = max(2, topics // 2000)
    releases = range(1, topics + 1, 10)
    hashes = {topic: _torrent(uploads, topic) for topic in releases}
    with opener(dump, "wb") as out:
        writer = DumpWriter(out)  # type: ignore[arg-type]
        writer.table(
            "bb_attachments_config",
            iter([{"config_name": "upload_dir", "config_value": "data/uploads"}]),
        )
        writer.table(
            "bb_attachments_desc",
            ({"attach_id": t, "physical_filename": f"{t}.torrent"} for t in releases),
        )
        writer.table(
            "bb_users",
            (
                {
                    "user_id": user,
                    "username": f"member{user}",
                    "user_password": md5,
                    "user_active": 1,
                    "user_regdate": T0 + user,
                    "user_email": f"m{user}@example.org",
                    "user_level": 1 if user == 2 else 0,
                }
                for user in range(2, members + 2)
            ),
        )
        writer.table(
            "bb_bt_users",
            (
                {
                    "user_id": user,
                    "auth_key": hashlib.sha1(b"%d" % user).hexdigest()[:20],
                    "u_up_total": user * 1000,
                    "u_down_total": user * 500,
                }
                for user in range(2, members + 2)
            ),
        )
        writer.table(
            "bb_categories",
            (
                {"cat_id": c, "cat_title": f"Категория {c}", "cat_order": c}
                for c in range(1, forums // 20 + 2)
            ),
        )
        writer.table(
            "bb_forums",
            (
                {
                    "forum_id": f,
                    "cat_id": f // 20 + 1,
                    "forum_name": f"Форум {f}",
                    "forum_order": f,
                    "allow_reg_tracker": 1,
                    "auth_post": 1,
                    "auth_reply": 1,
                    "auth_download": 1,
                }
                for f in range(1, forums + 1)
            ),
        )
        writer.table(
            "bb_topics",
            (
                {
                    "topic_id": t,
                    "forum_id": t % forums + 1,
                    "topic_title": _words(rng, 6),
                    "topic_poster": rng.randint(2, members + 1),
                    "topic_time": T0 + t * 60,
                }
                for t in range(1, topics + 1)
            ),
        )
        plan = _posts(rng, topics, posts, members)
        writer.table(
            "bb_posts",
            (
                {
                    "post_id": p,
                    "topic_id": t,
                    "forum_id": t % forums + 1,
                    "poster_id": a,
                    "post_time": T0 + p * 6,
                }
                for p, t, a in plan
            ),
        )
        writer.table(
            "bb_posts_text",
            (
                {"post_id": p, "post_text": _body(rng)}
                for p, _t, _a in _posts(random.Random(15), topics, posts, members)
            ),
        )
        writer.table(
            "bb_bt_torrents",
            (
                {
                    "topic_id": t,
                    "forum_id": t % forums + 1,
                    "poster_id": 2,
                    "post_id": t,
                    "attach_id": t,
                    "info_hash": hashes[t].rstrip(b" "),
                    "reg_time": T0 + t * 60,
                    "tor_status": 2,
                }
                for t in releases
            ),
        )
        writer.table(
            "bb_bt_dlstatus",
            (
                {"user_id": u, "topic_id": t, "user_status": 1}
                for t in releases
                for u in range(3, 3 + t % 7)
            ),
        )
        writer.table(
            "bb_bt_tor_dl_stat",
            (
                {"topic_id": t, "user_id": u, "t_up_total": u, "t_down_total": t}
                for t in releases
                for u in range(3, 3 + t % 7)
            ),
        )
        writer.table("bb_thx", ({"topic_id": t, "user_id": 3, "time": T0 + t} for t in releases))
        writer.table(
            "bb_privmsgs",
            (
                {
                    "privmsgs_id": m,
                    "privmsgs_type": m % 2 * 2,
                    "privmsgs_subject": "Привет",
                    "privmsgs_from_userid": 2,
                    "privmsgs_to_userid": (m // 2) % members + 2,
                    "privmsgs_date": T0 + m // 2,
                }
                for m in range(1, members // 5 + 1)
            ),
        )
        writer.table(
            "bb_privmsgs_text",
            (
                {"privmsgs_text_id": m, "privmsgs_text": _body(rng)}
                for m in range(1, members // 5 + 1)
            ),
        )
    return dump


def _posts(
    rng: random.Random, topics: int, posts: int, members: int
) -> Iterator[tuple[int, int, int]]:
    """(post id, topic id, author): every topic's first post, then replies at random."""
    for topic in range(1, topics + 1):
        yield topic, topic, rng.randint(2, members + 1)
    for post in range(topics + 1, posts + 1):
        yield post, rng.randint(1, topics), rng.randint(2, members + 1)


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _body(rng: random.Random) -> str:
    body = _words(rng, rng.randint(10, 40))
    if rng.random() < 0.3:
        body = f'[quote="member{rng.randint(2, 99)}"]{_words(rng, 8)}[/quote]\n{body}'
    if rng.random() < 0.2:
        body += f'\n[spoiler="{_words(rng, 2)}"][b]{_words(rng, 5)}[/b][/spoiler]'
    return body.replace("seed", "&quot;seed&quot;")


def _torrent(uploads: Path, topic: int) -> bytes:
    info = {
        "name": f"release-{topic}.bin",
        "length": 1 << 20,
        "piece length": 1 << 18,
        "pieces": hashlib.sha1(b"%d" % topic).digest() * 4,
        "private": 1,
    }
    (uploads / f"{topic}.torrent").write_bytes(bencode({"announce": "http://tp/bt/", "info": info}))
    return hashlib.sha1(bencode(info)).digest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of 50k/100k/1M")
    parser.add_argument("--gzip", action="store_true")
    arguments = parser.parse_args()
    members, topics, posts = (max(10, int(n * arguments.scale)) for n in (MEMBERS, TOPICS, POSTS))
    with tempfile.TemporaryDirectory(prefix="tp-import-") as temporary:
        folder = Path(temporary)
        started = time.monotonic()
        dump = write_board(folder, members, topics, posts, arguments.gzip)
        written = time.monotonic() - started
        command = [
            str(Path(sys.executable).parent / "tinypier"),
            "--data-dir",
            str(folder / "data"),
            "import-torrentpier",
            str(dump),
            "--files",
            str(folder / "root"),
            "--json",
        ]
        started = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        imported = time.monotonic() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        size = dump.stat().st_size / (1 << 20)
    print(f"board: {members:,} members, {topics:,} topics, {posts:,} posts; dump {size:,.0f} MiB")
    print(
        f"dump written in {written:,.0f} s; imported in {imported:,.0f} s"
        f" ({cpu:,.0f} s of CPU), peak RSS {peak:,.0f} MiB"
    )
    print(json.dumps(json.loads(result.stdout), indent=1, ensure_ascii=False))
    print(machine())


if __name__ == "__main__":
    main()
