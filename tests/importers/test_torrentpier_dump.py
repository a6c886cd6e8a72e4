"""The dump reader: MySQL's literal syntax, binary values kept as bytes, streaming."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from tinypier.importers.torrentpier import dump
from tinypier.importers.torrentpier.dump import DumpError, Rows, Table, read_dump

CREATE = b"""-- MySQL dump 10.13
/*!40101 SET NAMES utf8mb4 */;
/* a comment; with a semicolon */
DROP TABLE IF EXISTS `t`;
CREATE TABLE `t` (
  `id` int(11) NOT NULL DEFAULT '0',
  `name` varchar(20) NOT NULL DEFAULT '',
  `hash` varbinary(20) NOT NULL DEFAULT '',
  `points` float(16,2) NOT NULL DEFAULT '0.00',
  `note` text,
  PRIMARY KEY (`id`),
  KEY `name` (`name`(10))
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;
"""


def _read(data: bytes, tmp_path: Path, name: str = "d.sql") -> list[Table | Rows]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_dump(path, lambda table: True))


def _rows(items: list[Table | Rows]) -> list[tuple[object, ...]]:
    return [row for item in items if isinstance(item, Rows) for row in item.rows]


def test_columns_are_typed_from_the_create_table(tmp_path: Path) -> None:
    (table,) = _read(CREATE, tmp_path)
    assert isinstance(table, Table)
    kinds = [(column.name, column.kind) for column in table.columns]
    assert kinds == [
        ("id", "integer"),
        ("name", "text"),
        ("hash", "binary"),
        ("points", "real"),
        ("note", "text"),
    ]


def test_every_literal_form_of_mysql(tmp_path: Path) -> None:
    insert = (
        b"INSERT INTO `t` VALUES (1,'O\\'Brien','ab\\0\\\\ ',1.5,NULL),"
        b"(2,'it''s \\\"q\\\" \\n\\t\\Z;',_binary 'x\\'y',-2,'\xd0\x92\xd0\xb0\xd1\x81\xd1\x8f'),"
        b"(3,'3',0x00FF20,'2.25',X'6869');\n"
    )
    rows = _rows(_read(CREATE + insert, tmp_path))
    assert rows == [
        (1, "O'Brien", b"ab\0\\ ", 1.5, None),
        (2, 'it\'s "q" \n\t\x1a;', b"x'y", -2.0, "Вася"),
        (3, "3", b"\x00\xff\x20", 2.25, "hi"),
    ]


def test_a_column_list_maps_values_by_name(tmp_path: Path) -> None:
    insert = b"INSERT INTO `t` (`note`, `id`) VALUES ('n', 7);"
    assert _rows(_read(CREATE + insert, tmp_path)) == [(7, None, None, None, "n")]


def test_raw_binary_bytes_inside_quotes_stay_bytes(tmp_path: Path) -> None:
    """mysqldump writes a VARBINARY as its raw bytes, not UTF-8: they must come back."""
    raw = bytes(range(256)).replace(b"\\", b"").replace(b"'", b"")
    insert = b"INSERT INTO `t` VALUES (1,'',_binary '" + raw + b"',0,'');"
    assert _rows(_read(CREATE + insert, tmp_path))[0][2] == raw


def test_statements_split_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dump, "CHUNK_BYTES", 7)
    insert = (
        b"INSERT INTO `t` VALUES "
        + b",".join(b"(%d,'a;b -- not a comment \\' # nor this',0x41,0,'')" % n for n in range(50))
        + b";\n-- trailing comment\n"
    )
    rows = _rows(_read(CREATE + insert, tmp_path))
    assert len(rows) == 50
    assert rows[49] == (49, "a;b -- not a comment ' # nor this", b"A", 0, "")


def test_a_gzipped_dump_is_read_by_its_magic(tmp_path: Path) -> None:
    insert = b"INSERT INTO `t` VALUES (1,'x',0x01,0,'');"
    path = tmp_path / "board.sql.gz"
    path.write_bytes(gzip.compress(CREATE + insert))
    assert _rows(list(read_dump(path, lambda table: True))) == [(1, "x", b"\x01", 0, "")]


def test_the_reader_streams(tmp_path: Path) -> None:
    """Statements come out as the file is read, not after: the first rows of a dump are
    there while most of it is unread."""
    stream = io.BytesIO(CREATE + b"INSERT INTO `t` VALUES (1,'a',0x01,0,'');\n" * 5000)
    read: list[int] = []
    for _statement in dump.statements(stream, read.append):
        break
    assert sum(read) <= dump.CHUNK_BYTES


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"INSERT INTO `t` VALUES (1,'open", "ends inside a quoted string"),
        (b"INSERT INTO `u` VALUES (1);", "before its CREATE TABLE"),
        (b"INSERT INTO `t` VALUES (1,'a');", "has 2 values for 5 columns"),
        (b"INSERT INTO `t` VALUES (1,NOW(),0x01,0,'');", "unexpected value"),
    ],
)
def test_a_damaged_dump_is_refused_saying_why(tmp_path: Path, text: bytes, problem: str) -> None:
    with pytest.raises(DumpError, match=problem):
        _read(CREATE + text, tmp_path)
