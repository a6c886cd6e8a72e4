"""The credit log file belongs to one board, at one point of its history.

Its rows are announces already answered, credited to ids of the board that wrote them. A
log file beside the wrong database (another board's, or an older copy of this one) is
refused before anything is folded, with the remedy in the message, and ``tinypier check``
reports it; nothing is changed either way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.runner import run_cli
from tests.helpers import add_member
from tests.tracker.conftest import UNCAPPED_RATES, copy_database, serve
from tests.tracker.wire import announce, fetch_unfolded, peer_id, register_torrent
from tinypier.app import create_app
from tinypier.db.check import CheckResult, check_board
from tinypier.db.connection import connect_sync
from tinypier.db.migrations import migrate
from tinypier.settings import Settings, load_settings
from tinypier.tracker.creditlog import CreditLogMismatch, log_file_connection
from tinypier.tracker.store import fold_all, fold_pending

MB = 1 << 20
NORMAL, FULL = 1, 2
"""``PRAGMA synchronous`` values."""
LOG_FILE_PARTS = ("", "-wal", "-shm")


def new_board(path: Path) -> Settings:
    settings = load_settings(path, environ={}, **UNCAPPED_RATES)
    settings.data_dir.mkdir()
    migrate(settings.database_path, settings.backups_dir)
    return settings


def board_id(settings: Settings) -> str:
    [(identity,)] = fetch_unfolded(settings, "SELECT board_id FROM credit_fold_marks")
    return str(identity)


def file_bytes(path: Path) -> dict[str, bytes]:
    return {
        part: Path(f"{path}{part}").read_bytes()
        for part in LOG_FILE_PARTS
        if Path(f"{path}{part}").exists()
    }


def move_log_file(settings: Settings, directory: Path) -> None:
    directory.mkdir()
    for part in LOG_FILE_PARTS:
        if Path(f"{settings.credit_log_path}{part}").exists():
            shutil.move(f"{settings.credit_log_path}{part}", directory)


def users_downloaded(settings: Settings) -> list[tuple[str, int]]:
    return [
        (str(name), int(amount))
        for name, amount in fetch_unfolded(
            settings, "SELECT name, downloaded FROM users ORDER BY name"
        )
    ]


def credit_log_check(settings: Settings) -> CheckResult:
    """The check's finding on the log alone: the releases these tests register by SQL
    have no .torrent files, which the attachments check rightly reports."""
    [result] = [result for result in check_board(settings).results if result.name == "credit log"]
    return result


def test_every_board_gets_an_id_of_its_own(tmp_path: Path) -> None:
    first, second = new_board(tmp_path / "first"), new_board(tmp_path / "second")
    assert len(board_id(first)) == 32
    assert board_id(first) != board_id(second)


def test_a_log_file_of_another_board_is_refused_and_left_as_it_was(
    quiet_settings: Settings, tmp_path: Path
) -> None:
    """Its rows name another board's members and releases: folded here, they would credit
    whoever holds those ids."""
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        release = register_torrent(quiet_settings, alice.id, "theirs")
        announce(client, alice.passkey, release.key, peer_id(), downloaded=MB, left=1)
        # the board stops with its row unfolded, as a crash would leave it
        copy_database(quiet_settings.credit_log_path, tmp_path / "crashed-log.sqlite3")
    other = new_board(tmp_path / "other")
    add_member(other, "bob")
    copy_database(tmp_path / "crashed-log.sqlite3", other.credit_log_path)
    log_before, users_before = file_bytes(other.credit_log_path), users_downloaded(other)

    with pytest.raises(CreditLogMismatch, match="belongs to another board") as refused:
        create_app(other)
    assert board_id(quiet_settings) in str(refused.value)
    assert "1 announce(s)" in str(refused.value)
    with pytest.raises(CreditLogMismatch, match="belongs to another board"):
        fold_pending(other)

    assert file_bytes(other.credit_log_path) == log_before
    assert users_downloaded(other) == users_before
    result = run_cli(other.data_dir, "check")
    assert result.exit_code == 1
    assert "FAIL  credit log" in result.output
    assert "belongs to another board" in result.output
    assert "FAIL  attachments" not in result.output
    served = run_cli(other.data_dir, "serve", "--port", "1")
    assert served.exit_code == 1
    assert "Error: the credit log file belongs to another board" in served.output


def test_a_database_restored_without_its_log_file_is_refused_until_the_log_is_moved_away(
    quiet_settings: Settings, tmp_path: Path
) -> None:
    """The log was trimmed past what the restored database folded: those credits went
    into the database that was replaced. Moving the log away is the admin's call."""
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        release = register_torrent(quiet_settings, alice.id, "restored")
        copy_database(quiet_settings.database_path, tmp_path / "older.sqlite3")
        announce(client, alice.passkey, release.key, peer_id(), downloaded=MB, left=1)
    assert users_downloaded(quiet_settings) == [("alice", MB)]
    copy_database(tmp_path / "older.sqlite3", quiet_settings.database_path)

    with pytest.raises(CreditLogMismatch, match="older than its credit log file") as refused:
        create_app(quiet_settings)
    assert "trimmed through row 1, the database folded only through row 0" in str(refused.value)
    assert "dropping the 0 announce(s)" in str(refused.value)
    [problem] = credit_log_check(quiet_settings).problems
    assert "restored from a backup without its credit log" in problem
    assert users_downloaded(quiet_settings) == [("alice", 0)]

    move_log_file(quiet_settings, tmp_path / "aside")
    with serve(quiet_settings) as client:
        announce(client, alice.passkey, release.key, peer_id(), downloaded=2 * MB, left=1)
    assert users_downloaded(quiet_settings) == [("alice", 2 * MB)]
    assert credit_log_check(quiet_settings).problems == []


def test_check_reports_the_announces_waiting_in_this_boards_log(
    quiet_settings: Settings,
) -> None:
    with serve(quiet_settings) as client:
        alice = add_member(quiet_settings, "alice")
        release = register_torrent(quiet_settings, alice.id, "waiting")
        announce(client, alice.passkey, release.key, peer_id(), downloaded=MB, left=1)
        result = credit_log_check(quiet_settings)
    assert result.problems == []
    assert result.passed == "this board's, sound, 1 answered announce(s) waiting to be folded"


def test_check_reports_a_damaged_log_file(quiet_settings: Settings) -> None:
    with serve(quiet_settings):
        pass
    for part in LOG_FILE_PARTS[1:]:
        Path(f"{quiet_settings.credit_log_path}{part}").unlink(missing_ok=True)
    quiet_settings.credit_log_path.write_bytes(b"not a database at all" * 100)

    [problem] = credit_log_check(quiet_settings).problems

    assert "credit log file" in problem
    assert "cannot be read" in problem


def test_a_fold_is_synced_to_disk_before_the_log_records_its_trim(
    quiet_settings: Settings,
) -> None:
    """A power loss could otherwise keep the log's trim (and its marks) and lose the
    fold, leaving a log the board refuses; the other connections only survive a kill."""
    with serve(quiet_settings):
        pass
    main = connect_sync(quiet_settings.database_path)
    log_file = log_file_connection(quiet_settings.credit_log_path)
    try:
        assert main.execute("PRAGMA main.synchronous").fetchone()[0] == NORMAL
        fold_all(main, log_file, quiet_settings.credit_log_path, 100)
        assert main.execute("PRAGMA main.synchronous").fetchone()[0] == FULL
        assert log_file.execute("PRAGMA synchronous").fetchone()[0] == NORMAL
    finally:
        log_file.close()
        main.close()
