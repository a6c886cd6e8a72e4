"""``tinypier check``: is this data directory a healthy board?

Run after restoring a backup, after a crash, or before an upgrade. Every check runs even
when an earlier one fails, so one report lists everything that needs fixing. It only
reads, so checking a board is safe while it is being served.

A problem means data the board relies on is missing or wrong (exit 1). A warning means
something is left over that nothing relies on, such as the file of an upload a crash
interrupted: the board is healthy, and the warning says how to tidy up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from tinypier.attachments import (
    attachment_path,
    file_sha256,
    is_stored_attachment,
    temporary_uploads,
)
from tinypier.db.connection import connect_sync
from tinypier.db.migrations import code_version, database_version
from tinypier.settings import Settings
from tinypier.tracker.creditlog import CreditLogMismatch, read_only_uri, refuse_foreign_log_file


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: str
    problems: list[str]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckReport:
    results: list[CheckResult]

    @property
    def problems(self) -> list[str]:
        return [problem for result in self.results for problem in result.problems]

    @property
    def warnings(self) -> list[str]:
        return [warning for result in self.results for warning in result.warnings]

    @property
    def ok(self) -> bool:
        """Warnings do not count: they name leftovers, never missing or damaged data."""
        return not self.problems


def check_board(settings: Settings) -> CheckReport:
    if not settings.database_path.is_file():
        missing = CheckResult("database", "", [f"no database at {settings.database_path}"])
        return CheckReport([missing])
    connection = connect_sync(settings.database_path)
    try:
        return CheckReport(
            [_run(name, check, warns, connection, settings) for name, check, warns in _CHECKS]
        )
    finally:
        connection.close()


def format_report(settings: Settings, report: CheckReport) -> str:
    lines = [f"Checking the board in {settings.data_dir}"]
    for result in report.results:
        if result.problems:
            lines.append(f"  FAIL  {result.name}")
            lines.extend(f"        - {problem}" for problem in result.problems)
        elif result.warnings:
            lines.append(f"  WARN  {result.name}")
            lines.extend(f"        - {warning}" for warning in result.warnings)
        else:
            lines.append(f"  ok    {result.name}: {result.passed}")
    count = len(report.problems)
    lines.append("No problems found." if report.ok else f"{count} problem(s) found.")
    if report.warnings:
        lines.append(f"{len(report.warnings)} warning(s): leftovers nothing relies on.")
    return "\n".join(lines)


Finding = tuple[str, list[str]]
"""What a clean result means, in words; and the problems found."""

Check = Callable[[sqlite3.Connection, Settings], Finding]


def _run(
    name: str, check: Check, warns: bool, connection: sqlite3.Connection, settings: Settings
) -> CheckResult:
    """A database too damaged to answer is a finding, not a crash of the checker.
    ``warns``: the check finds leftovers, reported as warnings rather than problems."""
    try:
        passed, findings = check(connection, settings)
    except sqlite3.DatabaseError as error:
        return CheckResult(name, "", [f"the database could not be read: {error}"])
    if warns:
        return CheckResult(name, passed, [], findings)
    return CheckResult(name, passed, findings)


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
    row commits: such a file is an upload in flight, or one a crash interrupted (never
    acknowledged), or a deletion that stopped before removing its file. Nothing relies on
    any of them, so they are warnings with a remedy, not failures."""
    directory = settings.attachments_dir
    temporary = set(temporary_uploads(directory))
    files = sorted(path for path in directory.rglob("*") if path.is_file())
    referenced = {row[0] for row in connection.execute("SELECT sha256 FROM attachments")}
    leftovers = [
        f"{path}: {_LEFTOVER_TEMPORARY if path in temporary else _LEFTOVER_FILE}"
        for path in files
        if not (is_stored_attachment(directory, path) and path.name in referenced)
    ]
    return "every file belongs to an attachment", leftovers


def _credit_log(connection: sqlite3.Connection, settings: Settings) -> Finding:
    """The tracker's credit log file: sound, this board's, and not newer than the
    database (a database restored without its log file). Its rows are announces already
    answered, so a log the board refuses is a problem, never a leftover."""
    path = settings.credit_log_path
    if database_version(connection) != code_version():
        return "not checked until the database is at this TinyPier's version", []
    try:
        waiting = refuse_foreign_log_file(connection, path)
    except CreditLogMismatch as error:
        return "", [str(error)]
    if not path.is_file():
        return "none yet: the tracker makes it when it starts", []
    log_file = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        messages = [row[0] for row in log_file.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        messages = [f"cannot be read: {error}"]
    finally:
        log_file.close()
    if messages != ["ok"]:
        return "", [f"{path}: {message}" for message in messages]
    return f"this board's, sound, {waiting} answered announce(s) waiting to be folded", []


_LEFTOVER_TEMPORARY = (
    "an upload still being written, or one a crash interrupted before it was stored;"
    " `tinypier serve` removes such files when it starts"
)
_LEFTOVER_FILE = (
    "no attachment refers to this file (a deletion or an upload stopped half-way);"
    " nothing uses it: remove it while the board is stopped"
)


# Each check's name, the check, and whether what it finds are warnings (leftovers that
# nothing relies on) rather than problems.
_CHECKS: tuple[tuple[str, Check, bool], ...] = (
    ("integrity", _integrity, False),
    ("foreign keys", _foreign_keys, False),
    ("schema version", _schema_version, False),
    ("attachments", _attachments, False),
    ("unreferenced files", _unreferenced_files, True),
    ("credit log", _credit_log, False),
)
