"""``tinypier import-torrentpier``: a TorrentPier board into an empty TinyPier board.

The source (a dump or a server) is first copied into the staging file (see
:mod:`.staging`), then each kind is imported in dependency order by the resumable batch
loop (:mod:`.batches`), then the repairs rebuild what the board derives (post HTML,
counters, the search index). Bonus points, avatars, private messages, polls and thanks
are written through their features' stores. A rerun after a crash or ``kill -9``
continues where the last committed batch left off; a finished import is never run twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from tinypier import site_settings
from tinypier.bonus.ledger import IMPORTED, BalanceChange, apply_changes
from tinypier.db.connection import Database, connect_sync
from tinypier.importers.torrentpier import kinds, mapping, php_config
from tinypier.importers.torrentpier.batches import (
    BATCH_ROWS,
    Context,
    Handler,
    Progress,
    mark_done,
    progress_of,
    run_kind,
    staged_rows,
    stop_point,
)
from tinypier.importers.torrentpier.dump import Rows, Table
from tinypier.importers.torrentpier.report import (
    AVATARS_DEFAULT,
    AVATARS_FOLDER,
    AVATARS_FOLDER_SOURCE,
    AVATARS_OPTION,
    ImportReport,
    build_report,
)
from tinypier.importers.torrentpier.staging import (
    is_complete,
    open_staging,
    stage,
    staged_columns,
    staged_table_names,
    staging_path,
)
from tinypier.messages.store import insert_conversation
from tinypier.polls.queries import PollChangeRefused, create_poll, record_earlier_votes
from tinypier.polls.spec import PollSpec
from tinypier.profiles.store import set_avatar
from tinypier.repair.pending import run_repair
from tinypier.settings import Settings
from tinypier.thanks.queries import thank

FINISHED = "finished"
LEGACY_PASSKEY_SETTING = "legacy_passkey_param"
"""The site setting of the legacy announce URL's passkey parameter (``uk`` by default);
set from the imported board's config when TinyPier has that setting."""
REPAIRS = ("rerender", "recount", "search")
SUSPENDED_TRIGGERS = ("post_search_post_insert", "post_search_post_update")
"""The search index's triggers on posts: each insert and each re-render would index the
post (four word-form passes per write), and the search repair re-indexes every post at
the end anyway. They are dropped while posts are written and re-rendered, their exact
SQL kept in ``torrentpier_config`` (so an import killed meanwhile restores them when it
finishes), and re-created before the search index is rebuilt."""


class ImportRefused(Exception):
    """The data directory holds a board (or a finished import), or the source is no
    TorrentPier board: nothing was changed."""


@dataclass(frozen=True)
class Source:
    """Where the TorrentPier tables come from, and its size for the progress bar."""

    describe: str
    items: Iterable[Table | Rows]
    size: int = 0


def refuse_non_empty(settings: Settings) -> None:
    """Import only into an empty board, or resume an import this board started."""
    connection = connect_sync(settings.database_path)
    try:
        if _import_state(connection) == "running":
            return
        if _import_state(connection) == FINISHED:
            raise ImportRefused(f"{settings.data_dir} already holds an imported board")
        counts = connection.execute(
            "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM categories),"
            " (SELECT COUNT(*) FROM forums), (SELECT COUNT(*) FROM topics)"
        ).fetchone()
        if any(counts):
            raise ImportRefused(
                f"{settings.data_dir} is not empty ({counts[0]} member(s), {counts[1]}"
                f" category(ies), {counts[2]} forum(s), {counts[3]} topic(s)):"
                " an import needs a new --data-dir"
            )
    finally:
        connection.close()


def _import_state(connection: sqlite3.Connection) -> str | None:
    finished = progress_of(connection, FINISHED)
    if finished[1]:
        return FINISHED
    started = connection.execute("SELECT 1 FROM import_progress LIMIT 1").fetchone()
    return "running" if started else None


def import_board(
    settings: Settings,
    source: Source,
    files: Path,
    progress: Progress | None = None,
    avatars: Path | None = None,
) -> ImportReport:
    """Import (or finish importing) ``source`` into the prepared, empty board; member
    avatars are read from ``avatars`` if given, else from where the board's config put
    them."""
    progress = progress or Progress()
    refuse_non_empty(settings)
    staged = staging_path(settings.data_dir)
    if not is_complete(staged):
        _stage(staged, source, progress)
    board = connect_sync(settings.database_path)
    stage_connection = open_staging(staged)
    try:
        try:
            version = detect_version(stage_connection)
        except ImportRefused:
            _remove_staging(staged)
            raise
        context = Context(settings, board, stage_connection, files, version, progress)
        context.avatars_override = avatars
        _start(context, source.describe)
        _import_all(context)
        repairs = _repair(context)
        report = build_report(board, version, repairs)
    finally:
        stage_connection.close()
        board.close()
    _remove_staging(staged)
    return report


