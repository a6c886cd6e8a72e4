"""The data directory: the database, the attachments and the secret key. It IS the backup."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from tinypier.db.connection import connect_sync
from tinypier.db.migrations import Migration, migrate
from tinypier.repair import RepairReport
from tinypier.repair.pending import run_pending_repairs
from tinypier.settings import Settings
from tinypier.tracker.creditlog import refuse_foreign_log_file

SECRET_KEY_BYTES = 32


def read_or_create_secret_key(settings: Settings) -> bytes:
    """The key that signs CSRF tokens; created once, readable by the owner only (0600)."""
    path = settings.secret_key_path
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    key = secrets.token_bytes(SECRET_KEY_BYTES)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key.hex())
    return key


def is_new(settings: Settings) -> bool:
    return not settings.database_path.exists()


@dataclass(frozen=True)
class Upgrade:
    migrations: list[Migration]
    repairs: list[RepairReport]


def upgrade_database(settings: Settings) -> Upgrade:
    """Apply pending migrations, then the repairs they requested (``pending_repairs``),
    including any a crash cut short: the board is served only once both are done."""
    migrations = migrate(settings.database_path, settings.backups_dir)
    return Upgrade(migrations, run_pending_repairs(settings.database_path))


def prepare_data_dir(settings: Settings) -> bytes:
    """Create what is missing, upgrade the database, and return the secret key."""
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    settings.attachments_dir.mkdir(exist_ok=True, mode=0o700)
    key = read_or_create_secret_key(settings)
    upgrade_database(settings)
    return key


def check_credit_log(settings: Settings) -> None:
    """Refuse to serve a board beside a credit-log file that is not its own, or newer
    than its database (:class:`tinypier.tracker.creditlog.CreditLogMismatch`), before
    anything is folded: the tracker would credit the wrong tables."""
    connection = connect_sync(settings.database_path)
    try:
        refuse_foreign_log_file(connection, settings.credit_log_path)
    finally:
        connection.close()
