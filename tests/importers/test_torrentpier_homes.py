"""What TorrentPier kept on members and groups, in TinyPier's own places after an import.

E-mail on the member, signatures and ranks in their profiles, avatars through the
profiles feature's image pipeline, bonus points through the ledger, groups with their
join modes, leaders and pending requests, and bb_auth_access as group grants.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

from litestar.testing import TestClient
from PIL import Image

from tests.helpers import login
from tests.importers.conftest import Imported
from tests.importers.torrentpier_fixture import AVATAR_SIZE, PASSWORD
from tinypier.app import create_app
from tinypier.i18n import Audience, speaking_to
from tinypier.importers.torrentpier.kinds import avatar_path, forum_perm_rights
from tinypier.importers.torrentpier.report import build_report
from tinypier.permissions.grants import Right
from tinypier.settings import load_settings
from tinypier.torrents.storage import read_stored


def test_e_mail_addresses_are_kept_and_notices_by_e_mail_stay_off(imported: Imported) -> None:
    assert imported.query(
        "SELECT id, email, email_notifications FROM users WHERE id <= 4 ORDER BY id"
    ) == [(2, "admin@tp.example", 0), (3, "vasya@tp.example", 0), (4, None, 0)]


def test_signatures_and_ranks_are_in_profiles(imported: Imported) -> None:
    assert imported.query("SELECT id, title, min_posts, image_id FROM ranks") == [
        (1, "Ветеран", None, None)
    ]
    assert imported.query(
        "SELECT user_id, signature, signature_html, rank_id FROM profiles"
        " WHERE signature != '' OR rank_id IS NOT NULL ORDER BY user_id"
    ) == [
        (2, "[b]The admin[/b] & co", "<strong>The admin</strong> &amp; co", 1),
        (3, "[i]Вася[/i] <3", "<em>Вася</em> &lt;3", None),
    ]


def test_the_topic_page_shows_the_authors_rank_and_signature(
    imported: Imported, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(imported.data_dir, data_dir)
    app = create_app(load_settings(data_dir, environ={}))
    with TestClient(app, base_url="http://testserver.local") as client:
        page = client.get(app.route_reverse("forum:topic", topic_id=1))
    assert page.status_code == 200
    assert '<span class="rank-title">Ветеран</span>' in page.text
    assert "<strong>The admin</strong> &amp; co" in page.text


def test_the_last_visit_is_the_members_presence(imported: Imported) -> None:
    assert imported.query("SELECT user_id, seen_at FROM presence") == [(2, 1_700_005_000)]


def test_bonus_points_are_balances_the_ledger_sums_to(imported: Imported) -> None:
    assert imported.query(
        "SELECT id, bonus_points FROM users WHERE bonus_points != 0 ORDER BY id"
    ) == [(2, 12), (4, 1000)]  # 12.5 counts 12; Вася's 0.75 is no whole point
    assert imported.query("SELECT user_id, kind, points FROM member_ledger ORDER BY user_id") == [
        (2, "imported", 12),
        (4, "imported", 1000),
    ]
    assert imported.query(
        "SELECT COUNT(*) FROM users u WHERE bonus_points !="
        " (SELECT COALESCE(SUM(points), 0) FROM member_ledger WHERE user_id = u.id)"
    ) == [(0,)]


def test_an_avatar_is_imported_re_encoded(imported: Imported) -> None:
    [(digest,)] = imported.query(
        "SELECT a.sha256 FROM profiles p JOIN attachments a ON a.id = p.avatar_id"
        " WHERE p.user_id = 2"
    )
    stored = read_stored(imported.data_dir / "attachments", digest)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert max(image.size) == 128 < max(AVATAR_SIZE)
        assert "Comment" not in image.info
    assert b"hidden words" not in stored


def test_avatars_that_are_missing_or_no_image_are_skipped_and_reported(
    imported: Imported,
) -> None:
    assert imported.query("SELECT user_id FROM profiles WHERE avatar_id IS NOT NULL") == [(2,)]
    assert imported.report["skipped"]["avatars"] == {"avatar_missing": 1, "avatar_refused": 1}
    assert imported.query(
        "SELECT source_id, reason FROM import_skips WHERE kind = 'avatars' ORDER BY source_id"
    ) == [("3", "avatar_refused"), ("4", "avatar_missing")]


def test_groups_keep_join_modes_leaders_and_pending_requests(imported: Imported) -> None:
    assert imported.query("SELECT id, name, description, join_mode FROM groups ORDER BY id") == [
        (1, "Uploaders", "Who upload", "request"),
        (2, "ACL O'Brien & Sons", "", "closed"),
        (4, "Hidden & closed", "", "closed"),
    ]
    assert imported.query(
        "SELECT group_id, user_id, status FROM group_members ORDER BY group_id, user_id"
    ) == [(1, 2, "leader"), (1, 3, "member"), (1, 6, "pending"), (2, 4, "member"), (4, 4, "leader")]


def test_forum_access_becomes_group_grants(imported: Imported) -> None:
    assert imported.query(
        "SELECT group_id, forum_id, permission FROM group_grants"
        " ORDER BY group_id, forum_id, permission"
    ) == [
        (1, 1, "download"),
        (1, 1, "upload"),
        (1, 4, "post"),
        (1, 4, "read"),
        (1, 4, "reply"),
        (1, 4, "view"),
        (2, 4, "moderate"),
        (2, 4, "view"),
    ]


def test_a_group_grant_opens_a_forum_the_members_role_would_not(
    imported: Imported, tmp_path: Path
) -> None:
    """Staff was TorrentPier's ACL forum: moderators only by role, but Вася, a plain
    member of Uploaders, reads it as he did; a guest does not."""
    assert imported.query("SELECT view_role FROM forums WHERE id = 4") == [("moderator",)]
    assert imported.query("SELECT role FROM users WHERE id = 3") == [("user",)]
    data_dir = tmp_path / "data"
    shutil.copytree(imported.data_dir, data_dir)
    app = create_app(load_settings(data_dir, environ={}))
    staff = app.route_reverse("forum:forum", forum_id=4)
    with TestClient(app, base_url="http://testserver.local") as client:
        as_guest = client.get(staff, follow_redirects=False)
        assert login(client, "Вася", PASSWORD).status_code == 303
        as_member = client.get(staff)
    assert as_guest.status_code != 200
    assert as_member.status_code == 200
    assert "Staff" in as_member.text


def test_the_report_counts_each_home_in_english_and_russian(imported: Imported) -> None:
    counts = imported.report["imported"]
    assert {
        kind: counts[kind]
        for kind in ("ranks", "bonus points", "avatars", "e-mail addresses", "signatures")
    } == {"ranks": 1, "bonus points": 2, "avatars": 1, "e-mail addresses": 2, "signatures": 2}
    assert imported.report["kept_for_later"] == {"torrentpier_members": 1}
    connection = sqlite3.connect(imported.data_dir / "tinypier.sqlite3")
    try:
        report = build_report(connection, imported.report["version"], [])
    finally:
        connection.close()
    assert "  Avatars, avatar file missing from the avatar folder (member kept): 1" in (
        report.lines()
    )
    with speaking_to(Audience("ru", "UTC")):
        russian = report.lines()
    assert "  Аватары: 1" in russian
    assert "  Подписи: 2" in russian
    assert "  Аватары, файл аватара не найден в папке аватаров (участник сохранён): 1" in russian


def test_forum_perm_bits_are_torrentpiers_auth_constants() -> None:
    """Bit n of forum_perm is AUTH_* constant n (view 1, read 2, mod 3, post 4, reply 5,
    attach 12, download 13); edit, delete, sticky and the rest have no grant of their own."""
    assert forum_perm_rights(1 << 1 | 1 << 3 | 1 << 6 | 1 << 12 | 1 << 13) == [
        Right.VIEW,
        Right.MODERATE,
        Right.UPLOAD,
        Right.DOWNLOAD,
    ]
    assert forum_perm_rights(1 << 0 | 1 << 6 | 1 << 8) == []


def test_avatars_are_found_where_torrentpier_put_them() -> None:
    folder = Path("/board/data/avatars")
    assert avatar_path(folder, 123_456, 4) == folder / "12/56/123456.png"
    assert avatar_path(folder, 7, 12) == folder / "0/7/7.webp"
    assert avatar_path(folder, 7, 2) is None  # 2 is .gz: no image
