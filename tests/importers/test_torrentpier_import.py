"""A TorrentPier 2.4 and 3.0 board imported: members, forums, topics, releases, the rest.

Each test reads the board the fixture imported (once per version) from the dumps of
``tests/importers/torrentpier_fixture.py``.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

from litestar.testing import TestClient

from tests.cli.runner import run_cli
from tests.helpers import csrf_token, login
from tests.importers.conftest import Imported, gzipped, import_board
from tests.importers.torrentpier_fixture import (
    BCRYPT,
    HYBRID,
    MD5MD5,
    PASSWORD,
    POST_BODY,
    space_ending_torrent,
    write_board,
)
from tests.samples import sample
from tinypier.app import create_app
from tinypier.datadir import prepare_data_dir
from tinypier.forum.bbcode import render_bbcode
from tinypier.i18n import Audience, speaking_to
from tinypier.importers.torrentpier.batches import Progress
from tinypier.importers.torrentpier.importer import LEGACY_PASSKEY_SETTING, Source
from tinypier.importers.torrentpier.importer import import_board as run_import
from tinypier.importers.torrentpier.report import build_report
from tinypier.importers.torrentpier.source import dump_items
from tinypier.settings import load_settings
from tinypier.torrents.metainfo import parse_torrent


def test_the_version_is_told_from_the_tables(imported: Imported) -> None:
    assert imported.report["version"] == {"2.4": "2.4+", "3.0": "3.0"}[imported.board.version]


def test_counts_per_kind(imported: Imported) -> None:
    assert imported.report["imported"] == {
        "ranks": 1,
        "members": 5,
        "groups": 3,
        "group members": 2,
        "categories": 2,
        "forums": 4,
        "forum access": 3,
        "topics": 5,
        "posts": 7,
        "releases": 2,
        "snatches": 1,
        "transfers": 2,
        "thanks": 2,
        "polls": 1,
        "messages": 2,
        "bonus points": 2,
        "avatars": 1,
        "e-mail addresses": 2,
        "signatures": 2,
        "assigned ranks": 1,
    }
    assert imported.report["skipped"] == {
        "avatars": {"avatar_missing": 1, "avatar_refused": 1},
        "members": {
            "banned": 1,
            "new_passkey": 1,
            "no_password": 1,
            "not_a_member": 2,
            "renamed": 1,
        },
        "messages": {"duplicate_message": 1},
        "releases": {"file_missing": 1},
        "topics": {"moved_shadow": 1},
        "transfers": {"no_release": 1},
    }


def test_members_keep_ids_names_hashes_and_passkeys(imported: Imported) -> None:
    members = imported.query(
        "SELECT id, name, password_hash, role, disabled, passkey, created_at, uploaded,"
        " downloaded, language FROM users WHERE id <= 6 ORDER BY id"
    )
    t = 1_700_000_000
    assert members[0] == (
        2,
        "admin",
        BCRYPT,
        "admin",
        0,
        "AdminKey0123456789ab",
        t,
        1000 + 200 + 30,
        500,
        "ru",
    )
    assert members[1] == (
        3,
        "Вася",
        "md5md5$" + MD5MD5,
        "user",
        0,
        "vasyaKey10",
        t + 10,
        7,
        11,
        None,
    )
    assert members[2][:5] == (4, "O'Brien & Sons", "md5md5$" + MD5MD5, "moderator", 0)
    assert len(members[2][5]) == 32  # an empty auth_key: a new passkey
    assert members[3][:5] == (5, "sleepy", "!torrentpier-no-password", "user", 1)
    assert members[4][1] == "ВАСЯ_6"  # "Вася" by Unicode case folding
    assert members[4][4] == 1  # in bb_banlist


def test_guests_and_bots_are_not_members(imported: Imported) -> None:
    assert imported.query("SELECT COUNT(*) FROM users WHERE id < 0 OR name = 'bot'") == [(0,)]


def test_the_plaintext_temporary_password_is_never_read(imported: Imported) -> None:
    database = (imported.data_dir / "tinypier.sqlite3").read_bytes()
    assert b"plaintext-temp" not in database


def test_what_tinypier_has_no_place_for_is_kept(imported: Imported) -> None:
    """Only what has no home yet; e-mail, signature, rank and bonus points have theirs
    (tests/importers/test_torrentpier_homes.py)."""
    assert imported.query("SELECT user_id, website, two_factor FROM torrentpier_members") == [
        (2, "https://admin.example", int(imported.board.version == "3.0"))
    ]


def test_categories_and_forums_with_rights_as_roles(imported: Imported) -> None:
    assert imported.query("SELECT id, name FROM categories ORDER BY position") == [
        (2, "Общение"),
        (1, "Фильмы & сериалы"),
    ]
    assert imported.query(
        "SELECT id, category_id, name, description, allows_releases, view_role, topic_role,"
        " reply_role, download_role FROM forums ORDER BY id"
    ) == [
        (1, 1, "Releases", "Fresh <b>releases</b>", 1, "guest", "user", "user", "user"),
        (2, 2, "Chat", "", 0, "user", "user", "user", "user"),
        (3, 1, "HD", "", 1, "guest", "user", "user", "user"),
        (4, 2, "Staff", "", 0, "moderator", "moderator", "moderator", "moderator"),
    ]
    assert imported.query("SELECT parent_id FROM torrentpier_forums WHERE forum_id = 3") == [(1,)]


def test_topics_keep_ids_pins_and_locks_and_moved_shadows_are_skipped(imported: Imported) -> None:
    assert imported.query(
        "SELECT id, forum_id, title, pin, locked, post_count FROM topics ORDER BY id"
    ) == [
        (1, 1, "Space & time", 0, 0, 2),
        (2, 3, "Гибрид", 1, 0, 1),
        (3, 2, "All the tags", 2, 1, 2),
        (5, 1, "Lost file", 0, 0, 1),
        (6, 2, "From a ghost", 0, 0, 1),
    ]


def test_posts_keep_their_source_authors_and_times(imported: Imported) -> None:
    posts = dict(
        (row[0], row[1:])
        for row in imported.query("SELECT id, author_id, body, body_html, created_at FROM posts")
    )
    assert posts[3][1] == POST_BODY
    assert posts[3][2] == render_bbcode(POST_BODY)
    assert posts[4][:2] == (3, '<b>not bold</b> "O\'Brien" said C:\\temp\\new; done')
    assert posts[7][1] == "Thanks!\nLine two"
    assert posts[1][3] == 1_700_000_100


def test_posts_by_deleted_members_go_to_a_disabled_stand_in(imported: Imported) -> None:
    ((ghost, name, disabled),) = imported.query(
        "SELECT u.id, u.name, u.disabled FROM posts p JOIN users u ON u.id = p.author_id"
        " WHERE p.id = 6"
    )
    assert (name, disabled) == ("Guest", 1)
    assert ghost == 100  # after every member's and author's id (the deleted one was 99)


def test_releases_from_the_files_checked_against_the_stored_hashes(imported: Imported) -> None:
    space_file, space_hash = space_ending_torrent()
    hybrid = parse_torrent(sample(HYBRID))
    assert imported.query(
        "SELECT topic_id, info_hash, info_hash_v2, status, freeleech, completed, status_by,"
        " uploader_id FROM torrents ORDER BY topic_id"
    ) == [
        (1, space_hash, None, "checked", "gold", 3, 4, 2),
        (2, hybrid.info_hash_v1, hybrid.info_hash_v2, "duplicate", "silver", 0, None, 3),
    ]
    assert space_hash.endswith(b" ")
    stored = imported.query(
        "SELECT sha256 FROM attachments a JOIN torrents t"
        " ON t.attachment_id = a.id WHERE t.topic_id = 1"
    )
    assert stored == [(hashlib.sha256(space_file).hexdigest(),)]


def test_a_release_without_its_file_stays_a_topic(imported: Imported) -> None:
    assert imported.query("SELECT id FROM topics WHERE id = 5") == [(5,)]
    assert imported.query("SELECT COUNT(*) FROM torrents WHERE topic_id = 5") == [(0,)]
    assert imported.query("SELECT source_id FROM import_skips WHERE reason = 'file_missing'") == [
        ("5",)
    ]


def test_snatches_transfers_and_thanks(imported: Imported) -> None:
    assert imported.query("SELECT torrent_id, user_id FROM snatches") == [(1, 3)]
    assert imported.query(
        "SELECT user_id, uploaded, downloaded FROM transfers ORDER BY user_id"
    ) == [(2, 3000, 0), (3, 0, 1000)]
    assert imported.query(
        "SELECT t.topic_id, h.user_id, h.created_at FROM thanks h"
        " JOIN torrents t ON t.id = h.torrent_id ORDER BY t.topic_id"
    ) == [(1, 3, 1_700_000_700), (2, 2, 1_700_000_800)]


def test_private_messages_are_deduplicated_with_their_read_state(imported: Imported) -> None:
    assert imported.query(
        "SELECT c.subject, c.starter_id, m.body, c.created_at FROM conversations c"
        " JOIN messages m ON m.conversation_id = c.id ORDER BY c.id"
    ) == [
        ("Привет", 2, "Hello & welcome", 1_700_000_050),
        ("Re: Привет", 3, "Спасибо", 1_700_000_060),
    ]
    assert imported.query(
        "SELECT c.subject, cm.user_id, cm.unread FROM conversation_members cm"
        " JOIN conversations c ON c.id = cm.conversation_id ORDER BY c.id, cm.user_id"
    ) == [("Привет", 2, 0), ("Привет", 3, 0), ("Re: Привет", 2, 1), ("Re: Привет", 3, 0)]


def test_polls_keep_torrentpiers_totals_and_who_voted(imported: Imported) -> None:
    assert imported.query("SELECT topic_id, question, earlier_voters FROM polls") == [
        (3, "Best & worst?", 7)
    ]
    assert imported.query("SELECT text, earlier_votes FROM poll_options ORDER BY position") == [
        ("Да", 5),
        ("Нет", 2),
    ]
    assert imported.query("SELECT user_id, created_at FROM poll_votes_without_choice") == [
        (3, 1_700_000_000)
    ]
    assert imported.query("SELECT COUNT(*) FROM poll_votes") == [(0,)]


def test_who_voted_in_torrentpier_sees_the_totals_and_cannot_vote_again(
    imported: Imported, tmp_path: Path
) -> None:
    """Вася voted in TorrentPier (bb_poll_users): the results are shown to him and his
    second vote is refused. O'Brien did not: his vote adds to TorrentPier's totals."""
    data_dir = tmp_path / "data"
    shutil.copytree(imported.data_dir, data_dir)
    connection = sqlite3.connect(data_dir / "tinypier.sqlite3")
    with connection:  # the fixture's poll topic is locked, and nobody votes in a locked one
        connection.execute("UPDATE topics SET locked = 0 WHERE id = 3")
    connection.close()
    app = create_app(load_settings(data_dir, environ={}))
    topic = app.route_reverse("forum:topic", topic_id=3)
    vote = app.route_reverse("polls:vote", topic_id=3)
    with TestClient(app, base_url="http://testserver.local") as client:
        assert login(client, "Вася", PASSWORD).status_code == 303
        page = client.get(topic)
        assert "7 members voted" in page.text
        assert "5 votes, 71%" in page.text and "2 votes, 29%" in page.text
        assert vote not in page.text
        again = client.post(vote, data={"_csrf_token": csrf_token(page.text), "choice": "2"})
        assert again.status_code == 409
        assert "You have already voted in this poll." in again.text
    app = create_app(load_settings(data_dir, environ={}))  # an app serves one client's life
    with TestClient(app, base_url="http://testserver.local") as client:
        assert login(client, "O'Brien & Sons", PASSWORD).status_code == 303
        page = client.get(topic)
        assert vote in page.text and "5 votes" not in page.text
        counted = client.post(vote, data={"_csrf_token": csrf_token(page.text), "choice": "2"})
        assert "Your vote is counted." in counted.text
        assert "8 members voted" in (after := counted.text)
        assert "5 votes, 62%" in after and "3 votes, 38%" in after


def test_the_passkey_parameter_and_announce_url_are_kept(imported: Imported) -> None:
    config = dict(imported.query("SELECT name, value FROM torrentpier_config"))
    assert config["passkey_key"] == {"2.4": "uk", "3.0": "pk"}[imported.board.version]
    assert config["bt_announce_url"] == "https://tp.example/bt/announce.php"


def test_the_search_index_and_counters_are_rebuilt(imported: Imported) -> None:
    assert imported.query(
        "SELECT rowid FROM post_search WHERE post_search MATCH 'spoiler OR hidden'"
    ) == [(3,)]
    assert imported.query("SELECT post_count FROM users WHERE id = 2") == [(2,)]
    assert imported.query("SELECT topic_count, post_count FROM forums WHERE id = 1") == [(2, 3)]


def test_the_imported_board_passes_check(imported: Imported) -> None:
    result = run_cli(imported.data_dir, "check")
    assert result.exit_code == 0, result.output
    assert not (imported.data_dir / "torrentpier-staging.sqlite3").exists()


def test_a_finished_import_is_not_run_twice(imported: Imported) -> None:
    result = run_cli(
        imported.data_dir,
        "import-torrentpier",
        str(imported.board.dump),
        "--files",
        str(imported.board.root),
    )
    assert result.exit_code == 1
    assert "already holds an imported board" in result.output


def test_a_gzipped_dump_gives_the_same_board(imported: Imported, tmp_path: Path) -> None:
    again = import_board(imported.board, tmp_path / "data", gzipped(imported.board))
    assert again.report == imported.report
    for sql in SAME_BOARD:
        assert again.query(sql) == imported.query(sql), sql


# The board, but the secrets an import makes anew (feed tokens, passkeys of members
# who had none).
SAME_BOARD = (
    "SELECT id, name, password_hash, role, disabled, uploaded, downloaded FROM users ORDER BY id",
    "SELECT * FROM categories ORDER BY id",
    "SELECT * FROM forums ORDER BY id",
    "SELECT * FROM topics ORDER BY id",
    "SELECT * FROM posts ORDER BY id",
    "SELECT * FROM torrents ORDER BY id",
    "SELECT id, sha256, size FROM attachments ORDER BY id",  # an avatar's is made now
    "SELECT * FROM snatches ORDER BY id",
    "SELECT * FROM transfers ORDER BY torrent_id, user_id",
    "SELECT * FROM thanks ORDER BY id",
    "SELECT * FROM conversations ORDER BY id",
    "SELECT * FROM conversation_members ORDER BY conversation_id, user_id",
    "SELECT * FROM messages ORDER BY id",
    "SELECT * FROM polls ORDER BY id",
    "SELECT * FROM poll_options ORDER BY id",
    "SELECT * FROM torrentpier_members ORDER BY user_id",
    "SELECT id, email, bonus_points FROM users ORDER BY id",
    "SELECT user_id, kind, points FROM member_ledger ORDER BY id",
    "SELECT * FROM profiles ORDER BY user_id",
    "SELECT id, title FROM ranks ORDER BY id",
    "SELECT id, name, description, join_mode FROM groups ORDER BY id",
    "SELECT user_id, group_id, status FROM group_members ORDER BY user_id, group_id",
    "SELECT * FROM group_grants ORDER BY group_id, forum_id, permission",
    "SELECT * FROM poll_votes_without_choice ORDER BY poll_id, user_id",
    "SELECT kind, source_id, reason FROM import_skips ORDER BY kind, source_id, reason",
)


def test_the_report_in_english_and_russian(imported: Imported) -> None:
    connection = sqlite3.connect(imported.data_dir / "tinypier.sqlite3")
    try:
        report = build_report(connection, imported.report["version"], [])
    finally:
        connection.close()
    english = report.lines()
    assert "  Posts: 7" in english
    assert "  Releases, .torrent file missing from the upload folder (topic kept): 1" in english
    with speaking_to(Audience("ru", "UTC")):
        russian = report.lines()
    assert "  Сообщения: 7" in russian
    assert "Пропущено или изменено:" in russian
    assert "  Темы, след, оставленный перенесённой темой: 1" in russian


def test_the_search_triggers_are_back_as_the_migrations_made_them(
    imported: Imported, tmp_path: Path
) -> None:
    """The import drops the posts' search triggers while it writes posts; a post written
    on the imported board must be indexed as on any board."""
    fresh = tmp_path / "fresh"
    assert run_cli(fresh, "migrate").exit_code == 0
    triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    fresh_board = Imported(imported.board, fresh, {})
    assert imported.query(triggers) == fresh_board.query(triggers)
    assert not imported.query(
        "SELECT name FROM torrentpier_config WHERE name LIKE 'suspended trigger %'"
    )


def test_imported_pages_render_with_the_forums_rights(imported: Imported, tmp_path: Path) -> None:
    """A guest reads the release forum's topic, rendered from its BBCode, and not the
    topic of the forum TorrentPier opened to registered members only."""
    data_dir = tmp_path / "data"
    shutil.copytree(imported.data_dir, data_dir)
    app = create_app(load_settings(data_dir, environ={}))
    with TestClient(app, base_url="http://testserver.local") as client:
        release = client.get(app.route_reverse("forum:topic", topic_id=1))
        members_only = client.get(
            app.route_reverse("forum:topic", topic_id=3), follow_redirects=False
        )
    assert release.status_code == 200
    assert "Space &amp; time" in release.text
    assert "Release <strong>one</strong>" in release.text
    assert members_only.status_code != 200
    assert "<strong>bold</strong>" not in members_only.text


def test_a_2_0_board_with_its_own_poll_tables(tmp_path: Path) -> None:
    """2.0-2.3: no thanks, no v2 hashes (a hybrid's v1 hash alone identifies its file),
    and polls in bb_vote_desc/bb_vote_results."""
    old = import_board(write_board(tmp_path, "2.0"), tmp_path / "data")
    assert old.report["version"] == "2.0-2.3"
    assert old.report["imported"]["thanks"] == 0
    assert old.report["imported"]["releases"] == 2
    assert old.query("SELECT question FROM polls WHERE topic_id = 3") == [("Best & worst?",)]
    assert old.query("SELECT text, earlier_votes FROM poll_options ORDER BY position") == [
        ("Да", 5),
        ("Нет", 2),
    ]
    assert old.query("SELECT earlier_voters FROM polls") == [(7,)]


class _Recorder(Progress):
    """Each step's announced total and the steps it then advanced by."""

    def __init__(self) -> None:
        self.steps: dict[str, list[int]] = {}
        self._current = ""

    def start(self, label: str, total: int) -> None:
        self._current = label
        self.steps[label] = [total, 0]

    def advance(self, steps: int) -> None:
        self.steps[self._current][1] += steps


def test_progress_is_told_per_step_in_bytes_of_the_file_and_rows(tmp_path: Path) -> None:
    board = write_board(tmp_path, "2.4")
    dump = gzipped(board)
    settings = load_settings(tmp_path / "data", environ={})
    prepare_data_dir(settings)
    recorder = _Recorder()
    source = Source(str(dump), dump_items(dump, recorder.advance), dump.stat().st_size)
    run_import(settings, source, board.root, recorder)
    assert recorder.steps["staging"] == [dump.stat().st_size, dump.stat().st_size]
    assert recorder.steps["members"] == [7, 7]
    assert recorder.steps["posts"] == [7, 7]
    assert recorder.steps["messages"] == [2, 2]


def test_the_passkey_parameter_becomes_the_site_setting(tmp_path: Path) -> None:
    """The legacy announce URL's parameter is a site setting of its own feature; the
    import saves the old board's value (3.0's config says ``pk``)."""
    board = import_board(write_board(tmp_path, "3.0"), tmp_path / "data")
    assert board.query(
        "SELECT value FROM site_settings WHERE name = ?", (LEGACY_PASSKEY_SETTING,)
    ) == [("pk",)]


def test_old_topic_and_download_links_lead_to_the_imported_release(
    imported: Imported, tmp_path: Path
) -> None:
    """Ids are kept, so viewtopic.php?t=1 is topic 1; 2.x's dl.php?id=<attach_id> leads
    to the download of the release its attachment became (the missing file's attachment
    finds nothing)."""
    data_dir = tmp_path / "data"
    shutil.copytree(imported.data_dir, data_dir)
    app = create_app(load_settings(data_dir, environ={}))
    topic_page = app.route_reverse("forum:topic", topic_id=1)
    with TestClient(app, base_url="http://testserver.local") as client:
        old_topic = client.get("/viewtopic.php?t=1", follow_redirects=False)
        downloads = [client.get(f"/dl.php?id={n}", follow_redirects=False) for n in (1, 3)]
    assert old_topic.status_code == 301
    assert old_topic.headers["location"] == topic_page
    if imported.board.version == "3.0":
        assert imported.query("SELECT COUNT(*) FROM legacy_attachments") == [(0,)]
        return
    assert imported.query("SELECT attach_id, topic_id FROM legacy_attachments") == [(1, 1), (2, 2)]
    assert downloads[0].status_code == 301
    torrent_id = imported.query("SELECT id FROM torrents WHERE topic_id = 1")[0][0]
    download = app.route_reverse("torrents:download", torrent_id=torrent_id)
    assert downloads[0].headers["location"] == download
    assert downloads[1].status_code == 404
