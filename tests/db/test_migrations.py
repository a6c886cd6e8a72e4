"""The schema: what the SQL migrations build, how old databases upgrade, and what is refused.

``tinypier/db/models.py`` is the readable reference of the schema; the SQL files are what
runs. The first test holds them to each other, so a migration and its model change can
never drift apart.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import create_engine

from tinypier.app import create_app
from tinypier.db import migrations
from tinypier.db.connection import BUSY_TIMEOUT_MS, Database, connect_sync
from tinypier.db.migrations import DatabaseTooNew, code_version, migrate
from tinypier.db.models import User
from tinypier.forum.search import fts_query
from tinypier.repair.pending import run_pending_repairs
from tinypier.settings import Settings
from tinypier.torrents.listing import fts_query as listing_query

from ..cli.runner import run_cli

WORD_FORMS_VERSION = 10
"""The migration that indexes word forms (0010_word_forms.sql)."""

Column = tuple[str, int, int]
"""A column's declared type (upper case), NOT NULL flag and position in the primary key."""


class TableShape(NamedTuple):
    columns: dict[str, Column]
    indexes: set[tuple[Any, ...]]
    foreign_keys: set[tuple[Any, ...]]


def _shape(path: Path) -> dict[str, TableShape]:
    """Tables, columns, indexes and foreign keys as SQLite reports them.

    FTS5 virtual tables and their shadow tables exist only in SQL (models cannot declare
    them), so they are left out. SQLite names the indexes behind UNIQUE and PRIMARY KEY
    constraints by declaration order, so those are compared by their columns instead.
    """
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        virtual = [name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")]
        return {
            name: _table_shape(connection, name)
            for name, _ in rows
            if not any(name == v or name.startswith(f"{v}_") for v in virtual)
        }
    finally:
        connection.close()


def _table_shape(connection: sqlite3.Connection, table: str) -> TableShape:
    columns = {
        name: (declared.upper(), notnull, pk)
        for _, name, declared, notnull, _, pk in connection.execute(
            "SELECT * FROM pragma_table_info(?)", (table,)
        )
    }
    indexes = set()
    for _, name, unique, origin, partial in connection.execute(
        "SELECT * FROM pragma_index_list(?)", (table,)
    ):
        indexed = tuple(
            row[2]
            for row in connection.execute(
                "SELECT * FROM pragma_index_info(?) ORDER BY seqno", (name,)
            )
        )
        indexes.add((name if origin == "c" else origin, unique, indexed, partial))
    foreign_keys = {
        (source, parent, target, on_delete)
        for _, _, parent, source, target, _, on_delete, _ in connection.execute(
            "SELECT * FROM pragma_foreign_key_list(?)", (table,)
        )
    }
    return TableShape(columns, indexes, foreign_keys)


def _migrated_database(tmp_path: Path, target: int | None = None) -> Path:
    path = tmp_path / "board.sqlite3"
    migrate(path, tmp_path / "backups", target=target)
    return path


def _version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


def _set_version(path: Path, version: int) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA user_version = {int(version)}")
    finally:
        connection.close()


def test_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    migrated = _shape(_migrated_database(tmp_path))
    declared_path = tmp_path / "declared.sqlite3"
    engine = create_engine(f"sqlite:///{declared_path}")
    User.metadata.create_all(engine)  # every model shares this one MetaData
    engine.dispose()
    declared = _shape(declared_path)

    assert sorted(migrated) == sorted(declared)
    for table in declared:
        assert migrated[table].columns == declared[table].columns, table
        assert migrated[table].indexes == declared[table].indexes, table
        assert migrated[table].foreign_keys == declared[table].foreign_keys, table


def test_a_new_database_gets_the_codes_version(tmp_path: Path) -> None:
    applied = migrate(tmp_path / "board.sqlite3", tmp_path / "backups")

    assert [m.version for m in applied] == [m.version for m in migrations.available_migrations()]
    assert _version(tmp_path / "board.sqlite3") == code_version()
    assert not (tmp_path / "backups").exists()


FIRST_VERSION_ROWS: dict[str, dict[str, object]] = {
    "users": {
        "id": 7,
        "name": "old-timer",
        "password_hash": "hash",
        "role": "admin",
        "disabled": 0,
        "passkey": "pk",
        "feed_token": "feed",
        "created_at": 1000,
        "uploaded": 5,
        "downloaded": 6,
        "post_count": 1,
        "invite_quota": 2,
        "invited_by": None,
    },
    "categories": {"id": 3, "name": "General", "position": 1},
    "forums": {
        "id": 4,
        "category_id": 3,
        "name": "Chat",
        "description": "",
        "position": 1,
        "allows_releases": 0,
        "view_role": "guest",
        "topic_role": "user",
        "reply_role": "user",
        "download_role": "user",
        "topic_count": 1,
        "post_count": 1,
        "last_post_id": 11,
    },
    "topics": {
        "id": 10,
        "forum_id": 4,
        "author_id": 7,
        "title": "Hello",
        "created_at": 1000,
        "last_post_at": 1000,
        "last_post_id": 11,
        "post_count": 1,
        "pin": 0,
        "locked": 0,
    },
    "posts": {
        "id": 11,
        "topic_id": 10,
        "author_id": 7,
        "body": "First!",
        "body_html": "<p>First!</p>",
        "created_at": 1000,
        "edited_at": None,
        "edited_by": None,
    },
    "attachments": {"id": 12, "sha256": "ab" * 32, "size": 3, "created_at": 1000},
}
"""One row per table as version 1 defined them (table and column names are constants)."""


def _first_version_database(tmp_path: Path) -> Path:
    path = _migrated_database(tmp_path, target=1)
    connection = connect_sync(path)
    try:
        for table, row in FIRST_VERSION_ROWS.items():
            placeholders = ", ".join("?" * len(row))
            connection.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({placeholders})",
                tuple(row.values()),
            )
    finally:
        connection.close()
    return path


