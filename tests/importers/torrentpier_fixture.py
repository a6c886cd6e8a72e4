"""TorrentPier boards for the importer's tests: a dump and a board root with .torrent files.

The dumps are written as mysqldump writes them (extended INSERTs, backslash escapes,
``_binary`` literals in 2.4, ``0x`` hex in 3.0) after the REAL ``CREATE TABLE``
statements: 2.4's are ``install/sql/mysql.sql`` of TorrentPier v2.4.13 (copied into
``data/torrentpier-2.4-schema.sql``); 3.0 creates its tables by Phinx migrations
(``database/migrations/``), so its schema is 2.4's with those migrations' changes applied
(``bb_posts_text`` renamed ``bb_post_texts``, attachment tables dropped, ``bb_bt_torrents``
without ``post_id``/``attach_id`` and nullable hashes, ``bb_topics.attach_ext_id`` and
``tracker_status``, ``bb_users.totp_*``).

Rows cover every mapping: md5 and bcrypt members, Cyrillic and HTML-escaped names, a
quote and a backslash in text, a moved topic, a v1 release whose info hash ends with a
0x20 byte (stored trimmed, as 2.x did), a hybrid v1+v2 release, a release whose file is
missing, a poll, thanks, snatches, a message in two copies, groups (open, hidden, a
per-member ACL, a pending request) and an ACL forum, signatures, a rank, bonus points,
avatars (one to re-encode, one that is no image, one missing).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.samples import sample

DATA = Path(__file__).parent / "data"
PASSWORD = "old secret 1"
MD5MD5 = hashlib.md5(hashlib.md5(PASSWORD.encode()).hexdigest().encode()).hexdigest()
BCRYPT = "$2y$10$Q9ZbN1xXf3mbn0Vb0fJ6ZOWgq0fC3r7D0Xb9r8wK0iJ8mX1b4aJ2e"
HYBRID = "hybrid-libtorrent-multi.torrent"
POST_BODY = (
    "[b]bold[/b] [i]i[/i] [u]u[/u] [s]s[/s] [color=#ff0000]red[/color] [size=18]big[/size]"
    ' [font=Arial]font[/font] [align=center]mid[/align] [quote="Вася"]quoted[/quote]'
    ' [spoiler="Тайна"]hidden[/spoiler] [pre]pre[/pre] [code]x = 1[/code] [box]box[/box]'
    " [url=https://example.org/]link[/url] [img]https://example.org/a.png[/img] [hr]"
    ' [sup]up[/sup] [sub]down[/sub] [acronym="TorrentPier"]TP[/acronym] [list][*]one[/list]'
)
ESCAPED_BODY = "&lt;b&gt;not bold&lt;/b&gt; &quot;O'Brien&quot; said C:\\temp\\new; done"


@dataclass(frozen=True)
class Board:
    dump: Path
    root: Path
    version: str


def bencode(value: Any) -> bytes:
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(map(bencode, value)) + b"e"
    items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
    return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"


def space_ending_torrent() -> tuple[bytes, bytes]:
    """A private v1 .torrent whose info hash ends with 0x20 (the byte 2.x lost)."""
    for salt in range(100_000):
        info = {
            "name": f"space-{salt}.bin",
            "length": 1000,
            "piece length": 16384,
            "pieces": hashlib.sha1(b"x" * 1000).digest(),
            "private": 1,
        }
        digest = hashlib.sha1(bencode(info)).digest()
        if digest.endswith(b" "):
            return bencode({"announce": "https://tp.example/bt/announce.php", "info": info}), digest
    raise AssertionError("no salt gives a hash ending with a space")


def _literal(value: Any, hex_binary: bool) -> bytes:
    """A value as mysqldump writes it: binary raw inside ``_binary '...'`` (or as hex)."""
    if value is None:
        return b"NULL"
    if isinstance(value, int | float):
        return str(value).encode()
    if isinstance(value, bytes):
        if hex_binary:
            return b"0x" + value.hex().encode() if value else b"''"
        return b"_binary '" + _escaped(value) + b"'"
    return b"'" + _escaped(value.encode()) + b"'"


def _escaped(data: bytes) -> bytes:
    for raw, escaped in (
        (b"\\", b"\\\\"),
        (b"'", b"\\'"),
        (b"\n", b"\\n"),
        (b"\r", b"\\r"),
        (b"\0", b"\\0"),
        (b"\x1a", b"\\Z"),
        (b'"', b'\\"'),
    ):
        data = data.replace(raw, escaped)
    return data


def _insert(table: str, rows: list[tuple[Any, ...]], hex_binary: bool) -> bytes:
    values = b",".join(
        b"(" + b",".join(_literal(value, hex_binary) for value in row) + b")" for row in rows
    )
    return f"INSERT INTO `{table}` VALUES ".encode() + values + b";\n"


def schema(version: str) -> dict[str, str]:
    """Each table's real CREATE TABLE (see the module's docstring for 3.0)."""
    text = (DATA / "torrentpier-2.4-schema.sql").read_text()
    tables = {
        match.group(1): match.group(0)
        for match in re.finditer(r"CREATE TABLE IF NOT EXISTS `(\w+)`\n\(.*?\n\)[^;]*;", text, re.S)
    }
    if version == "2.0":
        for name in ("bb_thx", "bb_poll_votes", "bb_poll_users"):
            del tables[name]
        tables["bb_bt_torrents"] = re.sub(r"\n  `info_hash_v2`[^\n]*", "", tables["bb_bt_torrents"])
        polls = (DATA / "torrentpier-2.0-polls.sql").read_text()
        for match in re.finditer(r"CREATE TABLE `(\w+)` \(.*?\n\)[^;]*;", polls, re.S):
            tables[match.group(1)] = match.group(0)
    if version == "3.0":
        tables = {name: body.replace("MyISAM", "InnoDB") for name, body in tables.items()}
        tables["bb_post_texts"] = tables.pop("bb_posts_text").replace(
            "bb_posts_text", "bb_post_texts"
        )
        for name in ("bb_attachments", "bb_attachments_desc", "bb_attachments_config"):
            del tables[name]
        tables["bb_bt_torrents"] = re.sub(
            r"\n  `(post_id|attach_id)`[^\n]*|\n  UNIQUE KEY `(post_id|attach_id)`[^\n]*",
            "",
            tables["bb_bt_torrents"],
        ).replace(
            "VARBINARY(20)         NOT NULL DEFAULT ''", "VARBINARY(20)         NULL DEFAULT NULL"
        )
        tables["bb_topics"] = tables["bb_topics"].replace(
            "  PRIMARY KEY (`topic_id`)",
            "  `attach_ext_id` TINYINT(4) NOT NULL DEFAULT '0',\n"
            "  `tracker_status` TINYINT(1) NOT NULL DEFAULT '0',\n  PRIMARY KEY (`topic_id`)",
        )
        tables["bb_users"] = tables["bb_users"].replace(
            "  PRIMARY KEY (`user_id`)",
            "  `totp_secret` TEXT NULL,\n  `totp_enabled` TINYINT(1) NOT NULL DEFAULT '0',\n"
            "  `totp_recovery_codes` TEXT NULL,\n  PRIMARY KEY (`user_id`)",
        )
    return tables


def columns(create: str) -> list[str]:
    return re.findall(r"^  `(\w+)`", create, re.M)


def write_board(directory: Path, version: str) -> Board:
    """The dump (``board.sql``) and the board root (``root/``) of a ``version`` board."""
    root = directory / "root"
    tables = schema(version)
    rows = _rows(version, root)
    head = (
        f"-- TorrentPier {version} fixture, mysqldump style\n/*!40101 SET NAMES utf8mb4 */;\n"
        "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n"
    )
    out = [head.encode()]
    for name in sorted(tables):
        out.append(f"\n--\n-- Table structure for table `{name}`\n--\n\n".encode())
        out.append(f"DROP TABLE IF EXISTS `{name}`;\n{tables[name]}\n\n".encode())
        if name in rows:
            cols = columns(tables[name])
            full = [
                tuple(row.get(col, _default(tables[name], col)) for col in cols)
                for row in rows[name]
            ]
            out.append(_insert(name, full, hex_binary=version == "3.0"))
    dump = directory / "board.sql"
    dump.write_bytes(b"".join(out))
    return Board(dump, root, version)


def _default(create: str, column: str) -> Any:
    """What MySQL would store for a column a row leaves out: its DEFAULT, typed."""
    line = re.search(rf"^  `{column}`([^\n]*)", create, re.M)
    definition = line.group(1) if line else ""
    if "NOT NULL" not in definition:
        return None
    kind = definition.split()[0].lower()
    default = re.search(r"DEFAULT '([^']*)'", definition, re.I)
    if kind.startswith(("varbinary", "binary", "blob")):
        return default.group(1).encode() if default else b""
    if kind.startswith(("tinyint", "smallint", "mediumint", "int", "bigint")):
        return int(default.group(1)) if default else 0
    if kind.startswith(("float", "decimal", "double")):
        return float(default.group(1)) if default else 0.0
    if kind.startswith("timestamp"):
        return "2024-05-01 10:00:00"
    return default.group(1) if default else ""


def _rows(version: str, root: Path) -> dict[str, list[dict[str, Any]]]:
    space_file, space_hash = space_ending_torrent()
    hybrid = sample(HYBRID)
    from tinypier.torrents.metainfo import parse_torrent

    parsed = parse_torrent(hybrid)
    uploads = root / "data" / "uploads"
    if version == "3.0":

        def place(topic_id: int, data: bytes) -> None:
            path = (
                root
                / "storage"
                / "app"
                / "private"
                / "uploads"
                / str(topic_id // 10000)
                / str(topic_id % 100)
                / f"{topic_id}.torrent"
            )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

        place(1, space_file)
        place(2, hybrid)
        (root / "config").mkdir(parents=True)
        (root / "config" / "tracker.php").write_text(
            "<?php\nreturn [\n    'passkey_key' => 'pk',\n];\n"
        )
        (root / "config" / "avatars.php").write_text(AVATARS_3_0)
    else:
        uploads.mkdir(parents=True)
        (uploads / "7a1c_space.torrent").write_bytes(space_file)
        (uploads / "9f0e_hybrid.torrent").write_bytes(hybrid)
        (root / "library").mkdir(parents=True)
        (root / "library" / "config.php").write_text(
            "<?php\n$bb_cfg['passkey_key'] = 'uk';\n" + AVATARS_2_4
        )
    _place_avatars(root / (AVATARS_FOLDER_3_0 if version == "3.0" else AVATARS_FOLDER_2_4))
    t = 1_700_000_000
    users: list[dict[str, Any]] = [
        {"user_id": -1, "username": "Guest", "user_password": "", "user_active": 0},
        {"user_id": -746, "username": "bot", "user_password": "", "user_active": 0},
        {
            "user_id": 2,
            "username": "admin",
            "user_password": BCRYPT,
            "user_level": 1,
            "user_active": 1,
            "user_regdate": t,
            "user_email": "admin@tp.example",
            "user_sig": "[b]The admin[/b] &amp; co",
            "user_rank": 1,
            "user_points": 12.5,
            "user_lang": "ru",
            "user_posts": 4,
            "user_lastvisit": t + 5000,
            "user_website": "https://admin.example",
            "avatar_ext_id": 4,
        },
        {
            "user_id": 3,
            "username": "Вася",
            "user_password": MD5MD5.upper(),
            "user_level": 0,
            "user_active": 1,
            "user_regdate": t + 10,
            "user_email": "vasya@tp.example",
            "user_newpasswd": "plaintext-temp",
            "user_posts": 2,
            "user_sig": "[i]Вася[/i] &lt;3",
            "user_points": 0.75,
            "avatar_ext_id": 3,
        },
        {
            "user_id": 4,
            "username": "O&#039;Brien &amp; Sons",
            "user_password": MD5MD5,
            "user_level": 2,
            "user_active": 1,
            "user_regdate": t + 20,
            "user_points": 1000,
            "avatar_ext_id": 1,
        },
        {
            "user_id": 5,
            "username": "sleepy",
            "user_password": "",
            "user_level": 0,
            "user_active": 0,
            "user_regdate": t + 30,
        },
        {
            "user_id": 6,
            "username": "ВАСЯ",
            "user_password": MD5MD5,
            "user_active": 1,
            "user_regdate": t + 40,
        },
    ]
    if version == "3.0":
        users[2]["totp_enabled"] = 1
    bt_users: list[dict[str, Any]] = [
        {
            "user_id": 2,
            "auth_key": "AdminKey0123456789ab",
            "u_up_total": 1000,
            "u_down_total": 500,
            "u_up_release": 200,
            "u_up_bonus": 30,
        },
        {"user_id": 3, "auth_key": "vasyaKey10", "u_up_total": 7, "u_down_total": 11},
        {"user_id": 4, "auth_key": "", "u_up_total": 0},
    ]
    topics: list[dict[str, Any]] = [
        {
            "topic_id": 1,
            "forum_id": 1,
            "topic_title": "Space &amp; time",
            "topic_poster": 2,
            "topic_time": t + 100,
            "topic_type": 0,
            "topic_status": 0,
            "topic_dl_type": 1,
        },
        {
            "topic_id": 2,
            "forum_id": 3,
            "topic_title": "Гибрид",
            "topic_poster": 3,
            "topic_time": t + 200,
            "topic_type": 1,
            "topic_status": 0,
            "topic_dl_type": 1,
        },
        {
            "topic_id": 3,
            "forum_id": 2,
            "topic_title": "All the tags",
            "topic_poster": 2,
            "topic_time": t + 300,
            "topic_type": 2,
            "topic_status": 1,
            "topic_vote": 1,
        },
        {
            "topic_id": 4,
            "forum_id": 1,
            "topic_title": "All the tags",
            "topic_poster": 2,
            "topic_time": t + 300,
            "topic_status": 2,
            "topic_moved_id": 3,
        },
        {
            "topic_id": 5,
            "forum_id": 1,
            "topic_title": "Lost file",
            "topic_poster": 4,
            "topic_time": t + 400,
            "topic_dl_type": 1,
        },
        {
            "topic_id": 6,
            "forum_id": 2,
            "topic_title": "From a ghost",
            "topic_poster": 99,
            "topic_time": t + 500,
        },
    ]
    posts = [
        (1, 1, 1, 2, t + 100, "Release [b]one[/b]"),
        (2, 2, 3, 3, t + 200, "Hybrid release"),
        (3, 3, 2, 2, t + 300, POST_BODY),
        (4, 3, 2, 3, t + 310, ESCAPED_BODY),
        (5, 5, 1, 4, t + 400, "No file here"),
        (6, 6, 2, 99, t + 500, "I left"),
        (7, 1, 1, 4, t + 600, "Thanks!\nLine two"),
    ]
    torrent_rows: list[dict[str, Any]] = [
        {
            "topic_id": 1,
            "forum_id": 1,
            "poster_id": 2,
            "post_id": 1,
            "attach_id": 1,
            "info_hash": space_hash.rstrip(b" "),
            "size": 1000,
            "reg_time": t + 100,
            "complete_count": 3,
            "tor_status": 2,
            "checked_user_id": 4,
            "checked_time": t + 150,
            "tor_type": 1,
            "seeder_last_seen": t + 900,
        },
        {
            "topic_id": 2,
            "forum_id": 3,
            "poster_id": 3,
            "post_id": 2,
            "attach_id": 2,
            "info_hash": parsed.info_hash_v1,
            "info_hash_v2": parsed.info_hash_v2,
            "size": parsed.total_size,
            "reg_time": t + 200,
            "tor_status": 5,
            "tor_type": 2,
        },
        {
            "topic_id": 5,
            "forum_id": 1,
            "poster_id": 4,
            "post_id": 5,
            "attach_id": 3,
            "info_hash": hashlib.sha1(b"lost").digest(),
            "reg_time": t + 400,
        },
    ]
    if version == "3.0":
        for row in torrent_rows:
            del row["post_id"], row["attach_id"]
    rows: dict[str, list[dict[str, Any]]] = {
        "bb_users": users,
        "bb_bt_users": bt_users,
        "bb_ranks": [{"rank_id": 1, "rank_title": "Ветеран"}],
        "bb_banlist": [{"ban_id": 1, "ban_userid": 6, "ban_reason": "spam"}],
        "bb_categories": [
            {"cat_id": 1, "cat_title": "Фильмы &amp; сериалы", "cat_order": 20},
            {"cat_id": 2, "cat_title": "Общение", "cat_order": 10},
        ],
        "bb_forums": [
            {
                "forum_id": 1,
                "cat_id": 1,
                "forum_name": "Releases",
                "forum_order": 1,
                "allow_reg_tracker": 1,
                "auth_view": 0,
                "auth_read": 0,
                "auth_post": 1,
                "auth_reply": 1,
                "auth_download": 1,
                "forum_desc": "Fresh <b>releases</b>",
            },
            {
                "forum_id": 2,
                "cat_id": 2,
                "forum_name": "Chat",
                "forum_order": 2,
                "auth_view": 0,
                "auth_read": 1,
                "auth_post": 1,
                "auth_reply": 1,
            },
            {
                "forum_id": 3,
                "cat_id": 1,
                "forum_name": "HD",
                "forum_parent": 1,
                "forum_order": 3,
                "allow_reg_tracker": 1,
                "auth_post": 1,
                "auth_reply": 1,
                "auth_download": 1,
            },
            {
                "forum_id": 4,
                "cat_id": 2,
                "forum_name": "Staff",
                "forum_order": 4,
                "auth_view": 2,
                "auth_read": 2,
                "auth_post": 2,
                "auth_reply": 2,
            },
        ],
        "bb_topics": topics,
        "bb_posts": [
            {
                "post_id": p[0],
                "topic_id": p[1],
                "forum_id": p[2],
                "poster_id": p[3],
                "post_time": p[4],
            }
            for p in posts
        ],
        "bb_posts_text" if version != "3.0" else "bb_post_texts": [
            {"post_id": p[0], "post_text": p[5]} for p in posts
        ],
        "bb_bt_torrents": torrent_rows,
        "bb_bt_tor_dl_stat": [
            {"topic_id": 1, "user_id": 3, "t_up_total": 0, "t_down_total": 1000},
            {"topic_id": 1, "user_id": 2, "t_up_total": 3000, "t_down_total": 0},
            {"topic_id": 5, "user_id": 3, "t_up_total": 1, "t_down_total": 1},
        ],
        "bb_bt_dlstatus": [
            {
                "user_id": 3,
                "topic_id": 1,
                "user_status": 1,
                "last_modified_dlstatus": "2024-05-01 10:00:00",
            },
            {"user_id": 4, "topic_id": 1, "user_status": 0},
            {"user_id": 2, "topic_id": 1, "user_status": -1},
        ],
        "bb_thx": [
            {"topic_id": 1, "user_id": 3, "time": t + 700},
            {"topic_id": 2, "user_id": 2, "time": t + 800},
        ],
        "bb_poll_votes": [
            {"topic_id": 3, "vote_id": 0, "vote_text": "Best &amp; worst?", "vote_result": 0},
            {"topic_id": 3, "vote_id": 1, "vote_text": "Да", "vote_result": 5},
            {"topic_id": 3, "vote_id": 2, "vote_text": "Нет", "vote_result": 2},
        ],
        "bb_poll_users": [{"topic_id": 3, "user_id": 3, "vote_ip": "7f000001", "vote_dt": t}],
        "bb_privmsgs": [
            {
                "privmsgs_id": 1,
                "privmsgs_type": 0,
                "privmsgs_subject": "Привет",
                "privmsgs_from_userid": 2,
                "privmsgs_to_userid": 3,
                "privmsgs_date": t + 50,
            },
            {
                "privmsgs_id": 2,
                "privmsgs_type": 2,
                "privmsgs_subject": "Привет",
                "privmsgs_from_userid": 2,
                "privmsgs_to_userid": 3,
                "privmsgs_date": t + 50,
            },
            {
                "privmsgs_id": 3,
                "privmsgs_type": 5,
                "privmsgs_subject": "Re: Привет",
                "privmsgs_from_userid": 3,
                "privmsgs_to_userid": 2,
                "privmsgs_date": t + 60,
            },
        ],
        "bb_privmsgs_text": [
            {"privmsgs_text_id": 1, "privmsgs_text": "Hello &amp; welcome"},
            {"privmsgs_text_id": 2, "privmsgs_text": "Hello &amp; welcome"},
            {"privmsgs_text_id": 3, "privmsgs_text": "Спасибо"},
        ],
        "bb_groups": [
            {
                "group_id": 1,
                "group_name": "Uploaders",
                "group_description": "Who upload",
                "group_moderator": 2,
                "group_single_user": 0,
                "group_type": 0,
                "group_time": t + 1,
            },
            {"group_id": 2, "group_name": "", "group_single_user": 1},
            {"group_id": 3, "group_name": "", "group_single_user": 1},
            {
                "group_id": 4,
                "group_name": "Hidden &amp; closed",
                "group_moderator": 4,
                "group_single_user": 0,
                "group_type": 2,
            },
        ],
        "bb_user_group": [
            {"group_id": 1, "user_id": 3, "user_pending": 0, "user_time": t + 2},
            {"group_id": 1, "user_id": 6, "user_pending": 1, "user_time": t + 3},
            {"group_id": 2, "user_id": 4, "user_pending": 0},
            {"group_id": 3, "user_id": 3, "user_pending": 0},
            {"group_id": 4, "user_id": 4, "user_pending": 0},
        ],
        "bb_auth_access": [
            {"group_id": 1, "forum_id": 4, "forum_perm": 0b110110},
            {"group_id": 2, "forum_id": 4, "forum_perm": 0b10 | 1 << 3},
            {"group_id": 1, "forum_id": 1, "forum_perm": 1 << 12 | 1 << 13},
        ],
        "bb_config": [
            {"config_name": "sitename", "config_value": "Old tracker"},
            {
                "config_name": "bt_announce_url",
                "config_value": "https://tp.example/bt/announce.php",
            },
        ],
    }
    if version == "2.0":
        _as_2_0(rows)
    if version != "3.0":
        rows["bb_attachments_config"] = [
            {"config_name": "upload_dir", "config_value": "data/uploads"}
        ]
        rows["bb_attachments_desc"] = [
            {"attach_id": 1, "physical_filename": "7a1c_space.torrent", "extension": "torrent"},
            {"attach_id": 2, "physical_filename": "9f0e_hybrid.torrent", "extension": "torrent"},
            {"attach_id": 3, "physical_filename": "0000_missing.torrent", "extension": "torrent"},
        ]
    return rows


AVATAR_SIZE = (300, 200)
AVATARS_FOLDER_2_4 = "data/avatars"
AVATARS_FOLDER_3_0 = "storage/app/public/avatars"
AVATARS_2_4 = """
// Avatars (v2.4.13 library/config.php, abridged)
$bb_cfg['avatars'] = [
    'allowed_ext' => ['gif', 'jpg', 'png', 'bmp', 'webp', 'avif'], // Allowed file extensions
    'display_path' => '/data/avatars', // Location for avatar files for displaying
    'upload_path' => BB_PATH . '/data/avatars/', // Storage path for avatar files
    'up_allowed' => true, // Allow changing avatars
];

