"""The ``tinypier`` command: serve the board and administer it from a shell."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tinypier import site_settings
from tinypier.accounts import administration
from tinypier.accounts import queries as accounts
from tinypier.accounts.names import name_problem
from tinypier.accounts.passwords import password_problem
from tinypier.accounts.roles import MEMBER_ROLES, Role
from tinypier.datadir import Upgrade, is_new, prepare_data_dir, upgrade_database
from tinypier.db.backup import BackupError, backup_board
from tinypier.db.check import check_board, format_report
from tinypier.db.connection import Database, connect_sync
from tinypier.db.migrations import DatabaseTooNew, code_version
from tinypier.demo.shape import (
    MAX_MEMBERS,
    MAX_TOPICS,
    MIN_MEMBERS,
    MIN_TOPICS,
    DemoReport,
    DemoSize,
)
from tinypier.forum.moderation_log import SHELL
from tinypier.i18n import Audience, _, speaking_to
from tinypier.importers.torrentpier.batches import Progress
from tinypier.provisioning import ProvisionedForum, provision_forum, provision_member
from tinypier.repair import REPAIRS, Repair
from tinypier.repair.pending import run_repair
from tinypier.settings import Settings, SettingsError, listening_url, load_settings
from tinypier.tracker.build import tracker_build
from tinypier.tracker.creditlog import CreditLogMismatch

T = TypeVar("T")
ROLE_NAMES = [role.label for role in MEMBER_ROLES]


def _settings(context: click.Context) -> Settings:
    settings: Settings = context.obj
    return settings


def _with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run one piece of async work against a prepared, migrated database."""
    try:
        prepare_data_dir(settings)
    except DatabaseTooNew as error:
        raise click.ClickException(str(error)) from None

    async def run() -> T:
        database = Database(settings.database_path)
        await database.open()
        try:
            return await work(database)
        finally:
            await database.close()

    return asyncio.run(run())


@click.group()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="TINYPIER_DATA_DIR",
    help="The board's data directory (default: the platform's user data dir).",
)
@click.version_option(
    package_name="tinypier",
    message=f"%(prog)s, version %(version)s (tracker: {tracker_build()})",
)
@click.pass_context
def main(context: click.Context, data_dir: Path | None) -> None:
    """TinyPier: a forum and private BitTorrent tracker in one process."""
    try:
        context.obj = load_settings(data_dir)
    except SettingsError as error:
        raise click.ClickException(f"invalid setting: {error}") from None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def serve(context: click.Context, host: str, port: int) -> None:
    """Serve the forum and the tracker (one process, one worker)."""
    from tinypier.app import create_app
    from tinypier.server import run

    try:
        settings = load_settings(
            _settings(context).data_dir, defaults={"base_url": listening_url(host, port)}
        )
    except SettingsError as error:
        raise click.ClickException(f"invalid setting: {error}") from None
    first_start = is_new(settings)
    try:
        app = create_app(settings)
    except (DatabaseTooNew, CreditLogMismatch) as error:
        raise click.ClickException(str(error)) from None
    if first_start:
        click.echo(f"Created a new board in {settings.data_dir}")
        click.echo("Create the first admin with:")
        command = f"tinypier --data-dir {settings.data_dir} user create NAME"
        click.echo(f"  {command} --role admin --password-stdin")
    click.echo(f"Serving {settings.site_name} on http://{host}:{port}")
    click.echo(f"Members reach it at {settings.base_url} (base_url)")
    run(app, host, port)


@main.command("migrate")
@click.pass_context
def migrate_command(context: click.Context) -> None:
    """Apply pending schema migrations (the database is copied aside first)."""
    settings = _settings(context)
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    upgrade = _upgrade(settings)
    for migration in upgrade.migrations:
        click.echo(f"applied {migration.name}")
    for report in upgrade.repairs:
        click.echo(f"repaired {report.describe()}")
    click.echo(f"schema version {code_version()}")


def _upgrade(settings: Settings) -> Upgrade:
    try:
        return upgrade_database(settings)
    except DatabaseTooNew as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.argument("destination", type=click.Path(path_type=Path))
@click.pass_context
def backup(context: click.Context, destination: Path) -> None:
    """Back up the board to DESTINATION, even while it is served.

    DESTINATION must be new or empty. The copy is a complete data directory: restore by
    serving it with --data-dir DESTINATION.
    """
    settings = _settings(context)
    try:
        summary = backup_board(settings, destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"backed up {settings.data_dir} to {destination}: database "
        f"{summary.database_bytes} bytes, {summary.attachment_files} attachment file(s)"
    )
    if summary.missing_attachments:
        raise click.ClickException(
            f"{len(summary.missing_attachments)} attachment file(s) the database references"
            f" are missing from {settings.attachments_dir}: run `tinypier check` on the board"
        )
    click.echo(f"restore by serving the copy: tinypier --data-dir {destination} serve")


