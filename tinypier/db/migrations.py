"""Schema versions, kept in SQLite's ``user_version`` and upgraded by numbered SQL files.

A file ``NNNN_name.sql`` in ``migrations/`` takes the database to version NNNN. Upgrades
run at ``serve`` and by ``tinypier migrate``; each copies the database aside first, runs
in one transaction, and a database newer than this code is refused rather than touched.

A migration can also request a repair (``tinypier.repair``: re-render posts, recount
counters, rebuild the search index) when it changes how stored data is derived: its SQL
inserts the repair's name into ``pending_repairs``, so the request commits with the
migration. ``tinypier.datadir.upgrade_database`` runs the requested repairs right after
``migrate``, before the board is served, and a request is deleted only once its repair
has finished, so an upgrade cut short resumes at the next start. This module only runs
SQL; it knows no repair.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from tinypier.db.connection import connect_sync

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer TinyPier; running older code on it is unsafe."""


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path

    @property
    def name(self) -> str:
        return self.path.stem


def available_migrations() -> list[Migration]:
    migrations = []
    for path in MIGRATIONS_DIR.iterdir():
        match = _FILE_NAME.match(path.name)
        if match:
            migrations.append(Migration(int(match.group(1)), path))
    migrations.sort(key=lambda m: m.version)
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migration files share a version: {versions}")
    return migrations


def code_version() -> int:
    return max(m.version for m in available_migrations())


def database_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def backup_database(connection: sqlite3.Connection, destination: Path) -> None:
    """A consistent copy through SQLite's online backup API, safe while others write."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(destination)
    try:
        connection.backup(target)
    finally:
        target.close()


def apply_migration(connection: sqlite3.Connection, migration: Migration) -> None:
    script = migration.path.read_text(encoding="utf-8")
    try:
        connection.executescript(
            f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {migration.version};\nCOMMIT;"
        )
    except sqlite3.Error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def migrate(database_path: Path, backups_dir: Path, target: int | None = None) -> list[Migration]:
    """Bring the database up to ``target`` (default: this code's version).

    Returns the migrations applied. An existing database with data is backed up to
    ``backups_dir`` before the first change.
    """
    migrations = available_migrations()
    newest = max(m.version for m in migrations)
    target = newest if target is None else target
    connection = connect_sync(database_path)
    try:
        current = database_version(connection)
        if current > newest:
            raise DatabaseTooNew(
                f"{database_path} has schema version {current}, but this TinyPier only "
                f"knows up to version {newest}: upgrade TinyPier first."
            )
        pending = [m for m in migrations if current < m.version <= target]
        if pending and current > 0:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup_database(
                connection, backups_dir / f"before-v{target}-from-v{current}-{stamp}.sqlite3"
            )
        for migration in pending:
            apply_migration(connection, migration)
        return pending
    finally:
        connection.close()
