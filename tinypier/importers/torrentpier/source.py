"""Where the TorrentPier tables come from: a dump file, or a live MariaDB/MySQL server."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tinypier.importers.torrentpier.dump import (
    DumpError,
    Rows,
    Table,
    Value,
    parse_create,
    read_dump,
)
from tinypier.importers.torrentpier.staging import WANTED_TABLES

SERVER_BATCH_ROWS = 5_000


def dump_items(path: Path, on_read: Callable[[int], None] | None = None) -> Iterator[Table | Rows]:
    return read_dump(path, lambda name: name in WANTED_TABLES, on_read)


def server_items(url: str) -> Iterator[Table | Rows]:
    """Every table's definition and the wanted tables' rows, read unbuffered from a
    server (``mysql://user:password@host:port/database`` or ``?unix_socket=/path``)."""
    import pymysql
    import pymysql.cursors

    parts = urlsplit(url)
    if parts.scheme not in ("mysql", "mariadb") or not parts.path.strip("/"):
        raise DumpError("--mysql takes mysql://user:password@host[:port]/database")
    options = dict(pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair)
    connection = pymysql.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 3306,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        database=unquote(parts.path.strip("/")),
        unix_socket=options.get("unix_socket"),
        charset="utf8mb4",
        cursorclass=pymysql.cursors.SSCursor,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW TABLES")
            names = sorted(str(row[0]) for row in cursor.fetchall())
        for name in names:
            with connection.cursor() as cursor:
                cursor.execute(f"SHOW CREATE TABLE `{name}`")
                created = cursor.fetchone()
            table = parse_create(str(created[1]).encode()) if created else None
            if table is None:
                continue
            yield table
            if name in WANTED_TABLES:
                yield from _server_rows(connection, table)
    finally:
        connection.close()


def _server_rows(connection: object, table: Table) -> Iterator[Rows]:
    columns = ", ".join(f"`{column.name}`" for column in table.columns)
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"SELECT {columns} FROM `{table.name}`")  # noqa: S608
        while batch := cursor.fetchmany(SERVER_BATCH_ROWS):
            yield Rows(table, [tuple(_plain(value) for value in row) for row in batch])


def _plain(value: object) -> Value:
    """A server value as the dump reader gives it (a timestamp as MySQL prints it)."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else str(value)
    if isinstance(value, bytearray):
        return bytes(value)
    if value is None or isinstance(value, int | float | str | bytes):
        return value
    return str(value)