@main.command()
@click.pass_context
def check(context: click.Context) -> None:
    """Check the database, attachments and credit log (exit 1 on problems).

    SQLite integrity and foreign keys, the schema version, that every attachment file
    is present with the content its SHA-256 names, and that the tracker's credit log file
    is sound and this board's. Every problem found is listed.
    """
    settings = _settings(context)
    report = check_board(settings)
    click.echo(format_report(settings, report))
    if not report.ok:
        context.exit(1)


@main.group()
def user() -> None:
    """Create and manage members."""


def _read_password_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    return password


@user.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLE_NAMES), default="user", show_default=True)
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from stdin.")
@click.option(
    "--if-missing",
    is_flag=True,
    help="If a member has this name, print them (unchanged, no new token) and exit 0.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the member as JSON.")
@click.pass_context
def user_create(
    context: click.Context,
    name: str,
    role: str,
    password_stdin: bool,
    if_missing: bool,
    as_json: bool,
) -> None:
    """Create a member (the first admin, usually)."""
    problem = name_problem(name)
    if problem:
        raise click.ClickException(problem)
    password = _read_password_stdin()
    settings = _settings(context)

    async def create(db: Database) -> dict[str, Any]:
        invite_quota = (await site_settings.in_effect(db, settings)).invite_quota
        member = await provision_member(
            db,
            name,
            password,
            Role.parse(role),
            invite_quota=invite_quota,
            if_missing=if_missing,
        )
        token = None
        if member.created:
            token = await accounts.create_api_token(
                db, member.id, "created by tinypier user create"
            )
        return {**dataclasses.asdict(member), "api_token": token}

    try:
        member = _with_database(settings, create)
    except accounts.NameTaken:
        raise click.ClickException(f"the name {name!r} is taken") from None
    if as_json:
        click.echo(json.dumps(member))
    elif member["created"]:
        click.echo(f"created {member['role']} {member['name']} (id {member['id']})")
        click.echo(f"API token (shown once): {member['api_token']}")
    else:
        click.echo(f"{member['role']} {member['name']} (id {member['id']}) exists, left unchanged")


async def _require_user(db: Database, name: str) -> sqlite3.Row:
    row = await accounts.find_user_by_name(db, name)
    if row is None:
        raise click.ClickException(f"no member named {name!r}")
    return row


@user.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLE_NAMES))
@click.pass_context
def user_set_role(context: click.Context, name: str, role: str) -> None:
    """Change a member's role."""

    async def change(db: Database) -> None:
        target = await _require_user(db, name)
        await administration.change_role(db, SHELL, target, Role.parse(role))

    _with_database(_settings(context), change)
    click.echo(f"{name} is now {role}")


@user.command("disable")
@click.argument("name")
@click.pass_context
def user_disable(context: click.Context, name: str) -> None:
    """Disable a member: sessions, API tokens and the passkey stop working."""

    async def disable(db: Database) -> None:
        await administration.change_disabled(db, SHELL, await _require_user(db, name), True)

    _with_database(_settings(context), disable)
    click.echo(f"{name} is disabled")


@main.group()
def forum() -> None:
    """Provision categories and forums (for scripts and Docker setups)."""


@forum.command("create")
@click.argument("name")
@click.option("--category", required=True, help="Created if it does not exist.")
@click.option("--releases", is_flag=True, help="The forum holds torrent releases.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def forum_create(
    context: click.Context, name: str, category: str, releases: bool, as_json: bool
) -> None:
    """Create a forum in a category; if one of that name is there, print its id."""

    async def create(db: Database) -> ProvisionedForum:
        return await provision_forum(db, category, name, allows_releases=releases)

    forum = _with_database(_settings(context), create)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(forum)))
    elif forum.created:
        click.echo(f"created forum {name!r} (id {forum.id}) in {category!r}")
    else:
        click.echo(f"forum {name!r} (id {forum.id}) exists in {category!r}, left unchanged")


@main.command()
@click.option(
    "--seed", type=int, default=1, show_default=True, help="The same seed, the same board."
)
@click.option(
    "--members",
    type=click.IntRange(MIN_MEMBERS, MAX_MEMBERS),
    default=DemoSize.members,
    show_default=True,
    help="Members, the admin and the moderators included.",
)
@click.option(
    "--topics",
    type=click.IntRange(MIN_TOPICS, MAX_TOPICS),
    default=DemoSize.topics,
    show_default=True,
    help="Topics; one in three is a release with a real .torrent file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was made as JSON.")