def _first_version_data(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows, reading only the columns that version 1 had."""
    connection = sqlite3.connect(path)
    try:
        return {
            table: connection.execute(f"SELECT {', '.join(row)} FROM {table}").fetchall()
            for table, row in FIRST_VERSION_ROWS.items()
        }
    finally:
        connection.close()


INSERTED = {table: [tuple(row.values())] for table, row in FIRST_VERSION_ROWS.items()}


def test_a_first_version_database_upgrades_keeping_its_data(tmp_path: Path) -> None:
    path = _first_version_database(tmp_path)

    applied = migrate(path, tmp_path / "backups")

    # every migration after the first, in order (numbers are handed out per change, so a
    # branch may have a gap until the changes before it are merged)
    later = [m.version for m in migrations.available_migrations() if m.version > 1]
    assert [m.version for m in applied] == later
    assert _version(path) == code_version()
    assert _first_version_data(path) == INSERTED


def test_the_word_forms_upgrade_reindexes_the_posts_and_releases_already_written(
    tmp_path: Path,
) -> None:
    path = _migrated_database(tmp_path, target=WORD_FORMS_VERSION - 1)
    connection = connect_sync(path)
    try:
        rows = {
            **FIRST_VERSION_ROWS,
            "topics": {**FIRST_VERSION_ROWS["topics"], "title": "Лучшие фильмы"},
            "posts": {
                **FIRST_VERSION_ROWS["posts"],
                "body": "Про собак и ёлки",
                "body_html": "Про собак и ёлки",
            },
        }
        for table, row in rows.items():
            placeholders = ", ".join("?" * len(row))
            connection.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({placeholders})",
                tuple(row.values()),
            )
        connection.execute(
            "INSERT INTO torrents (id, topic_id, attachment_id, uploader_id, name, total_size,"
            " file_count, files_json, piece_length, status, freeleech, created_at, seeders,"
            " leechers, completed) VALUES (20, 10, 12, 7, 'release', 1, 1, '[]', 16384,"
            " 'checked', 'none', 1000, 0, 0, 0)"
        )
    finally:
        connection.close()

    migrate(path, tmp_path / "backups")
    run_pending_repairs(path)  # the search index reads posts as text since 0017

    connection = connect_sync(path)
    try:
        for words in ("фильма", "собаки", "елка"):
            found = connection.execute(
                "SELECT rowid FROM post_search WHERE post_search MATCH ?", (fts_query(words),)
            ).fetchall()
            assert [row[0] for row in found] == [11], words
        released = connection.execute(
            "SELECT rowid FROM release_titles WHERE release_titles MATCH ?",
            (listing_query("фильма"),),
        ).fetchall()
        assert [row[0] for row in released] == [20]
        connection.execute(
            "INSERT INTO post_search (post_search, rank) VALUES ('integrity-check', 1)"
        )
    finally:
        connection.close()


def test_an_upgrade_leaves_a_copy_of_the_old_database_in_backups(tmp_path: Path) -> None:
    path = _first_version_database(tmp_path)

    migrate(path, tmp_path / "backups")

    [copy] = (tmp_path / "backups").iterdir()
    assert _version(copy) == 1
    assert _first_version_data(copy) == INSERTED


def test_a_failing_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _migrated_database(tmp_path)
    broken_dir = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, broken_dir)
    (broken_dir / f"{code_version() + 1:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    )
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", broken_dir)
    version_before = _version(path)

    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        migrate(path, tmp_path / "backups")

    assert _version(path) == version_before
    assert "half_done" not in _shape(path)


def test_a_database_newer_than_the_code_is_refused_by_migrate(tmp_path: Path) -> None:
    path = _migrated_database(tmp_path)
    _set_version(path, code_version() + 1)

    with pytest.raises(DatabaseTooNew, match="upgrade TinyPier"):
        migrate(path, tmp_path / "backups")

    assert _version(path) == code_version() + 1
    assert not (tmp_path / "backups").exists()


def test_a_database_newer_than_the_code_is_refused_by_the_command(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    migrate(settings.database_path, settings.backups_dir)
    _set_version(settings.database_path, code_version() + 1)

    result = run_cli(settings.data_dir, "migrate")

    assert result.exit_code != 0
    assert "upgrade TinyPier" in result.output


def test_a_database_newer_than_the_code_is_refused_by_the_app(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    migrate(settings.database_path, settings.backups_dir)
    _set_version(settings.database_path, code_version() + 1)

    with pytest.raises(DatabaseTooNew):
        create_app(settings)


DANGLING_SESSION = (
    "INSERT INTO sessions (id, user_id, created_at, expires_at, data) VALUES ('s', 999, 0, 0, '{}')"
)


def test_blocking_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    connection = connect_sync(_migrated_database(tmp_path))
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            connection.execute(DANGLING_SESSION)
    finally:
        connection.close()


async def test_app_connections_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = Database(_migrated_database(tmp_path))
    await database.open()
    try:
        assert await database.fetch_value("PRAGMA journal_mode") == "wal"
        assert await database.fetch_value("PRAGMA foreign_keys") == 1
        async with database.transaction() as writer:
            cursor = await writer.execute("PRAGMA foreign_keys")
            assert tuple(await cursor.fetchone() or ()) == (1,)
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            await database.execute(DANGLING_SESSION)
    finally:
        await database.close()