def _remove_staging(staged: Path) -> None:
    for leftover in staged.parent.glob(staged.name + "*"):
        leftover.unlink(missing_ok=True)


def _stage(path: Path, source: Source, progress: Progress) -> None:
    progress.start("staging", source.size)

    def items() -> Iterable[Table | Rows]:
        for item in source.items:
            if isinstance(item, Rows):
                stop_point("staging")
            yield item

    stage(path, items())
    progress.finish()


def detect_version(stage_connection: sqlite3.Connection) -> str:
    """2.0-2.3, 2.4+ or 3.0, from the tables and columns the source has."""
    tables = staged_table_names(stage_connection)
    if "bb_users" not in tables or not {"bb_posts", "bb_topics"} <= tables:
        raise ImportRefused("the source has no TorrentPier tables (bb_users, bb_topics, bb_posts)")
    if "bb_post_texts" in tables or (
        "attach_ext_id" in staged_columns(stage_connection, "bb_topics")
        and "bb_attachments_desc" not in tables
    ):
        return "3.0"
    if "bb_thx" in tables or "info_hash_v2" in staged_columns(stage_connection, "bb_bt_torrents"):
        return "2.4+"
    return "2.0-2.3"


def _start(context: Context, describe: str) -> None:
    """Record the source, or check a resumed import reads the same one."""
    board = context.board
    started = board.execute(
        "SELECT value FROM torrentpier_config WHERE name = 'import_source'"
    ).fetchone()
    if started is not None and started[0] != describe:
        raise ImportRefused(
            f"an import of {started[0]} is under way in {context.settings.data_dir}:"
            " run it again with the same source to finish it"
        )
    board.execute("BEGIN IMMEDIATE")
    board.execute("INSERT OR IGNORE INTO import_progress (kind) VALUES ('started')")
    board.execute(
        "INSERT OR IGNORE INTO torrentpier_config (name, value) VALUES ('import_source', ?),"
        " ('import_version', ?)",
        (describe, context.version),
    )
    board.execute("COMMIT")


def _import_all(context: Context) -> None:
    context.config = kinds.read_config(context)
    _keep_config(context)
    _find_avatars(context)
    _suspend_search_triggers(context.board)
    _batched(context, "ranks", "bb_ranks", kinds.rank_batch)
    context.ranks = {row[0] for row in context.board.execute("SELECT id FROM ranks")}
    _batched(context, "members", "bb_users", kinds.member_batch)
    context.members = {row[0] for row in context.board.execute("SELECT id FROM users")}
    if kinds.missing_authors(context):
        context.ghost_id = kinds.add_ghost(context)
    context.members.discard(context.ghost_id or 0)
    _batched(context, "groups", "bb_groups", kinds.group_batch)
    _batched(context, "group members", "bb_user_group", kinds.group_member_batch)
    _batched(context, "categories", "bb_categories", kinds.category_batch)
    _batched(context, "forums", "bb_forums", kinds.forum_batch)
    _batched(context, "forum access", "bb_auth_access", kinds.access_batch)
    _batched(context, "topics", "bb_topics", kinds.topic_batch)
    context.topics = {
        row[0]: (row[1], row[2])
        for row in context.board.execute("SELECT id, forum_id, title FROM topics")
    }
    _batched(context, "posts", "bb_posts", kinds.post_batch)
    _batched(context, "releases", "bb_bt_torrents", kinds.release_batch)
    context.releases = {
        row[0]: (row[1], row[2])
        for row in context.board.execute("SELECT topic_id, id, created_at FROM torrents")
    }
    _batched(context, "snatches", "bb_bt_dlstatus", kinds.snatch_batch, "user_status = 1")
    _batched(context, "transfers", "bb_bt_tor_dl_stat", kinds.transfer_batch)
    asyncio.run(_through_stores(context))


