"""The staging copy: the TorrentPier tables an import reads, in a SQLite file of their own.

A dump lists its tables alphabetically, so posts come before the members who wrote them
and topics after their posts; a live database can be read in any order but should not be
held open for an hour. Either way the wanted tables are first copied, streaming, into
``torrentpier-staging.sqlite3`` in the data directory (typed by the source's columns,
binary values as BLOBs), then imported from there in the order the board needs. The copy
is made once: an import killed while copying starts the copy over (it only appends), one
killed later resumes from the copy.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from tinypier.importers.torrentpier.dump import Rows, Table

STAGING_FILE = "torrentpier-staging.sqlite3"
COMMIT_ROWS = 20_000

WANTED_TABLES = frozenset(
    {
        "bb_users",
        "bb_banlist",
        "bb_bt_users",
        "bb_ranks",
        "bb_categories",
        "bb_forums",
        "bb_topics",
        "bb_posts",
        "bb_posts_text",
        "bb_post_texts",
        "bb_bt_torrents",
        "bb_attachments_desc",
        "bb_attachments_config",
        "bb_bt_tor_dl_stat",
        "bb_bt_dlstatus",
        "bb_privmsgs",
        "bb_privmsgs_text",
        "bb_poll_votes",
        "bb_poll_users",
        "bb_vote_desc",
        "bb_vote_results",
        "bb_vote_voters",
        "bb_thx",
        "bb_groups",
        "bb_user_group",
        "bb_auth_access",
        "bb_config",
    }
)
_AFFINITY = {"integer": "INTEGER", "real": "REAL", "binary": "BLOB", "text": "TEXT"}
# Lookups the import makes by a key other than the staged row's order.
_INDEXES = {
    "bb_bt_users": "user_id",
    "bb_banlist": "ban_userid",
    "bb_posts_text": "post_id",
    "bb_post_texts": "post_id",
    "bb_attachments_desc": "attach_id",
    "bb_privmsgs_text": "privmsgs_text_id",
    "bb_user_group": "group_id",
    "bb_auth_access": "group_id",
    "bb_topics": "topic_id",
    "bb_poll_users": "topic_id",
}


def staging_path(data_dir: Path) -> Path:
    return data_dir / STAGING_FILE


def open_staging(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")  # a copy: redone from the source if lost
    return connection


def is_complete(path: Path) -> bool:
    if not path.is_file():
        return False
    connection = open_staging(path)
    try:
        row = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'staging_done'"
        ).fetchone()
        return row is not None
    finally:
        connection.close()


def stage(path: Path, items: Iterable[Table | Rows]) -> None:
    """Copy the wanted tables' rows from ``items`` (a dump's or a server's) into ``path``,
    replacing any partial copy; the copy is marked complete only at the very end."""
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    connection = open_staging(path)
    try:
        connection.execute("CREATE TABLE staged_tables (name TEXT PRIMARY KEY, columns TEXT)")
        connection.execute("BEGIN")
        pending = 0
        for item in items:
            if isinstance(item, Table):
                _create(connection, item)
                continue
            if item.table.name not in WANTED_TABLES or not item.rows:
                continue
            marks = ", ".join("?" for _ in item.table.columns)
            connection.executemany(
                f'INSERT INTO "t_{item.table.name}" VALUES ({marks})',  # noqa: S608
                item.rows,
            )
            pending += len(item.rows)
            if pending >= COMMIT_ROWS:
                connection.execute("COMMIT")
                connection.execute("BEGIN")
                pending = 0
        _index(connection)
        connection.execute("CREATE TABLE staging_done (at INTEGER)")
        connection.execute("COMMIT")
    finally:
        connection.close()


def _create(connection: sqlite3.Connection, table: Table) -> None:
    columns = [[column.name, column.kind] for column in table.columns]
    connection.execute(
        "INSERT OR REPLACE INTO staged_tables VALUES (?, ?)", (table.name, json.dumps(columns))
    )
    if table.name not in WANTED_TABLES:
        return
    definition = ", ".join(f'"{column.name}" {_AFFINITY[column.kind]}' for column in table.columns)
    connection.execute(f'DROP TABLE IF EXISTS "t_{table.name}"')
    connection.execute(f'CREATE TABLE "t_{table.name}" ({definition})')


def _index(connection: sqlite3.Connection) -> None:
    for table, column in _INDEXES.items():
        if column in staged_columns(connection, table):
            connection.execute(f'CREATE INDEX "ix_{table}" ON "t_{table}" ("{column}")')


def staged_columns(connection: sqlite3.Connection, table: str) -> set[str]:
    """The columns the source's ``table`` has; empty when the source has no such table."""
    row = connection.execute(
        "SELECT columns FROM staged_tables WHERE name = ?", (table,)
    ).fetchone()
    return set() if row is None else {name for name, _kind in json.loads(row[0])}


def staged_table_names(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("SELECT name FROM staged_tables")}
