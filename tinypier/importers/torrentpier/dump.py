"""A streaming reader of MySQL dumps (mysqldump, phpMyAdmin; ``.sql`` or ``.sql.gz``).

A board's dump is often larger than the machine's memory, so it is read in chunks and
cut into statements; only one statement (one extended ``INSERT``, a megabyte or so as
mysqldump writes them) is held at a time. Statements other than ``CREATE TABLE`` and
``INSERT`` are skipped. Values are parsed by MySQL's rules: backslash escapes and ``''``
inside quotes, ``NULL``, numbers, ``0x`` hex, ``X'..'`` and ``_binary '...'``. The dump
is read as bytes and a value is decoded as UTF-8 only when its column is textual, so a
``VARBINARY`` info hash stays the 20 bytes it was.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK_BYTES = 1 << 20
MAX_STATEMENT_BYTES = 256 << 20
"""A statement longer than this is refused: no real dump writes one (mysqldump cuts an
extended INSERT at ``net_buffer_length``, 1 MiB by default), and a damaged file without
a closing quote must not make the reader swallow the rest of the disk."""

Value = int | float | str | bytes | None

_ESCAPES = {
    ord("0"): b"\0",
    ord("b"): b"\b",
    ord("n"): b"\n",
    ord("r"): b"\r",
    ord("t"): b"\t",
    ord("Z"): b"\x1a",
}
# The next byte that matters while looking for the end of a statement.
_SPECIAL = re.compile(rb"""[;'"`]|/\*|--(?=[ \t\r\n])|#""")
# A quoted string, unrolled so a long text is matched without backtracking.
_QUOTED = {
    q: re.compile(q + rb"[^" + q + rb"\\]*(?:(?:\\.|" + q + q + rb")[^" + q + rb"\\]*)*" + q, re.S)
    for q in (b"'", b'"', b"`")
}
_CREATE = re.compile(rb"\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?(\w+)`?\s*\(", re.I)
_INSERT = re.compile(
    rb"\s*(?:INSERT|REPLACE)(?:\s+(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE))*\s+(?:INTO\s+)?"
    rb"`?(\w+)`?\s*(?:\(([^)]*)\))?\s*VALUES\s*",
    re.I,
)
_TOKEN = re.compile(
    rb"""\s*(?:
      (?P<str>'[^'\\]*(?:(?:\\.|'')[^'\\]*)*')
    | _binary\s*(?P<bin>'[^'\\]*(?:(?:\\.|'')[^'\\]*)*')
    | 0x(?P<hex>[0-9A-Fa-f]*)
    | [xX]'(?P<xhex>[0-9A-Fa-f]*)'
    | (?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    | (?P<null>NULL)\b
    | (?P<punct>[(),;])
    )""",
    re.X | re.S | re.I,
)
_COLUMN = re.compile(rb"\s*`([^`]+)`\s+([A-Za-z]+)([^,]*)")
_BINARY_TYPES = frozenset({"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"})
_INTEGER_TYPES = frozenset({"tinyint", "smallint", "mediumint", "int", "integer", "bigint"})
_REAL_TYPES = frozenset({"float", "double", "decimal", "real", "numeric"})


class DumpError(ValueError):
    """The file is not a dump this reader understands; the message says where."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "integer", "real", "binary" or "text"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    def index(self) -> dict[str, int]:
        return {column.name: position for position, column in enumerate(self.columns)}


@dataclass(frozen=True)
class Rows:
    """One INSERT's rows, each a tuple in the order of ``table.columns``."""

    table: Table
    rows: list[tuple[Value, ...]]


def column_kind(sql_type: str, rest: str = "") -> str:
    sql_type = sql_type.lower()
    if sql_type in _BINARY_TYPES or "character set binary" in rest.lower():
        return "binary"
    if sql_type in _INTEGER_TYPES:
        return "integer"
    if sql_type in _REAL_TYPES:
        return "real"
    return "text"


def decompressed(raw: BinaryIO) -> BinaryIO:
    """The dump's bytes, gunzipped when the file is gzip (by its magic, not its name)."""
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def statements(stream: BinaryIO, on_read: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """Every statement of the dump, without comments between statements, cut at ``;``
    outside quotes and comments."""
    buffer = b""
    position = 0
    start = 0
    eof = False

    def more() -> bool:
        nonlocal buffer, position, start, eof
        if eof:
            return False
        chunk = stream.read(CHUNK_BYTES)
        if on_read is not None:
            on_read(len(chunk))
        if not chunk:
            eof = True
            return False
        buffer = buffer[start:] + chunk
        position -= start
        start = 0
        if len(buffer) > MAX_STATEMENT_BYTES:
            raise DumpError(f"a statement longer than {MAX_STATEMENT_BYTES} bytes")
        return True

    while True:
        match = _SPECIAL.search(buffer, position)
        if match is None:
            position = len(buffer)
            if not more():
                break
            continue
        token = match.group()
        end = _token_end(buffer, match.start(), token)
        if end is None:
            if not more():
                raise DumpError("the dump ends inside a quoted string or a comment")
            continue
        if token == b";":
            statement = buffer[start : match.start()].strip()
            if statement:
                yield statement
            start = position = end
        elif token in (b"--", b"#") or (token == b"/*" and not _is_executable(buffer, match)):
            if buffer[start : match.start()].strip():
                position = end  # a comment inside a statement
            else:
                start = position = end
        else:
            position = end
    rest = buffer[start:].strip()
    if rest:
        yield rest


def _is_executable(buffer: bytes, match: re.Match[bytes]) -> bool:
    """``/*!40101 SET ... */;`` is a statement (skipped later), not a comment."""
    return buffer[match.end() : match.end() + 1] == b"!"


def _token_end(buffer: bytes, at: int, token: bytes) -> int | None:
    """Where what starts at ``at`` ends; None if the buffer ends first."""
    if token == b";":
        return at + 1
    if token in (b"--", b"#"):
        newline = buffer.find(b"\n", at)
        return None if newline < 0 else newline + 1
    if token == b"/*":
        close = buffer.find(b"*/", at + 2)
        return None if close < 0 else close + 2
    quoted = _QUOTED[token].match(buffer, at)
    return None if quoted is None else quoted.end()


def parse_create(statement: bytes) -> Table | None:
    """The table a ``CREATE TABLE`` defines: its columns by name, in order."""
    match = _CREATE.match(statement)
    if match is None:
        return None
    columns = []
    for line in _definition_lines(statement[match.end() :]):
        column = _COLUMN.match(line)
        if column is not None:
            name = column.group(1).decode()
            kind = column_kind(column.group(2).decode(), column.group(3).decode(errors="replace"))
            columns.append(Column(name, kind))
    return Table(match.group(1).decode(), tuple(columns))


def _definition_lines(body: bytes) -> Iterator[bytes]:
    """The comma-separated definitions of a CREATE TABLE body, at nesting depth zero."""
    depth = 0
    begin = 0
    position = 0
    while position < len(body):
        byte = body[position : position + 1]
        if byte in (b"'", b'"', b"`"):
            quoted = _QUOTED[byte].match(body, position)
            position = quoted.end() if quoted else len(body)
            continue
        if byte == b"(":
            depth += 1
        elif byte == b")":
            if depth == 0:
                yield body[begin:position]
                return
            depth -= 1
        elif byte == b"," and depth == 0:
            yield body[begin:position]
            begin = position + 1
        position += 1


def unescape(quoted: bytes) -> bytes:
    """The bytes a MySQL string literal (with its quotes) stands for."""
    inner = quoted[1:-1]
    if b"\\" not in inner and b"''" not in inner:
        return inner
    return re.sub(rb"\\(.)|''", _escape, inner, flags=re.S)


def _escape(match: re.Match[bytes]) -> bytes:
    escaped = match.group(1)
    if escaped is None:
        return b"'"
    return _ESCAPES.get(escaped[0], escaped)  # \% and \_ keep no backslash in data either


def parse_insert(statement: bytes, tables: dict[str, Table]) -> Rows | None:
    """The rows of an ``INSERT``, typed by the table's columns; None for another statement."""
    match = _INSERT.match(statement)
    if match is None:
        return None
    name = match.group(1).decode()
    table = tables.get(name)
    if table is None:
        raise DumpError(f"INSERT INTO {name} before its CREATE TABLE")
    kinds = [column.kind for column in table.columns]
    order: list[int] | None = None
    if match.group(2):
        position = table.index()
        listed = [part.strip().strip(b"`").decode() for part in match.group(2).split(b",")]
        if any(column not in position for column in listed):
            raise DumpError(f"INSERT INTO {name} names a column its CREATE TABLE lacks")
        order = [position[column] for column in listed]
    listed_kinds = kinds if order is None else [kinds[target] for target in order]
    rows = []
    for values in _value_groups(statement, match.end(), name, listed_kinds):
        if order is not None:
            if len(values) != len(order):
                raise DumpError(
                    f"a row of {name} has {len(values)} values for {len(order)} columns"
                )
            full: list[Value] = [None] * len(kinds)
            for target, value in zip(order, values, strict=True):
                full[target] = value
            values = full
        if len(values) != len(kinds):
            raise DumpError(f"a row of {name} has {len(values)} values for {len(kinds)} columns")
        rows.append(tuple(values))
    return Rows(table, rows)


# _TOKEN's groups by number (``lastindex``: its alternatives are its only groups).
_STR, _BIN, _HEX, _XHEX, _NUM, _NULL, _PUNCT = range(1, 8)


def _value_groups(
    statement: bytes, position: int, name: str, kinds: list[str]
) -> Iterator[list[Value]]:
    """Each ``(...)`` group of an INSERT's VALUES, each value typed by its column's kind
    in ``kinds`` (see :func:`_typed`).

    One ``finditer`` walks the tokens; each must start where the previous one ended, so
    anything the grammar does not know (a function call, a stray word) is refused. Tokens are
    told apart by group number and typed as they are read (one pass, no call per value
    for the common kinds): this loop is most of the time spent staging a dump."""
    group: list[Value] | None = None
    count = len(kinds)
    expected = position
    for token in _TOKEN.finditer(statement, position):
        if token.start() != expected:
            break
        expected = token.end()
        index = token.lastindex or 0  # always set: every alternative is a group
        if index == _PUNCT:
            punct = token.group(_PUNCT)
            if punct == b"(":
                group = []
            elif punct == b")":
                if group is None:
                    raise DumpError(f"unbalanced parentheses in INSERT INTO {name}")
                yield group
                group = None
            elif punct == b";":
                expected = len(statement)
                break
            continue
        if group is None:
            raise DumpError(f"a value outside parentheses in INSERT INTO {name}")
        kind = kinds[len(group)] if len(group) < count else "text"
        value: Value
        if index == _NULL:
            value = None
        elif index == _NUM:
            text = token.group(_NUM)
            try:
                value = int(text)
            except ValueError:
                value = float(text)
            if kind == "text":
                value = str(value)
            elif kind == "binary":
                value = str(value).encode()
        else:
            raw = (
                unescape(token.group(index))
                if index <= _BIN
                else bytes.fromhex(token.group(index).decode())
            )
            value = raw if kind == "binary" else _typed(raw, kind)
        group.append(value)
    if statement[expected:].strip():
        snippet = statement[expected : expected + 40].decode(errors="replace")
        raise DumpError(f"unexpected value in INSERT INTO {name}: {snippet!r}")
    if group is not None:
        raise DumpError(f"unbalanced parentheses in INSERT INTO {name}")


def _typed(value: bytes, kind: str) -> Value:
    """A string or hex literal's bytes as its (non-binary) column holds them: text decoded,
    and a textual number in a numeric column (phpMyAdmin quotes them) a number."""
    text = value.decode("utf-8", errors="replace")
    if kind == "integer":
        return _number(text, int)
    if kind == "real":
        return _number(text, float)
    return text


def _number(text: str, kind: type[int] | type[float]) -> Value:
    try:
        return kind(text)
    except ValueError:
        try:
            return kind(float(text))
        except ValueError:
            return text


def read_dump(
    path: Path, wanted: Callable[[str], bool], on_read: Callable[[int], None] | None = None
) -> Iterator[Table | Rows]:
    """The tables the dump creates (all of them) and the rows of the ``wanted`` ones."""
    tables: dict[str, Table] = {}
    with path.open("rb") as raw, decompressed(raw) as stream:
        done = 0

        def read(_chunk: int) -> None:
            """Progress in bytes of the FILE (compressed or not), which the bar's total is."""
            nonlocal done
            if on_read is not None:
                position = raw.tell()
                on_read(position - done)
                done = position

        for statement in statements(stream, read):
            head = statement[:16].lstrip().upper()
            if head.startswith(b"CREATE"):
                table = parse_create(statement)
                if table is not None:
                    tables[table.name] = table
                    yield table
            elif head.startswith((b"INSERT", b"REPLACE")):
                match = _INSERT.match(statement)
                if match is not None and wanted(match.group(1).decode()):
                    rows = parse_insert(statement, tables)
                    if rows is not None:
                        yield rows