def _batched(context: Context, kind: str, table: str, handler: Handler, where: str = "1") -> None:
    if not context.has(table):
        context.board.execute("BEGIN IMMEDIATE")
        mark_done(context.board, kind)
        context.board.execute("COMMIT")
        return
    query, total = staged_rows(table, where)
    run_kind(context, kind, query, handler, kind, total)


def _keep_config(context: Context) -> None:
    """The settings old URLs depend on, kept; the passkey parameter also becomes the
    site setting once TinyPier has it."""
    kept = {
        name: context.config[name]
        for name in ("bt_announce_url", "passkey_key", "sitename", "upload_dir")
        if name in context.config
    }
    board = context.board
    board.execute("BEGIN IMMEDIATE")
    board.executemany(
        "INSERT OR REPLACE INTO torrentpier_config (name, value) VALUES (?, ?)", kept.items()
    )
    parameter = kept.get("passkey_key")
    if parameter and LEGACY_PASSKEY_SETTING in site_settings.EDITABLE_BY_NAME:
        board.execute(
            "INSERT OR REPLACE INTO site_settings (name, value, changed_by, changed_at)"
            " VALUES (?, ?, NULL, ?)",
            (LEGACY_PASSKEY_SETTING, parameter, int(time.time())),
        )
    board.execute("COMMIT")


def _find_avatars(context: Context) -> None:
    """The avatar folder: ``--avatars``, else the board's config files' ``upload_path``,
    else TorrentPier's default; recorded with where it came from for the report (a
    resumed import looks again: the folder may have been given only then)."""
    if context.avatars_override is not None:
        folder, source = context.avatars_override, AVATARS_OPTION
    else:
        found = php_config.avatars_folder(context.files, context.version)
        folder, source = found.folder, found.source or AVATARS_DEFAULT
    context.avatars_folder = folder
    board = context.board
    board.execute("BEGIN IMMEDIATE")
    board.executemany(
        "INSERT OR REPLACE INTO torrentpier_config (name, value) VALUES (?, ?)",
        [(AVATARS_FOLDER, str(folder)), (AVATARS_FOLDER_SOURCE, source)],
    )
    board.execute("COMMIT")


# -- through the features' stores ---------------------------------------------------------


async def _through_stores(context: Context) -> None:
    db = Database(context.settings.database_path)
    await db.open()
    try:
        await _bonus_points(context, db)
        await _avatars(context, db)
        await _thanks(context, db)
        await _polls(context, db)
        await _messages(context, db)
    finally:
        await db.close()


def _stepped(context: Context, kind: str, query: str) -> list[sqlite3.Row] | None:
    """The next batch of a store-written kind, or None once it is done."""
    position, done = progress_of(context.board, kind)
    if done:
        return None
    return context.stage.execute(query, (position, BATCH_ROWS)).fetchall()


async def _record(
    db: Database, kind: str, position: int, imported: int, skips: list[tuple[str, str]]
) -> None:
    async with db.transaction() as connection:
        await _record_in(connection, kind, position, imported, skips)


async def _record_in(
    connection: aiosqlite.Connection,
    kind: str,
    position: int,
    imported: int,
    skips: list[tuple[str, str]],
) -> None:
    await connection.executemany(
        "INSERT OR IGNORE INTO import_skips (kind, source_id, reason) VALUES (?, ?, ?)",
        [(kind, source_id, reason) for source_id, reason in skips],
    )
    await connection.execute(
        "INSERT INTO import_progress (kind, position, imported) VALUES (?, ?, ?)"
        " ON CONFLICT (kind) DO UPDATE SET position = excluded.position,"
        " imported = imported + excluded.imported",
        (kind, position, imported),
    )


async def _finish(db: Database, kind: str) -> None:
    await db.execute(
        "INSERT INTO import_progress (kind, done) VALUES (?, 1)"
        " ON CONFLICT (kind) DO UPDATE SET done = 1",
        (kind,),
    )


