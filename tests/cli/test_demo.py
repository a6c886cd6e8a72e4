"""``tinypier demo``: a realistic board made through the board's own code, on an empty
board only, the same for the same seed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.helpers import login
from tinypier.accounts.names import name_problem
from tinypier.app import create_app
from tinypier.attachments import attachment_path
from tinypier.db.connection import connect_sync
from tinypier.demo import board as demo_board_module
from tinypier.demo.board import member_names
from tinypier.demo.shape import MAX_MEMBERS, DemoSize
from tinypier.demo.texts import CYRILLIC_NAMES, STAFF_NAMES
from tinypier.repair.pending import run_repair
from tinypier.settings import load_settings
from tinypier.torrents.metainfo import parse_torrent

from .runner import run_cli

SMALL = ("--members", "12", "--topics", "12")


def _demo(data_dir: Path, *args: str) -> dict[str, Any]:
    result = run_cli(data_dir, "demo", "--json", *args)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


def _rows(data_dir: Path, statement: str) -> list[tuple[Any, ...]]:
    connection = connect_sync(load_settings(data_dir, environ={}).database_path)
    try:
        return [tuple(row) for row in connection.execute(statement)]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def demo_board(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    data_dir = tmp_path_factory.mktemp("demo") / "board"
    return data_dir, _demo(data_dir, *SMALL)


@pytest.fixture
def database(demo_board: tuple[Path, dict[str, Any]]) -> Iterator[sqlite3.Connection]:
    connection = connect_sync(load_settings(demo_board[0], environ={}).database_path)
    try:
        yield connection
    finally:
        connection.close()


def test_demo_reports_what_it_made_and_the_rows_agree(
    demo_board: tuple[Path, dict[str, Any]], database: sqlite3.Connection
) -> None:
    _, report = demo_board

    def count(table: str, where: str = "1") -> int:
        return int(database.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}").fetchone()[0])

    assert report["members"] == count("users") == 12
    assert count("users", "role = 'admin'") == 1
    assert len(report["moderators"]) == count("users", "role = 'moderator'") > 0
    assert report["topics"] == count("topics") == 12
    assert report["releases"] == count("torrents") == 4
    assert report["posts"] == count("posts")
    assert report["forums"] == count("forums") and report["categories"] == count("categories")
    assert count("forums", "name GLOB '*[А-я]*'") > 0, "some forums have Russian titles"
    assert report["seeders"] == count("peers", '"left" = 0') > 0
    assert report["leechers"] == count("peers", '"left" > 0')
    assert report["snatches"] == count("snatches") > 0


def test_demo_posts_use_the_tags_members_use(database: sqlite3.Connection) -> None:
    bodies = "\n".join(row[0] for row in database.execute("SELECT body FROM posts"))
    html = "\n".join(row[0] for row in database.execute("SELECT body_html FROM posts"))

    for tag in ("[quote=", "[spoiler", "[list]", "[url=", "[color=", "[b]", "[center]"):
        assert tag in bodies, tag
    assert "<blockquote" in html and "<details" in html and "<li>" in html


def test_demo_releases_are_real_torrents_stored_as_uploads_are(
    demo_board: tuple[Path, dict[str, Any]], database: sqlite3.Connection
) -> None:
    settings = load_settings(demo_board[0], environ={})
    releases = database.execute(
        "SELECT t.info_hash, t.file_count, t.total_size, a.sha256 FROM torrents t"
        " JOIN attachments a ON a.id = t.attachment_id"
    ).fetchall()

    file_counts = set()
    for info_hash, file_count, total_size, sha256 in releases:
        parsed = parse_torrent(attachment_path(settings.attachments_dir, sha256).read_bytes())
        assert (parsed.info_hash_v1, len(parsed.files)) == (info_hash, file_count)
        assert parsed.private and parsed.total_size == total_size
        file_counts.add(file_count > 1)
    assert file_counts == {True, False}, "single-file and multi-file releases"


def test_demo_swarm_figures_are_what_the_tracker_counts(database: sqlite3.Connection) -> None:
    figures = database.execute(
        "SELECT seeders, leechers, completed,"
        ' (SELECT COUNT(*) FROM peers p WHERE p.torrent_id = t.id AND p."left" = 0),'
        ' (SELECT COUNT(*) FROM peers p WHERE p.torrent_id = t.id AND p."left" > 0),'
        " (SELECT COUNT(*) FROM snatches s WHERE s.torrent_id = t.id)"
        " FROM torrents t"
    ).fetchall()

    for seeders, leechers, completed, seeding, leeching, snatched in figures:
        assert (seeders, leechers, completed) == (seeding, leeching, snatched)
    assert database.execute("SELECT COUNT(*) FROM transfers").fetchone()[0] > 0
    assert database.execute("SELECT COUNT(*) FROM cheat_log").fetchone()[0] == 1


def test_check_and_the_repairs_find_nothing_to_fix_after_a_demo(
    demo_board: tuple[Path, dict[str, Any]], database: sqlite3.Connection
) -> None:
    data_dir, _ = demo_board
    search = "SELECT rowid FROM post_search WHERE post_search MATCH ? ORDER BY rowid"
    before = [database.execute(search, (word,)).fetchall() for word in ("seeding", "раздачу")]

    checked = run_cli(data_dir, "check")
    recount = run_repair(database, "recount")
    run_repair(database, "search")

    assert checked.exit_code == 0, checked.output
    assert recount.changed == 0
    after = [database.execute(search, (word,)).fetchall() for word in ("seeding", "раздачу")]
    assert after == before and all(before), "the index already held every post"


def test_the_printed_admin_password_logs_in(demo_board: tuple[Path, dict[str, Any]]) -> None:
    data_dir, report = demo_board
    with TestClient(app=create_app(load_settings(data_dir, environ={}))) as client:
        assert login(client, report["admin"], report["admin_password"]).status_code == 303
        assert login(client, report["moderators"][0], report["member_password"]).status_code == 303
        tracker = client.get("/tracker")
    assert tracker.status_code == 200
    assert tracker.text.count('<td class="num seeders">') == report["releases"]
    assert '<td class="num seeders">0</td>' not in tracker.text, "every release is seeded"


@pytest.mark.slow  # three demos
def test_the_same_seed_makes_the_same_board(tmp_path: Path) -> None:
    def board(name: str, seed: str) -> list[tuple[Any, ...]]:
        # A board that was migrated (or served) but holds nothing yet is empty too.
        assert run_cli(tmp_path / name, "migrate").exit_code == 0
        _demo(tmp_path / name, "--members", "8", "--topics", "6", "--seed", seed)
        return _rows(tmp_path / name, "SELECT title, info_hash FROM torrents ORDER BY id")

    first, again, other = board("first", "7"), board("again", "7"), board("other", "8")

    assert first == again
    assert {row[1] for row in first}.isdisjoint(row[1] for row in other)


@pytest.mark.parametrize(
    ("setup", "stdin", "found"),
    [
        (("user", "create", "owner", "--password-stdin"), "long password\n", "1 member(s)"),
        (("forum", "create", "Talk", "--category", "General"), None, "1 category(ies)"),
    ],
)
def test_demo_refuses_a_board_that_is_not_empty(
    tmp_path: Path, setup: tuple[str, ...], stdin: str | None, found: str
) -> None:
    data_dir = tmp_path / "board"
    assert run_cli(data_dir, *setup, stdin=stdin).exit_code == 0

    result = run_cli(data_dir, "demo")

    assert result.exit_code == 1
    assert found in result.output and "empty board only" in result.output
    assert _rows(data_dir, "SELECT COUNT(*) FROM topics") == [(0,)]


@pytest.mark.parametrize("option", [("--members", "100000"), ("--topics", "0")])
def test_demo_refuses_sizes_outside_its_bounds(tmp_path: Path, option: tuple[str, str]) -> None:
    result = run_cli(tmp_path / "board", "demo", *option)

    assert result.exit_code == 2
    assert option[0] in result.output and "range" in result.output
    assert not (tmp_path / "board").exists()


def test_every_demo_name_is_one_the_board_accepts_and_unique() -> None:
    names = member_names(MAX_MEMBERS - 1)

    assert [name for name in names if name_problem(name)] == []
    assert len({name.casefold() for name in names}) == len(names)
    assert names[: len(STAFF_NAMES)] == list(STAFF_NAMES)


def test_demo_names_include_cyrillic_ones_once_the_board_accepts_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo_board_module, "name_problem", lambda _name: None)

    assert set(CYRILLIC_NAMES) <= set(member_names(DemoSize().members))