// Group avatars
$bb_cfg['group_avatars'] = [
    'upload_path' => BB_PATH . '/data/group_avatars/', // Storage path for avatar files
];
"""
AVATARS_3_0 = """<?php
// v3.0.5 config/avatars.php, abridged
return [
    'user' => [
        'allowed_ext' => ['gif', 'jpg', 'png', 'bmp', 'webp', 'avif'],
        'display_path' => '/storage/avatars',
        'upload_path' => AVATARS_DIR . '/',
    ],
    'group' => [
        'upload_path' => BB_PATH . '/storage/group_avatars/',
    ],
];
"""


def _place_avatars(folder: Path) -> None:
    """Avatars where TorrentPier keeps them (``{id // 10000}/{id % 100}/{id}.{ext}`` under
    the avatar folder): the admin's a PNG larger than TinyPier's avatar size and carrying
    a text chunk, Вася's a "JPEG" that is no image; O'Brien's GIF is missing."""
    from PIL import Image, PngImagePlugin

    folder = folder / "0"
    (folder / "2").mkdir(parents=True)
    (folder / "3").mkdir(parents=True)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "hidden words")
    Image.new("RGB", AVATAR_SIZE, (200, 30, 30)).save(folder / "2" / "2.png", pnginfo=info)
    (folder / "3" / "3.jpg").write_bytes(b"<?php echo 'not an image'; ?>")


def _as_2_0(rows: dict[str, list[dict[str, Any]]]) -> None:
    """2.0 had no thanks and no v2 hashes, and kept polls in bb_vote_desc/_results."""
    del rows["bb_thx"], rows["bb_poll_users"]
    votes = rows.pop("bb_poll_votes")
    question = next(vote for vote in votes if vote["vote_id"] == 0)
    rows["bb_vote_desc"] = [
        {"vote_id": 1, "topic_id": question["topic_id"], "vote_text": question["vote_text"]}
    ]
    rows["bb_vote_results"] = [
        {
            "vote_id": 1,
            "vote_option_id": vote["vote_id"],
            "vote_option_text": vote["vote_text"],
            "vote_result": vote["vote_result"],
        }
        for vote in votes
        if vote["vote_id"] != 0
    ]
    for release in rows["bb_bt_torrents"]:
        release.pop("info_hash_v2", None)