async def _bonus_points(context: Context, db: Database) -> None:
    """bb_users.user_points as each member's balance, through the bonus ledger: one entry
    "imported from TorrentPier" per member with points, so the ledger sums to the balance.
    A batch's entries and its progress commit together, so a rerun credits nobody twice.
    TorrentPier kept hundredths of a point; TinyPier counts whole points (rounded down)."""
    kind = "bonus points"
    if "user_points" not in staged_columns(context.stage, "bb_users"):
        await _finish(db, kind)
        return
    query, total = staged_rows("bb_users", "user_points >= 1 AND user_id > 0")
    context.progress.start(kind, int(context.stage.execute(total).fetchone()[0]))
    while rows := _stepped(context, kind, query):
        changes = [
            BalanceChange(user_id, IMPORTED, points=int(float(row["user_points"])))
            for row in rows
            if (user_id := mapping.as_int(row["user_id"])) in context.members
        ]
        async with db.transaction() as connection:
            await apply_changes(connection, changes, int(time.time()))
            await _record_in(connection, kind, int(rows[-1]["_pos"]), len(changes), [])
        context.progress.advance(len(rows))
        stop_point(kind)
    await _finish(db, kind)
    context.progress.finish()


async def _avatars(context: Context, db: Database) -> None:
    """Uploaded avatars (``avatar_ext_id`` set) from the board's avatar folder, through
    the profiles feature's pipeline: validated, re-encoded as a PNG of its pixels, stored
    by content hash. A missing file or one the pipeline refuses is reported, the member
    kept without an avatar. Setting the same avatar twice (a batch repeated after a
    crash) stores nothing new."""
    kind = "avatars"
    if "avatar_ext_id" not in staged_columns(context.stage, "bb_users"):
        await _finish(db, kind)
        return
    query, total = staged_rows("bb_users", "avatar_ext_id != 0 AND user_id > 0")
    context.progress.start(kind, int(context.stage.execute(total).fetchone()[0]))
    while rows := _stepped(context, kind, query):
        imported, skips = 0, list[tuple[str, str]]()
        for row in rows:
            user_id = mapping.as_int(row["user_id"])
            if user_id not in context.members:
                continue
            png, reason = await asyncio.to_thread(
                kinds.avatar_png, context, user_id, mapping.as_int(row["avatar_ext_id"])
            )
            if png is None:
                skips.append((str(user_id), reason))
                continue
            await set_avatar(db, context.settings, user_id, png)
            imported += 1
        await _record(db, kind, int(rows[-1]["_pos"]), imported, skips)
        context.progress.advance(len(rows))
        stop_point(kind)
    await _finish(db, kind)
    context.progress.finish()


async def _thanks(context: Context, db: Database) -> None:
    """bb_thx through the thanks store; a thanks is unique per member and release, so a
    batch repeated after a crash adds nothing twice."""
    kind = "thanks"
    if not context.has("bb_thx"):
        await _finish(db, kind)
        return
    query, total = staged_rows("bb_thx")
    context.progress.start(kind, int(context.stage.execute(total).fetchone()[0]))
    while rows := _stepped(context, kind, query):
        imported, skips = 0, list[tuple[str, str]]()
        for row in rows:
            release = context.releases.get(mapping.as_int(row["topic_id"]))
            user_id = mapping.as_int(row["user_id"])
            if release is None or user_id not in context.members:
                reason = kinds.NO_RELEASE if release is None else kinds.NO_MEMBER
                skips.append((f"{row['topic_id']}/{user_id}", reason))
                continue
            # False only for a thanks the batch a crash cut short wrote: it counts once
            await thank(db, release[0], user_id, at=mapping.as_int(row["time"]))
            imported += 1
        await _record(db, kind, int(rows[-1]["_pos"]), imported, skips)
        context.progress.advance(len(rows))
        stop_point(kind)
    await _finish(db, kind)
    context.progress.finish()


async def _polls(context: Context, db: Database) -> None:
    """bb_poll_votes (vote_id 0 is the question) through the polls store, with
    TorrentPier's counts as the poll's earlier votes and the members bb_poll_users lists
    as votes without a choice: the totals stay TorrentPier's, and who voted there cannot
    vote again (TorrentPier never recorded who chose what)."""
    kind = "polls"
    if not _poll_votes_view(context):
        await _finish(db, kind)
        return
    voters = _poll_voters_view(context)
    query = (
        "SELECT topic_id AS _pos FROM poll_votes WHERE topic_id > ?"
        " GROUP BY topic_id ORDER BY topic_id LIMIT ?"
    )
    total = "SELECT COUNT(DISTINCT topic_id) FROM poll_votes"
    context.progress.start(kind, int(context.stage.execute(total).fetchone()[0]))
    while rows := _stepped(context, kind, query):
        imported, skips = 0, list[tuple[str, str]]()
        for row in rows:
            topic_id = int(row["_pos"])
            imported += await _poll(context, db, topic_id, voters, skips)
        await _record(db, kind, int(rows[-1]["_pos"]), imported, skips)
        context.progress.advance(len(rows))
    await _finish(db, kind)
    context.progress.finish()


