"""Each kind of TorrentPier row and how it becomes TinyPier's: members to polls.

Ids are kept (member, forum, category, topic and post ids are TorrentPier's), so old
links and announce URLs resolve to the same things. Each ``*_batch`` function maps one
batch of staged rows; ``tinypier.importers.torrentpier.importer`` runs them in order.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from pathlib import Path, PurePosixPath
from typing import Any

from tinypier.accounts.names import name_key, normalized_name
from tinypier.accounts.queries import new_feed_token
from tinypier.accounts.secrets import new_passkey
from tinypier.forum.bbcode import render_signature
from tinypier.importers.torrentpier import mapping
from tinypier.importers.torrentpier.batches import Batch, Context
from tinypier.permissions.grants import Right
from tinypier.profiles.images import ImageRefused, normalized_png
from tinypier.torrents.metainfo import InvalidTorrent, ParsedTorrent, parse_torrent
from tinypier.torrents.storage import store_bytes

LANGUAGES = frozenset({"en", "ru"})
GHOST_NAME = "Guest"

# Skip reasons: stable codes (the JSON report's), described in ``report.REASONS``.
NOT_A_MEMBER = "not_a_member"
NAME_TAKEN = "renamed"
NO_PASSWORD = "no_password"  # noqa: S105 (a reason code)
NEW_PASSKEY = "new_passkey"
BANNED = "banned"
MOVED_SHADOW = "moved_shadow"
NO_FORUM = "no_forum"
NO_TOPIC = "no_topic"
NO_TEXT = "no_text"
FILE_MISSING = "file_missing"
FILE_UNREADABLE = "file_unreadable"
FILE_MISMATCH = "file_mismatch"
DUPLICATE_HASH = "duplicate_hash"
NO_RELEASE = "no_release"
NO_MEMBER = "no_member"
DUPLICATE_MESSAGE = "duplicate_message"
NO_GROUP = "no_group"
AVATAR_MISSING = "avatar_missing"
AVATAR_REFUSED = "avatar_refused"


def _get(row: sqlite3.Row, column: str, default: Any = None) -> Any:
    return row[column] if column in row.keys() else default  # noqa: SIM118 (a Row)


# -- members ------------------------------------------------------------------------------


def member_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    batch = Batch()
    extras = _tracker_figures(context, [row["user_id"] for row in rows])
    banned = _banned(context, [row["user_id"] for row in rows])
    users, profiles, kept, seen = [], [], [], []
    for row in rows:
        user_id = mapping.as_int(row["user_id"])
        if user_id <= 0:
            batch.skip(user_id, NOT_A_MEMBER)
            continue
        if user_id in banned:
            batch.skip(user_id, BANNED)
        users.append(_member(context, batch, row, extras.get(user_id), user_id in banned))
        profile = _profile(context, row)
        if profile is not None:
            profiles.append(profile)
        last_visit = mapping.timestamp(_get(row, "user_lastvisit"))
        if last_visit:
            seen.append((user_id, last_visit))
        aside = _kept_aside(row)
        if aside is not None:
            kept.append(aside)
    batch.write(
        "INSERT INTO users (id, name, name_key, password_hash, role, disabled, passkey,"
        " feed_token, created_at, uploaded, downloaded, post_count, invite_quota, language,"
        " email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        users,
    )
    batch.write(
        "INSERT INTO profiles (user_id, signature, signature_html, rank_id) VALUES (?, ?, ?, ?)",
        profiles,
    )
    batch.write("INSERT INTO presence (user_id, seen_at) VALUES (?, ?)", seen)
    batch.write(
        "INSERT INTO torrentpier_members (user_id, website, location, two_factor)"
        " VALUES (?, ?, ?, ?)",
        kept,
    )
    batch.imported = len(users)
    return batch


def _tracker_figures(context: Context, user_ids: list[Any]) -> dict[int, sqlite3.Row]:
    if not context.has("bb_bt_users") or not user_ids:
        return {}
    marks = ", ".join("?" for _ in user_ids)
    rows = context.stage.execute(
        f"SELECT * FROM t_bb_bt_users WHERE user_id IN ({marks})",  # noqa: S608
        user_ids,
    )
    return {mapping.as_int(row["user_id"]): row for row in rows}


def _banned(context: Context, user_ids: list[Any]) -> set[int]:
    """Members bb_banlist names: they are imported disabled."""
    if not context.has("bb_banlist") or not user_ids:
        return set()
    marks = ", ".join("?" for _ in user_ids)
    rows = context.stage.execute(
        f"SELECT ban_userid FROM t_bb_banlist WHERE ban_userid IN ({marks})",  # noqa: S608
        user_ids,
    )
    return {mapping.as_int(row[0]) for row in rows}


def _member(
    context: Context,
    batch: Batch,
    row: sqlite3.Row,
    tracker: sqlite3.Row | None,
    banned: bool,
) -> tuple[Any, ...]:
    user_id = mapping.as_int(row["user_id"])
    name = _free_name(context, batch, user_id, mapping.text(row["username"]))
    hashed = mapping.password_hash(row["user_password"])
    if hashed is None:
        batch.skip(user_id, NO_PASSWORD)
    passkey = _passkey(context, batch, user_id, tracker)
    figures = {
        key: mapping.as_int(_get(tracker, key, 0)) if tracker else 0
        for key in ("u_up_total", "u_up_release", "u_up_bonus", "u_down_total")
    }
    language = _chosen_language(context, row)
    return (
        user_id,
        name,
        name_key(name),
        hashed or mapping.UNUSABLE_PASSWORD,
        mapping.role(row["user_level"]),
        banned or not mapping.as_int(_get(row, "user_active", 1)),
        passkey,
        new_feed_token(),
        mapping.as_int(row["user_regdate"]),
        figures["u_up_total"] + figures["u_up_release"] + figures["u_up_bonus"],
        figures["u_down_total"],
        mapping.as_int(_get(row, "user_posts", 0)),
        context.settings.invite_quota,
        language,
        str(_get(row, "user_email", "") or "").strip() or None,
    )


def _chosen_language(context: Context, row: sqlite3.Row) -> str | None:
    """The member's own language; TorrentPier stored its board default for those who
    never chose, and they keep getting the language TinyPier picks for them."""
    language = str(_get(row, "user_lang", "") or "")
    board_default = context.config.get("default_lang", "en")
    return language if language in LANGUAGES and language != board_default else None


def _free_name(context: Context, batch: Batch, user_id: int, name: str) -> str:
    """The member's name, or with ``_<id>`` appended when another member has its key
    (TorrentPier compared names by MySQL's collation, TinyPier by Unicode case folding)."""
    name = normalized_name(name) or f"member_{user_id}"
    taken = context.board.execute(
        "SELECT 1 FROM users WHERE name_key = ?", (name_key(name),)
    ).fetchone()
    if taken is None and name_key(name) not in context.taken_names:
        context.taken_names.add(name_key(name))
        return name
    batch.skip(user_id, NAME_TAKEN)
    return f"{name}_{user_id}"


def _passkey(context: Context, batch: Batch, user_id: int, tracker: sqlite3.Row | None) -> str:
    """TorrentPier's auth_key unchanged (the clients' announce URLs hold it)."""
    key = str(_get(tracker, "auth_key", "") or "").strip() if tracker else ""
    if key and context.board.execute("SELECT 1 FROM users WHERE passkey = ?", (key,)).fetchone():
        key = ""
    if not key:
        if tracker is not None:
            batch.skip(user_id, NEW_PASSKEY)
        return new_passkey()
    return key


def _profile(context: Context, row: sqlite3.Row) -> tuple[Any, ...] | None:
    """The member's signature (rendered as the profiles feature renders one) and assigned
    rank (TorrentPier's ranks were all assigned by an admin), or None without either."""
    signature = mapping.text(_get(row, "user_sig", "")).strip()
    rank_id = mapping.as_int(_get(row, "user_rank", 0)) or None
    if rank_id is not None and rank_id not in context.ranks:
        rank_id = None
    if not signature and rank_id is None:
        return None
    html = render_signature(signature) if signature else ""
    return (mapping.as_int(row["user_id"]), signature, html, rank_id)


def _kept_aside(row: sqlite3.Row) -> tuple[Any, ...] | None:
    """What TinyPier still has no place for (website, location, two-factor), kept in
    ``torrentpier_members`` for members who had any of it."""
    website = mapping.text(_get(row, "user_website", ""))
    location = mapping.text(_get(row, "user_from", ""))
    two_factor = bool(mapping.as_int(_get(row, "totp_enabled", 0)))
    if not (website or location or two_factor):
        return None
    return (mapping.as_int(row["user_id"]), website, location, two_factor)


def rank_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    """bb_ranks as ranks, keeping their ids so members' ``user_rank`` points at them.
    2.x ranks are all assigned by an admin; a board still holding phpBB's ``rank_min`` and
    ``rank_special`` columns keeps its ranks earned by posts as such."""
    batch = Batch()
    now = int(time.time())
    ranks = []
    for row in rows:
        rank_id = mapping.as_int(row["rank_id"])
        earned = _get(row, "rank_special") is not None and not mapping.as_int(row["rank_special"])
        min_posts = mapping.as_int(_get(row, "rank_min", 0)) if earned else None
        title = mapping.text(row["rank_title"]).strip() or f"#{rank_id}"
        ranks.append((rank_id, title, min_posts, now))
    batch.write(
        "INSERT INTO ranks (id, title, min_posts, image_id, created_at) VALUES (?, ?, ?, NULL, ?)",
        ranks,
    )
    batch.imported = len(ranks)
    return batch


_AUTHORED = (
    ("bb_users", "user_id"),
    ("bb_topics", "topic_poster"),
    ("bb_posts", "poster_id"),
    ("bb_bt_torrents", "poster_id"),
)


def missing_authors(context: Context) -> int:
    """How many authors of topics, posts and releases are no imported member."""
    count = 0
    for table, column in _AUTHORED[1:]:
        if context.has(table):
            for (user_id,) in context.stage.execute(
                f'SELECT DISTINCT "{column}" FROM "t_{table}"'  # noqa: S608
            ):
                count += user_id not in context.members
    return count


def add_ghost(context: Context) -> int:
    """The stand-in author of posts by guests and deleted members: disabled, with no
    usable password, and an id after every member's and author's, so no old link to a
    deleted member's profile leads to it by chance."""
    existing = context.board.execute(
        "SELECT value FROM torrentpier_config WHERE name = 'ghost_id'"
    ).fetchone()
    if existing is not None:
        return int(existing[0])
    top = max(
        mapping.as_int(
            context.stage.execute(
                f'SELECT MAX("{column}") FROM "t_{table}"'  # noqa: S608
            ).fetchone()[0]
        )
        for table, column in _AUTHORED
        if context.has(table)
    )
    ghost_id = max(top, 0) + 1
    name = GHOST_NAME
    if context.board.execute(
        "SELECT 1 FROM users WHERE name_key = ?", (name_key(name),)
    ).fetchone():
        name = f"{GHOST_NAME}_{ghost_id}"
    board = context.board
    board.execute("BEGIN IMMEDIATE")
    board.execute(
        "INSERT INTO users (id, name, name_key, password_hash, role, disabled, passkey,"
        " feed_token, created_at, uploaded, downloaded, post_count, invite_quota)"
        " VALUES (?, ?, ?, ?, 'user', 1, ?, ?, 0, 0, 0, 0, 0)",
        (
            ghost_id,
            name,
            name_key(name),
            mapping.UNUSABLE_PASSWORD,
            new_passkey(),
            new_feed_token(),
        ),
    )
    board.execute(
        "INSERT INTO torrentpier_config (name, value) VALUES ('ghost_id', ?)", (str(ghost_id),)
    )
    board.execute("COMMIT")
    return ghost_id


# -- groups and rights --------------------------------------------------------------------

# bb_groups.group_type -> join mode. An open TorrentPier group took requests its
# moderator approved (the member stayed pending meanwhile): TinyPier's "request". A closed
# one took none, a hidden one was also unlisted: both "closed".
_JOIN_MODES = {0: "request", 1: "closed", 2: "closed"}
# bb_auth_access.forum_perm: bit n (value 1 << n) is TorrentPier's AUTH_* constant n.
_FORUM_PERM_BITS = {
    1: Right.VIEW,
    2: Right.READ,
    3: Right.MODERATE,
    4: Right.POST,
    5: Right.REPLY,
    12: Right.UPLOAD,
    13: Right.DOWNLOAD,
}
PERSONAL_GROUP_PREFIX = "ACL "
"""A single-user group (TorrentPier's per-member ACL) becomes a closed group of its one
member, named ``ACL <member>``: TinyPier grants forum rights to groups only."""


def group_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    """Groups with their join modes and moderators (as leaders); a single-user group
    whose ACL grants anything becomes its member's personal group, one without is
    dropped (TorrentPier made one for every member)."""
    batch = Batch()
    owners = _personal_acl_owners(context, [row["group_id"] for row in rows])
    names: set[str] = set()
    groups, leaders = [], []
    for row in rows:
        group_id = mapping.as_int(row["group_id"])
        created = mapping.as_int(_get(row, "group_time", 0)) or int(time.time())
        if mapping.as_int(_get(row, "group_single_user", 0)):
            owner = owners.get(group_id)
            if owner is None:
                continue
            name = _free_group_name(context, names, f"{PERSONAL_GROUP_PREFIX}{owner[1]}", group_id)
            groups.append((group_id, name, "", "closed", created))
            leaders.append((owner[0], group_id, "member", created))
            continue
        name = mapping.text(row["group_name"]).strip() or f"#{group_id}"
        join_mode = _JOIN_MODES.get(mapping.as_int(_get(row, "group_type", 1)), "closed")
        description = mapping.text(_get(row, "group_description", ""))
        name = _free_group_name(context, names, name, group_id)
        groups.append((group_id, name, description, join_mode, created))
        moderator = mapping.as_int(_get(row, "group_moderator", 0))
        if moderator in context.members:
            leaders.append((moderator, group_id, "leader", created))
    batch.write(
        "INSERT INTO groups (id, name, description, join_mode, created_at) VALUES (?, ?, ?, ?, ?)",
        groups,
    )
    batch.write(
        "INSERT INTO group_members (user_id, group_id, status, created_at) VALUES (?, ?, ?, ?)",
        leaders,
    )
    batch.imported = len(groups)
    return batch


def _personal_acl_owners(context: Context, group_ids: list[Any]) -> dict[int, tuple[int, str]]:
    """Single-user groups among ``group_ids`` that grant something in bb_auth_access:
    group id -> (member id, member name)."""
    if not (context.has("bb_auth_access") and context.has("bb_user_group")) or not group_ids:
        return {}
    found = context.stage.execute(
        "SELECT DISTINCT ug.group_id, ug.user_id FROM t_bb_user_group ug"
        " JOIN t_bb_auth_access a ON a.group_id = ug.group_id AND a.forum_perm != 0"
        " WHERE ug.group_id IN (SELECT value FROM json_each(?))",
        (json.dumps(group_ids),),
    ).fetchall()
    owners = {}
    for group_id, user_id in found:
        if user_id in context.members:
            name = context.board.execute("SELECT name FROM users WHERE id = ?", (user_id,))
            owners[mapping.as_int(group_id)] = (mapping.as_int(user_id), name.fetchone()[0])
    return owners


def _free_group_name(context: Context, taken: set[str], name: str, group_id: int) -> str:
    """Group names are unique regardless of case; a second one gets its old id appended."""
    name = name[:100]
    key = name.casefold()
    exists = context.board.execute("SELECT 1 FROM groups WHERE name = ?", (name,)).fetchone()
    if exists is not None or key in taken:
        name = f"{name} ({group_id})"
    taken.add(name.casefold())
    return name


def group_member_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    """Memberships of the imported groups: pending requests stay pending, the group's
    moderator (already a leader) stays one."""
    batch = Batch()
    groups = {row[0] for row in context.board.execute("SELECT id FROM groups")}
    # leaders and personal groups' members were written with their groups: kept as they are
    written = {
        (row[0], row[1])
        for row in context.board.execute(
            "SELECT user_id, group_id FROM group_members"
            " WHERE group_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted({mapping.as_int(row["group_id"]) for row in rows})),),
        )
    }
    members = []
    for row in rows:
        group_id, user_id = mapping.as_int(row["group_id"]), mapping.as_int(row["user_id"])
        if group_id not in groups or (user_id, group_id) in written:
            continue
        if user_id not in context.members:
            batch.skip(f"{group_id}/{user_id}", NO_MEMBER)
            continue
        pending = bool(mapping.as_int(_get(row, "user_pending", 0)))
        at = mapping.as_int(_get(row, "user_time", 0)) or int(time.time())
        members.append((user_id, group_id, "pending" if pending else "member", at))
    batch.write(
        "INSERT INTO group_members (user_id, group_id, status, created_at) VALUES (?, ?, ?, ?)",
        members,
    )
    batch.imported = len(members)
    return batch


def forum_perm_rights(forum_perm: int) -> list[Right]:
    """The rights a bb_auth_access bitfield grants, as TinyPier names them."""
    return [right for bit, right in _FORUM_PERM_BITS.items() if forum_perm & (1 << bit)]


def access_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    """bb_auth_access as group grants per forum (a per-member ACL through its member's
    personal group, see :func:`group_batch`)."""
    batch = Batch()
    groups = {row[0] for row in context.board.execute("SELECT id FROM groups")}
    forums = {row[0] for row in context.board.execute("SELECT id FROM forums")}
    grants: list[tuple[int, int, str]] = []
    entries = 0
    for row in rows:
        group_id, forum_id = mapping.as_int(row["group_id"]), mapping.as_int(row["forum_id"])
        rights = forum_perm_rights(mapping.as_int(row["forum_perm"]))
        if not rights:
            continue
        if group_id not in groups or forum_id not in forums:
            batch.skip(f"{group_id}/{forum_id}", NO_GROUP if group_id not in groups else NO_FORUM)
            continue
        grants.extend((group_id, forum_id, right.value) for right in rights)
        entries += 1
    batch.write(
        "INSERT INTO group_grants (group_id, forum_id, permission) VALUES (?, ?, ?)", grants
    )
    batch.imported = entries
    return batch


# -- avatars ------------------------------------------------------------------------------

# TorrentPier's config ``file_id_ext``: an avatar file's extension by ``avatar_ext_id``
# (the image ones; the pipeline refuses all but GIF, JPEG, PNG and WebP).
AVATAR_EXTENSIONS = {1: "gif", 3: "jpg", 4: "png", 7: "tiff", 11: "bmp", 12: "webp", 13: "avif"}


def avatar_path(folder: Path, user_id: int, ext_id: int) -> Path | None:
    """``{id // 10000}/{id % 100}/{id}.{ext}`` under the avatar folder (get_avatar_path);
    the folder is the board's ``avatars.upload_path`` (see ``php_config``)."""
    extension = AVATAR_EXTENSIONS.get(ext_id)
    if extension is None:
        return None
    return folder / str(user_id // 10000) / str(user_id % 100) / f"{user_id}.{extension}"


def avatar_png(context: Context, user_id: int, ext_id: int) -> tuple[bytes | None, str]:
    """The member's avatar as the profiles feature stores one, or None and why not."""
    folder = context.avatars_folder
    path = None if folder is None else avatar_path(folder, user_id, ext_id)
    if path is None or not path.is_file():
        return None, AVATAR_MISSING
    try:
        data = path.read_bytes()
        return normalized_png(data, context.settings), ""
    except (OSError, ImageRefused):
        return None, AVATAR_REFUSED


# -- categories and forums ----------------------------------------------------------------


def category_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    batch = Batch()
    categories = []
    for row in rows:
        category_id = mapping.as_int(row["cat_id"])
        name = mapping.text(row["cat_title"]).strip() or f"#{category_id}"
        if context.board.execute("SELECT 1 FROM categories WHERE name = ?", (name,)).fetchone():
            name = f"{name} ({category_id})"
        categories.append((category_id, name, mapping.as_int(_get(row, "cat_order", 0))))
    batch.write("INSERT INTO categories (id, name, position) VALUES (?, ?, ?)", categories)
    batch.imported = len(categories)
    return batch


def forum_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    """Forums with their rights as roles; a subforum sits in its parent's category (the
    parent is kept in ``torrentpier_forums``), and an ACL forum (rights given to groups)
    is opened to moderators only: the groups bb_auth_access names get their rights as
    grants (:func:`access_batch`)."""
    batch = Batch()
    forums, originals = [], []
    for row in rows:
        forum_id = mapping.as_int(row["forum_id"])
        category = mapping.as_int(row["cat_id"])
        if not context.board.execute(
            "SELECT 1 FROM categories WHERE id = ?", (category,)
        ).fetchone():
            batch.skip(forum_id, NO_FORUM)
            continue
        rights = {
            key: _get(row, key, 0)
            for key in ("auth_view", "auth_read", "auth_post", "auth_reply", "auth_download")
        }
        view = max(
            mapping.right_role(rights["auth_view"]),
            mapping.right_role(rights["auth_read"]),
            key=("guest", "user", "moderator", "admin").index,
        )
        forums.append(
            (
                forum_id,
                category,
                mapping.text(row["forum_name"]),
                str(_get(row, "forum_desc", "") or ""),
                mapping.as_int(_get(row, "forum_order", 0)),
                bool(mapping.as_int(_get(row, "allow_reg_tracker", 0))),
                view,
                mapping.right_role(rights["auth_post"], max(view, "user", key=_rank)),
                mapping.right_role(rights["auth_reply"], max(view, "user", key=_rank)),
                mapping.right_role(rights["auth_download"], max(view, "user", key=_rank)),
            )
        )
        parent = mapping.as_int(_get(row, "forum_parent", 0)) or None
        originals.append((forum_id, parent, *(mapping.as_int(value) for value in rights.values())))
    batch.write(
        "INSERT INTO forums (id, category_id, name, description, position, allows_releases,"
        " view_role, topic_role, reply_role, download_role, topic_count, post_count)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
        forums,
    )
    batch.write(
        "INSERT INTO torrentpier_forums (forum_id, parent_id, auth_view, auth_read, auth_post,"
        " auth_reply, auth_download) VALUES (?, ?, ?, ?, ?, ?, ?)",
        originals,
    )
    batch.imported = len(forums)
    return batch


def _rank(role: str) -> int:
    return ("guest", "user", "moderator", "admin").index(role)


# -- topics and posts ---------------------------------------------------------------------


def topic_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    batch = Batch()
    forums = {row[0] for row in context.board.execute("SELECT id FROM forums")}
    topics = []
    for row in rows:
        topic_id = mapping.as_int(row["topic_id"])
        if mapping.as_int(row["topic_status"]) == 2 or mapping.as_int(
            _get(row, "topic_moved_id", 0)
        ):
            batch.skip(topic_id, MOVED_SHADOW)
            continue
        forum_id = mapping.as_int(row["forum_id"])
        if forum_id not in forums:
            batch.skip(topic_id, NO_FORUM)
            continue
        created = mapping.as_int(row["topic_time"])
        topic_type = mapping.as_int(row["topic_type"])
        topics.append(
            (
                topic_id,
                forum_id,
                context.author(row["topic_poster"]),
                mapping.text(row["topic_title"]),
                created,
                mapping.as_int(_get(row, "topic_last_post_time", created)) or created,
                2 if topic_type >= 2 else topic_type,
                mapping.as_int(row["topic_status"]) == 1,
            )
        )
    batch.write(
        "INSERT INTO topics (id, forum_id, author_id, title, created_at, last_post_at,"
        " post_count, pin, locked) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
        topics,
    )
    batch.imported = len(topics)
    return batch


def post_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    """Posts with their BBCode source; the HTML is rendered afterwards by the rerender
    repair (an empty ``body_html`` until then), so each post is rendered once."""
    batch = Batch()
    texts = _post_texts(context, [row["post_id"] for row in rows])
    posts = []
    for row in rows:
        post_id = mapping.as_int(row["post_id"])
        if mapping.as_int(row["topic_id"]) not in context.topics:
            batch.skip(post_id, NO_TOPIC)
            continue
        body = texts.get(post_id)
        if body is None:
            batch.skip(post_id, NO_TEXT)
            body = ""
        author = context.author(row["poster_id"])
        edited = mapping.as_int(_get(row, "post_edit_time", 0)) or None
        posts.append(
            (
                post_id,
                mapping.as_int(row["topic_id"]),
                author,
                body,
                "",
                mapping.as_int(row["post_time"]),
                edited,
                author if edited else None,
            )
        )
    batch.write(
        "INSERT INTO posts (id, topic_id, author_id, body, body_html, created_at, edited_at,"
        " edited_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        posts,
    )
    batch.imported = len(posts)
    return batch


def _post_texts(context: Context, post_ids: list[Any]) -> dict[int, str]:
    table = "bb_post_texts" if context.has("bb_post_texts") else "bb_posts_text"
    if not context.has(table) or not post_ids:
        return {}
    marks = ", ".join("?" for _ in post_ids)
    rows = context.stage.execute(
        f'SELECT post_id, post_text FROM "t_{table}" WHERE post_id IN ({marks})',  # noqa: S608
        post_ids,
    )
    return {mapping.as_int(row[0]): mapping.text(row[1]) for row in rows}


# -- releases -----------------------------------------------------------------------------


def release_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    """Each release's .torrent from the board's upload folder, checked against the hashes
    TorrentPier stored: a missing or different file is reported and the topic stays a
    plain topic. The file is stored before its row commits, as an upload's is."""
    batch = Batch()
    releases = []
    for row in rows:
        topic_id = mapping.as_int(row["topic_id"])
        topic = context.topics.get(topic_id)
        if topic is None:
            batch.skip(topic_id, NO_TOPIC)
            continue
        parsed = _checked_file(context, batch, row)
        if parsed is None:
            continue
        stored = store_bytes(context.settings.attachments_dir, parsed.raw, durable=False)
        releases.append((topic_id, stored.sha256, len(parsed.raw), parsed, row, topic))
    if releases:
        os.sync()  # every file of the batch on disk before its rows commit
    for topic_id, sha256, size, parsed, row, topic in releases:
        batch.write(
            "INSERT INTO attachments (sha256, size, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (sha256) DO NOTHING",
            [(sha256, size, mapping.as_int(row["reg_time"]))],
        )
        batch.write(_INSERT_RELEASE, [_release(context, topic_id, sha256, parsed, row, topic)])
        if attach_id := mapping.as_int(_get(row, "attach_id", 0)):
            # dl.php?id=<attach_id> links in old posts and bookmarks find the release.
            batch.write(
                "INSERT OR IGNORE INTO legacy_attachments (attach_id, topic_id) VALUES (?, ?)",
                [(attach_id, topic_id)],
            )
    batch.imported = len(releases)
    return batch


_INSERT_RELEASE = (
    "INSERT INTO torrents (topic_id, attachment_id, uploader_id, info_hash, info_hash_v2,"
    " name, total_size, file_count, files_json, piece_length, status, status_by, status_at,"
    " freeleech, created_at, seeders, leechers, completed, last_seeder_at, forum_id, title)"
    " VALUES (?, (SELECT id FROM attachments WHERE sha256 = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, 0, 0, ?, ?, ?, ?)"
)


def _release(
    context: Context,
    topic_id: int,
    sha256: str,
    parsed: ParsedTorrent,
    row: sqlite3.Row,
    topic: tuple[int, str],
) -> tuple[Any, ...]:
    checker = mapping.as_int(_get(row, "checked_user_id", 0))
    files = json.dumps([[file.path, file.size] for file in parsed.files], ensure_ascii=False)
    return (
        topic_id,
        sha256,
        context.author(row["poster_id"]),
        parsed.info_hash_v1,
        parsed.info_hash_v2,
        parsed.name,
        parsed.total_size,
        len(parsed.files),
        files,
        parsed.piece_length,
        mapping.release_status(row["tor_status"]),
        checker if checker in context.members else None,
        mapping.as_int(_get(row, "checked_time", 0)) or None,
        mapping.freeleech(_get(row, "tor_type", 0)),
        mapping.as_int(row["reg_time"]),
        mapping.as_int(_get(row, "complete_count", 0)),
        mapping.as_int(_get(row, "seeder_last_seen", 0)) or None,
        topic[0],
        topic[1],
    )


def _checked_file(context: Context, batch: Batch, row: sqlite3.Row) -> ParsedTorrent | None:
    topic_id = mapping.as_int(row["topic_id"])
    path = torrent_path(context, row)
    if path is None or not path.is_file():
        batch.skip(topic_id, FILE_MISSING)
        return None
    try:
        parsed = parse_torrent(path.read_bytes())
    except (InvalidTorrent, OSError):
        batch.skip(topic_id, FILE_UNREADABLE)
        return None
    if not _hashes_match(parsed, row):
        batch.skip(topic_id, FILE_MISMATCH)
        return None
    duplicate = context.board.execute(
        "SELECT 1 FROM torrents WHERE info_hash = ? OR info_hash_v2 = ?",
        (parsed.info_hash_v1, parsed.info_hash_v2),
    ).fetchone()
    if duplicate is not None:
        batch.skip(topic_id, DUPLICATE_HASH)
        return None
    return parsed


def _hashes_match(parsed: ParsedTorrent, row: sqlite3.Row) -> bool:
    """The file is the one TorrentPier registered: each hash it stored is the file's
    (a 2.x v1 hash with its trailing spaces restored)."""
    stored_v1 = mapping.padded_info_hash(_get(row, "info_hash"))
    stored_v2 = _get(row, "info_hash_v2")
    stored_v2 = bytes(stored_v2) if isinstance(stored_v2, bytes) and stored_v2 else None
    if stored_v1 is None and stored_v2 is None:
        return False
    v1_ok = stored_v1 is None or stored_v1 == parsed.info_hash_v1
    v2_ok = stored_v2 is None or stored_v2 == parsed.info_hash_v2
    return v1_ok and v2_ok


def torrent_path(context: Context, row: sqlite3.Row) -> Path | None:
    """Where TorrentPier kept a release's .torrent: 3.0 by topic id under storage/, 2.x
    by the attachment's physical name in ``upload_dir`` (absolute, or from the root)."""
    topic_id = mapping.as_int(row["topic_id"])
    if context.version == "3.0":
        return (
            context.files
            / "storage"
            / "app"
            / "private"
            / "uploads"
            / str(topic_id // 10000)
            / str(topic_id % 100)
            / f"{topic_id}.torrent"
        )
    attach_id = mapping.as_int(_get(row, "attach_id", 0))
    if not attach_id or not context.has("bb_attachments_desc"):
        return None
    found = context.stage.execute(
        "SELECT physical_filename FROM t_bb_attachments_desc WHERE attach_id = ?", (attach_id,)
    ).fetchone()
    if found is None or not found[0]:
        return None
    upload_dir = Path(context.config.get("upload_dir") or "data/uploads")
    folder = upload_dir if upload_dir.is_absolute() else context.files / upload_dir
    return folder / PurePosixPath(str(found[0]).replace("\\", "/")).name


# -- per-release figures ------------------------------------------------------------------


def snatch_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    """bb_bt_dlstatus rows of members who completed a release."""
    batch = Batch()
    snatches = []
    for row in rows:
        release = context.releases.get(mapping.as_int(row["topic_id"]))
        user_id = mapping.as_int(row["user_id"])
        if release is None or user_id not in context.members:
            batch.skip(f"{row['topic_id']}/{user_id}", NO_RELEASE if release is None else NO_MEMBER)
            continue
        completed = mapping.timestamp(_get(row, "last_modified_dlstatus")) or release[1]
        snatches.append((release[0], user_id, completed))
    batch.write(
        "INSERT OR IGNORE INTO snatches (torrent_id, user_id, completed_at) VALUES (?, ?, ?)",
        snatches,
    )
    batch.imported = len(snatches)
    return batch


def transfer_batch(context: Context, rows: list[sqlite3.Row]) -> Batch:
    """bb_bt_tor_dl_stat: each member's upload and download on each release."""
    batch = Batch()
    transfers = []
    for row in rows:
        release = context.releases.get(mapping.as_int(row["topic_id"]))
        user_id = mapping.as_int(row["user_id"])
        if release is None or user_id not in context.members:
            batch.skip(f"{row['topic_id']}/{user_id}", NO_RELEASE if release is None else NO_MEMBER)
            continue
        transfers.append(
            (
                release[0],
                user_id,
                mapping.as_int(row["t_up_total"]),
                mapping.as_int(row["t_down_total"]),
                release[1],
                release[1],
            )
        )
    batch.write(
        "INSERT OR IGNORE INTO transfers (torrent_id, user_id, uploaded, downloaded,"
        " seeding_seconds, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
        transfers,
    )
    batch.imported = len(transfers)
    return batch


def read_config(context: Context) -> dict[str, str]:
    """bb_config and bb_attachments_config as name -> value, and the passkey parameter
    name from the board's config files (2.x ``library/config*.php``, 3.0
    ``config/tracker.php``) when the database does not hold it."""
    config: dict[str, str] = {}
    for table in ("bb_attachments_config", "bb_config"):
        if context.has(table):
            for name, value in context.stage.execute(
                f'SELECT config_name, config_value FROM "t_{table}"'  # noqa: S608
            ):
                config[str(name)] = "" if value is None else str(value)
    if "passkey_key" not in config:
        key = _passkey_parameter(context.files)
        if key:
            config["passkey_key"] = key
    return config


_PASSKEY_SETTING = re.compile(
    r"""(?:\$bb_cfg\[\s*['"]passkey_key['"]\s*\]\s*=|['"]passkey_key['"]\s*=>)\s*['"](\w+)['"]"""
)


def _passkey_parameter(root: Path) -> str | None:
    found = None
    for relative in ("library/config.php", "library/config.local.php", "config/tracker.php"):
        path = root / relative
        if path.is_file():
            match = _PASSKEY_SETTING.search(path.read_text(encoding="utf-8", errors="replace"))
            found = match.group(1) if match else found
    return found
