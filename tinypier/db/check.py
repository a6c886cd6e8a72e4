"""``tinypier check``: is this data directory a healthy board?

Run after restoring a backup, after a crash, or before an upgrade. Every check runs even
when an earlier one fails, so one report lists everything that needs fixing. It only
reads, so checking a board is safe while it is being served.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from tinypier.attachments import attachment_path, file_sha256, is_stored_attachment
from tinypier.db.connection import connect_sync
from tinypier.db.migrations import code_version, database_version
from tinypier.settings import Settings


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: str
    problems: list[str]


@dataclass(frozen=True)
class CheckReport:
    results: list[CheckResult]

    @property
    def problems(self) -> list[str]:
        return [problem for result in self.results for problem in result.problems]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_board(settings: Settings) -> CheckReport:
    if not settings.database_path.is_file():
        missing = CheckResult("database", "", [f"no database at {settings.database_path}"])
        return CheckReport([missing])
    connection = connect_sync(settings.database_path)
    try:
        return CheckReport([_run(name, check, connection, settings) for name, check in _CHECKS])
    finally:
        connection.close()


def format_report(settings: Settings, report: CheckReport) -> str:
    lines = [f"Checking the board in {settings.data_dir}"]
    for result in report.results:
        if result.problems:
            lines.append(f"  FAIL  {result.name}")
            lines.extend(f"        - {problem}" for problem in result.problems)
        else:
            lines.append(f"  ok    {result.name}: {result.passed}")
    count = len(report.problems)
    lines.append("No problems found." if report.ok else f"{count} problem(s) found.")
    return "\n".join(lines)


Finding = tuple[str, list[str]]
"""What a clean result means, in words; and the problems found."""

Check = Callable[[sqlite3.Connection, Settings], Finding]


def _run(
    name: str, check: Check, connection: sqlite3.Connection, settings: Settings
) -> CheckResult:
    """A database too damaged to answer is a finding, not a crash of the checker."""
    try:
        passed, problems = check(connection, settings)
    except sqlite3.DatabaseError as error:
        return CheckResult(name, "", [f"the database could not be read: {error}"])
    return CheckResult(name, passed, problems)


def _integrity(connection: sqlite3.Connection, settings: Settings) -> Finding:
    messages = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return "SQLite finds every page, row and index sound", [] if messages == ["ok"] else messages


def _foreign_keys(connection: sqlite3.Connection, settings: Settings) -> Finding:
    problems = [
        f"{table} row {rowid} points at a missing row of {parent}"
        for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check")
    ]
    return "every reference points at an existing row", problems


def _schema_version(connection: sqlite3.Connection, settings: Settings) -> Finding:
    found, expected = database_version(connection), code_version()
    passed = f"version {found}, as this TinyPier expects"
    if found < expected:
        advice = "run `tinypier migrate`"
    elif found > expected:
        advice = "this TinyPier is older than the database: upgrade TinyPier"
    else:
        return passed, []
    return passed, [
        f"the database is at version {found}, this TinyPier expects {expected}: {advice}"
    ]


def _attachments(connection: sqlite3.Connection, settings: Settings) -> Finding:
    rows = connection.execute("SELECT id, sha256 FROM attachments ORDER BY id").fetchall()
    problems = [
        problem for row in rows if (problem := _attachment_problem(settings, row[0], row[1]))
    ]
    return f"{len(rows)} file(s) present and intact", problems


def _attachment_problem(settings: Settings, attachment_id: int, sha256: str) -> str | None:
    try:
        path = attachment_path(settings, sha256)
    except ValueError:
        return f"attachment {attachment_id} has an invalid sha256 {sha256!r}"
    if not path.is_file():
        return f"attachment {attachment_id}: file missing at {path}"
    if file_sha256(path) != sha256:
        return f"attachment {attachment_id}: {path} does not match its sha256 (corrupted)"
    return None


def _unreferenced_files(connection: sqlite3.Connection, settings: Settings) -> Finding:
    """Files are listed before the rows are read, and an upload writes its file before its
    row commits: only an upload still in flight while the check runs can show up here."""
    directory = settings.attachments_dir
    files = sorted(path for path in directory.rglob("*") if path.is_file())
    referenced = {row[0] for row in connection.execute("SELECT sha256 FROM attachments")}
    problems = [
        f"{path}: no attachment refers to this file (a deletion or an upload stopped half-way;"
        " safe to remove while the board is stopped)"
        for path in files
        if not (is_stored_attachment(directory, path) and path.name in referenced)
    ]
    return "every file belongs to an attachment", problems


_CHECKS: tuple[tuple[str, Check], ...] = (
    ("integrity", _integrity),
    ("foreign keys", _foreign_keys),
    ("schema version", _schema_version),
    ("attachments", _attachments),
    ("unreferenced files", _unreferenced_files),
)