def _staging_view(context: Context, name: str, sources: dict[tuple[str, ...], str]) -> bool:
    """Create the temporary view ``name`` in the staging copy from the first of ``sources``
    (tables it needs -> its SELECT) whose tables the board has; False if none fits."""
    for tables, source in sources.items():
        if all(context.has(table) for table in tables):
            context.stage.execute(f"CREATE TEMP VIEW IF NOT EXISTS {name} AS {source}")
            return True
    return False


def _poll_votes_view(context: Context) -> bool:
    """``poll_votes`` in the staging copy: 2.1+'s ``bb_poll_votes`` (vote_id 0 is the
    question) as it is, or 2.0's question (``bb_vote_desc``) and options
    (``bb_vote_results``) in that shape. False when the board has no polls."""
    return _staging_view(context, "poll_votes", {
        ("bb_poll_votes",): "SELECT topic_id, vote_id, vote_text, vote_result FROM t_bb_poll_votes",
        ("bb_vote_desc", "bb_vote_results"): (
            "SELECT topic_id, 0 AS vote_id, vote_text, 0 AS vote_result FROM t_bb_vote_desc"
            " UNION ALL SELECT d.topic_id, r.vote_option_id, r.vote_option_text, r.vote_result"
            " FROM t_bb_vote_results r JOIN t_bb_vote_desc d ON d.vote_id = r.vote_id"
        ),
    })  # fmt: skip


def _poll_voters_view(context: Context) -> bool:
    """``poll_voters`` (topic_id, user_id, voted_at) in the staging copy: 2.1+'s
    ``bb_poll_users``, or 2.0's ``bb_vote_voters`` (no date). False if neither is there."""
    return _staging_view(context, "poll_voters", {
        ("bb_poll_users",): "SELECT topic_id, user_id, vote_dt AS voted_at FROM t_bb_poll_users",
        ("bb_vote_voters", "bb_vote_desc"): (
            "SELECT d.topic_id, v.vote_user_id AS user_id, 0 AS voted_at"
            " FROM t_bb_vote_voters v JOIN t_bb_vote_desc d ON d.vote_id = v.vote_id"
        ),
    })  # fmt: skip


async def _poll(
    context: Context, db: Database, topic_id: int, voters: bool, skips: list[tuple[str, str]]
) -> int:
    if topic_id not in context.topics:
        skips.append((str(topic_id), kinds.NO_TOPIC))
        return 0
    votes = context.stage.execute(
        "SELECT vote_id, vote_text, vote_result FROM poll_votes WHERE topic_id = ?"
        " ORDER BY vote_id",
        (topic_id,),
    ).fetchall()
    question = next((mapping.text(v[1]) for v in votes if v[0] == 0), "")
    options = [v for v in votes if v[0] != 0]
    created = context.board.execute(
        "SELECT created_at FROM topics WHERE id = ?", (topic_id,)
    ).fetchone()[0]
    spec = PollSpec(
        question, tuple(mapping.text(v[1]) for v in options), 1, days=None, allow_change=False
    )
    # a poll there already was made by the batch a crash cut short: its results may not be
    with contextlib.suppress(PollChangeRefused):
        await create_poll(db, topic_id, spec, created)
    who = (
        context.stage.execute(
            "SELECT user_id, voted_at FROM poll_voters WHERE topic_id = ?", (topic_id,)
        ).fetchall()
        if voters
        else []
    )
    totals = {position: mapping.as_int(v[2]) for position, v in enumerate(options, start=1)}
    members = [
        (user_id, mapping.as_int(row[1]) or created)
        for row in who
        if (user_id := mapping.as_int(row[0])) in context.members
    ]
    # a single-choice poll: a vote per voter, also by those no longer members
    voter_total = max(sum(totals.values()), len(who))
    await record_earlier_votes(db, topic_id, totals, voter_total, members)
    return 1


_UNIQUE_MESSAGES = """
CREATE TABLE IF NOT EXISTS unique_messages AS
SELECT MIN(privmsgs_id) AS id, privmsgs_from_userid AS sender, privmsgs_to_userid AS recipient,
	privmsgs_date AS sent_at, privmsgs_subject AS subject,
	MAX(privmsgs_type IN (1, 5)) AS unread, COUNT(*) AS copies
FROM t_bb_privmsgs
GROUP BY privmsgs_from_userid, privmsgs_to_userid, privmsgs_date, privmsgs_subject
"""