@click.pass_context
def demo(context: click.Context, seed: int, members: int, topics: int, as_json: bool) -> None:
    """Fill an EMPTY board with a demo: members, forums, topics, releases and swarms.

    For trying TinyPier and for benchmarks. Everything goes through the board's own code,
    so counters, the search index and `tinypier check` are right afterwards. A board that
    already has members or forums is refused: use a new --data-dir.
    """
    from tinypier.demo.board import BoardNotEmpty, fill_demo_board

    settings = _settings(context)
    size = DemoSize(members=members, topics=topics)
    try:
        report = _with_database(settings, lambda db: fill_demo_board(db, settings, size, seed))
    except BoardNotEmpty as error:
        raise click.ClickException(
            f"{error} in {settings.data_dir}: a demo fills an empty board only;"
            " give a new --data-dir"
        ) from None
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        _print_demo_report(settings, report)


def _print_demo_report(settings: Settings, report: DemoReport) -> None:
    click.echo(f"filled {settings.data_dir} with a demo board:")
    click.echo(
        f"  {report.members} members, {report.categories} categories, {report.forums} forums,"
        f" {report.topics} topics, {report.posts} posts"
    )
    click.echo(
        f"  {report.releases} releases: {report.seeders} seeders, {report.leechers} leechers,"
        f" {report.snatches} snatches"
    )
    click.echo(f"log in as {report.admin} with the password {report.admin_password}")
    moderators = ", ".join(report.moderators)
    click.echo(
        f"every other member (moderators: {moderators}) has the password {report.member_password}"
    )


@main.group()
def repair() -> None:
    """Recompute what the database derives: post HTML, counters, the search index.

    Each repair is idempotent and safe while the board is served; one cut short resumes
    where it stopped when run again (or at the next start).
    """


def _add_repair_command(chosen: Repair) -> None:
    @repair.command(chosen.name, help=chosen.why)
    @click.pass_context
    def run(context: click.Context) -> None:
        settings = _settings(context)
        if is_new(settings):
            raise click.ClickException(f"no board in {settings.data_dir}: nothing to repair")
        upgrade = _upgrade(settings)
        for report in upgrade.repairs:
            click.echo(f"repaired {report.describe()} (requested by an upgrade)")
        if any(report.name == chosen.name for report in upgrade.repairs):
            return  # the upgrade just finished this very repair
        connection = connect_sync(settings.database_path)
        try:
            click.echo(f"repaired {run_repair(connection, chosen.name).describe()}")
        finally:
            connection.close()


for _repair in REPAIRS.values():
    _add_repair_command(_repair)


class _TerminalProgress(Progress):
    """A progress bar per step on stderr (so ``--json`` output stays clean); click draws
    it only on a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, label: str, total: int) -> None:
        self.finish()
        if not sys.stderr.isatty():
            return
        self._bar = click.progressbar(
            length=max(total, 1), label=label.ljust(14), file=sys.stderr, show_pos=True
        )
        self._bar.__enter__()

    def advance(self, steps: int) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@main.command("import-torrentpier")
@click.argument(
    "dump", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--mysql", "mysql_url", help="Read a live database: mysql://user:pass@host/db.")
@click.option(
    "--files",
    "board_root",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The TorrentPier board's root folder (its .torrent files are read from it).",
)
@click.option(
    "--avatars",
    "avatars",
    type=click.Path(exists=True, file_okay=False, resolve_path=True, path_type=Path),
    help="The member avatar folder, if not where the board's config files put it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def import_torrentpier(
    context: click.Context,
    dump: Path | None,
    mysql_url: str | None,
    board_root: Path,
    avatars: Path | None,
    as_json: bool,
) -> None:
    """Import a TorrentPier board (2.0 to 3.0) into an EMPTY data directory.

    DUMP is a mysqldump or phpMyAdmin file (.sql or .sql.gz); or give --mysql. Member,
    forum, topic and post ids, passkeys and password hashes are kept. An import cut short
    (a crash, kill -9) finishes when the same command is run again.
    """
    from tinypier.importers.torrentpier.dump import DumpError
    from tinypier.importers.torrentpier.importer import ImportRefused, Source, import_board
    from tinypier.importers.torrentpier.source import dump_items, server_items

    if (dump is None) == (mysql_url is None):
        raise click.ClickException(_("give either a DUMP file or --mysql URL"))
    settings = _settings(context)
    progress = _TerminalProgress()
    if dump is not None:
        source = Source(
            str(dump.resolve()), dump_items(dump, progress.advance), dump.stat().st_size
        )
    else:
        source = Source("mysql", server_items(mysql_url or ""))
    try:
        prepare_data_dir(settings)
        report = import_board(settings, source, board_root, progress, avatars)
    except (ImportRefused, DumpError, DatabaseTooNew) as error:
        progress.finish()
        raise click.ClickException(str(error)) from None
    progress.finish()
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    with speaking_to(Audience(settings.default_language, "UTC")):
        click.echo("\n".join(report.lines()))
