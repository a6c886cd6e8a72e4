"""Where the import looks for avatars: the board's PHP config (``avatars.upload_path``,
``config.local.php`` winning over ``config.php``, 3.0's ``config/avatars.php``), or
``--avatars``; the report says which folder and how many avatars were missing."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.runner import run_cli
from tests.importers.conftest import import_board
from tests.importers.torrentpier_fixture import AVATARS_FOLDER_2_4, write_board
from tinypier.importers.torrentpier.php_config import avatars_folder, strip_comments


def test_the_real_config_files_default_folders_are_read(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "config.php").write_text(
        "<?php\n$bb_cfg['avatars'] = [\n"
        "    'allowed_ext' => ['gif', 'jpg'], // 'upload_path' => '/not/this/',\n"
        "    'upload_path' => BB_PATH . '/data/avatars/', // Storage path\n"
        "];\n$bb_cfg['group_avatars'] = ['upload_path' => BB_PATH . '/data/groups/'];\n"
    )
    found = avatars_folder(tmp_path, "2.4+")
    assert (found.folder, found.source) == (tmp_path / "data/avatars", "library/config.php")


def test_config_local_wins_and_comments_and_nested_arrays_are_not_read(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "config.php").write_text(
        "<?php\n$bb_cfg['avatars'] = array(\n  'upload_path' => BB_ROOT . 'data/avatars/',\n);\n"
    )
    (library / "config.local.php").write_text(
        "<?php\n/* $bb_cfg['avatars']['upload_path'] = '/commented/'; */\n"
        "# $bb_cfg['avatars']['upload_path'] = '/hashed/';\n"
        "$bb_cfg['avatars']['upload_path'] = \"/srv/tp/avatars/\";\n"
        "$bb_cfg['avatars'] = ['sub' => ['upload_path' => '/nested/']];\n"
    )
    found = avatars_folder(tmp_path, "2.4+")
    assert (found.folder, found.source) == (Path("/srv/tp/avatars"), "library/config.local.php")
    (library / "config.local.php").write_text("<?php\n// nothing about avatars\n")
    assert avatars_folder(tmp_path, "2.0-2.3").folder == tmp_path / "data/avatars"


def test_an_expression_that_is_not_a_plain_path_falls_back_to_the_default(tmp_path: Path) -> None:
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "config.php").write_text(
        "<?php\n$bb_cfg['avatars']['upload_path'] = getenv('AVATARS') . '/';\n"
    )
    found = avatars_folder(tmp_path, "2.4+")
    assert (found.folder, found.source) == (tmp_path / "data/avatars", "")
    found = avatars_folder(tmp_path, "3.0")
    assert found.folder == tmp_path / "storage/app/public/avatars"


def test_3_0_reads_the_user_array_of_config_avatars(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "avatars.php").write_text(
        "<?php\nreturn [\n  'group' => ['upload_path' => '/groups/'],\n"
        "  'user' => [\n    'allowed_ext' => ['gif'],\n"
        "    'upload_path' => STORAGE_PUBLIC_DIR . '/member-avatars/',\n  ],\n];\n"
    )
    found = avatars_folder(tmp_path, "3.0")
    assert found.folder == tmp_path / "storage/app/public/member-avatars"
    assert found.source == "config/avatars.php"


def test_strip_comments_keeps_comment_marks_inside_strings() -> None:
    assert strip_comments("$a = 'x // y'; // gone\n$b = \"#\"; /* gone */") == (
        "$a = 'x // y'; \n$b = \"#\"; "
    )


def test_a_board_whose_config_moved_the_avatar_folder(tmp_path: Path) -> None:
    board = write_board(tmp_path, "2.4")
    moved = tmp_path / "elsewhere" / "avatars"
    moved.parent.mkdir()
    shutil.move(board.root / AVATARS_FOLDER_2_4, moved)
    (board.root / "library" / "config.local.php").write_text(
        f"<?php\n$bb_cfg['avatars']['upload_path'] = '{moved}/';\n"
    )
    imported = import_board(board, tmp_path / "data")
    assert imported.query("SELECT user_id FROM profiles WHERE avatar_id IS NOT NULL") == [(2,)]
    assert imported.report["imported"]["avatars"] == 1
    assert imported.report["avatars"] == {
        "folder": str(moved),
        "from": "library/config.local.php",
        "missing": 1,
    }


def test_avatars_option_overrides_the_config_and_the_report_says_so(tmp_path: Path) -> None:
    board = write_board(tmp_path, "2.4")
    moved = tmp_path / "copied-avatars"
    shutil.move(board.root / AVATARS_FOLDER_2_4, moved)
    data_dir = tmp_path / "data"
    result = run_cli(
        data_dir,
        "import-torrentpier",
        str(board.dump),
        "--files",
        str(board.root),
        "--avatars",
        str(moved),
    )
    assert result.exit_code == 0, result.output
    assert f"Avatars were looked for in {moved} (given by --avatars): 1 missing." in result.stdout
    assert "  Avatars: 1" in result.stdout


def test_without_the_folder_every_avatar_is_missing_and_reported(tmp_path: Path) -> None:
    board = write_board(tmp_path, "3.0")
    shutil.rmtree(board.root / "storage" / "app" / "public" / "avatars")
    imported = import_board(board, tmp_path / "data")
    assert imported.report["imported"]["avatars"] == 0
    assert imported.report["avatars"] == {
        "folder": str(board.root / "storage/app/public/avatars"),
        "from": "config/avatars.php",
        "missing": 3,
    }