async def _messages(context: Context, db: Database) -> None:
    """bb_privmsgs as conversations of two through the messages store. TorrentPier kept a
    copy per mailbox (the recipient's, the sender's "sent" one): the copies of one message
    (same sender, recipient, date and subject) become one; unread if the recipient's was."""
    kind = "messages"
    if not context.has("bb_privmsgs"):
        await _finish(db, kind)
        return
    context.stage.execute(_UNIQUE_MESSAGES)
    query = "SELECT id AS _pos, * FROM unique_messages WHERE id > ? ORDER BY id LIMIT ?"
    total = "SELECT COUNT(*) FROM unique_messages"
    context.progress.start(kind, int(context.stage.execute(total).fetchone()[0]))
    while rows := _stepped(context, kind, query):
        async with db.transaction() as connection:
            imported, skips = 0, list[tuple[str, str]]()
            for row in rows:
                imported += await _message(context, connection, row, skips)
            await _record_in(connection, kind, int(rows[-1]["_pos"]), imported, skips)
        context.progress.advance(len(rows))
        stop_point(kind)
    await _finish(db, kind)
    context.progress.finish()


async def _message(
    context: Context,
    connection: aiosqlite.Connection,
    row: sqlite3.Row,
    skips: list[tuple[str, str]],
) -> int:
    sender, recipient = mapping.as_int(row["sender"]), mapping.as_int(row["recipient"])
    if row["copies"] > 1:
        skips.append((str(row["id"]), kinds.DUPLICATE_MESSAGE))
    if sender not in context.members or recipient not in context.members:
        skips.append((str(row["id"]), kinds.NO_MEMBER))
        return 0
    text = (
        context.stage.execute(
            "SELECT privmsgs_text FROM t_bb_privmsgs_text WHERE privmsgs_text_id = ?", (row["id"],)
        ).fetchone()
        if context.has("bb_privmsgs_text")
        else None
    )
    body = mapping.text(text[0]) if text else ""
    recipients = [] if recipient == sender else [recipient]
    made = await insert_conversation(
        connection,
        sender,
        recipients,
        mapping.text(row["subject"]),
        body,
        mapping.as_int(row["sent_at"]),
    )
    if not row["unread"]:
        await connection.execute(
            "UPDATE conversation_members SET unread = 0 WHERE conversation_id = ?",
            (made.conversation_id,),
        )
    return 1


# -- after the rows -----------------------------------------------------------------------


def _repair(context: Context) -> list[str]:
    """Post HTML, counters and the search index from the imported rows, then the import
    is marked finished."""
    reports = []
    for name in REPAIRS:
        kind = f"repair {name}"
        if name == "search":
            _restore_search_triggers(context.board)
        if progress_of(context.board, kind)[1]:
            continue
        context.progress.start(name, 0)
        reports.append(run_repair(context.board, name).describe())
        context.board.execute("BEGIN IMMEDIATE")
        mark_done(context.board, kind)
        context.board.execute("COMMIT")
        context.progress.finish()
        stop_point(kind)
    context.board.execute("BEGIN IMMEDIATE")
    mark_done(context.board, FINISHED)
    context.board.execute("COMMIT")
    return reports


def _suspend_search_triggers(board: sqlite3.Connection) -> None:
    board.execute("BEGIN IMMEDIATE")
    for name in SUSPENDED_TRIGGERS:
        row = board.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
        ).fetchone()
        if row is not None:
            board.execute(
                "INSERT OR REPLACE INTO torrentpier_config (name, value) VALUES (?, ?)",
                (f"suspended trigger {name}", row[0]),
            )
            board.execute(f'DROP TRIGGER "{name}"')
    board.execute("COMMIT")


def _restore_search_triggers(board: sqlite3.Connection) -> None:
    board.execute("BEGIN IMMEDIATE")
    for name in SUSPENDED_TRIGGERS:
        key = f"suspended trigger {name}"
        row = board.execute(
            "SELECT value FROM torrentpier_config WHERE name = ?", (key,)
        ).fetchone()
        if row is not None:
            board.execute(row[0])
            board.execute("DELETE FROM torrentpier_config WHERE name = ?", (key,))
    board.execute("COMMIT")
