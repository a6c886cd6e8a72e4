"""A crash during an upload leaves leftovers; a restart tidies them and loses nothing.

``kill -9`` can stop an upload at two points of the store (see torrents.storage): while
its file is written under a temporary name, or after the rename but before the row
commits. Neither upload was acknowledged. The leftovers are made here exactly as those
crash points leave them, then the board starts again: temporary files are gone, the
orphan is reported as a warning with a remedy (``check`` passes), and every release
that was acknowledged downloads as before.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from litestar.testing import TestClient

from tests.cli.runner import run_cli
from tests.db.board import add_attachment
from tests.helpers import add_member, login
from tests.roles import BASE_URL
from tests.torrents.releases import api_token, post_release_api, release_forum
from tests.torrents.test_metainfo import build, content, encode
from tinypier.app import create_app
from tinypier.attachments import TEMPORARY_UPLOAD_PREFIX, temporary_uploads
from tinypier.settings import Settings, load_settings
from tinypier.torrents.storage import store_bytes


def interrupted_while_writing(settings: Settings) -> Path:
    """The temporary file of an upload killed before its rename."""
    handle, name = tempfile.mkstemp(dir=settings.attachments_dir, prefix=TEMPORARY_UPLOAD_PREFIX)
    with os.fdopen(handle, "wb") as stream:
        stream.write(b"d8:announce")
    return Path(name)


def interrupted_before_commit(settings: Settings) -> Path:
    """The stored file of an upload killed after its rename, before its row committed."""
    return store_bytes(settings.attachments_dir, encode(build({"b": content(99)}))).path


def test_a_restart_removes_temporary_files_and_keeps_every_acknowledged_release(
    tmp_path: Path,
) -> None:
    settings = load_settings(tmp_path / "data", environ={})
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        uploader = add_member(settings, "uploader")
        created = post_release_api(
            client,
            api_token(settings, uploader),
            release_forum(settings),
            encode(build({"a": content(50)})),
        ).json()
    kept = add_attachment(settings, b"an attachment of another kind")[1]
    temporary = interrupted_while_writing(settings)
    orphan = interrupted_before_commit(settings)
    assert run_cli(settings.data_dir, "check").exit_code == 0

    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        assert temporary_uploads(settings.attachments_dir) == []
        assert kept.is_file() and orphan.is_file()
        login(client, add_member(settings, "downloader").name)
        download = client.get(f"/torrents/{created['torrent_id']}/download")
    report = run_cli(settings.data_dir, "check")

    assert not temporary.exists()
    assert download.status_code == 200
    assert report.exit_code == 0, report.output
    assert f"{orphan}: no attachment refers to this file" in report.output
    assert "1 warning(s)" in report.output


def test_a_restart_leaves_the_stored_files_alone(tmp_path: Path) -> None:
    """Only temporary names are removed; a digest-named file without a row is reported,
    never deleted: whether to remove a stored file is the admin's call."""
    settings = load_settings(tmp_path / "data", environ={})
    create_app(settings)
    orphan = interrupted_before_commit(settings)
    before = sorted(settings.attachments_dir.rglob("*"))

    with TestClient(create_app(settings), base_url=BASE_URL):
        pass

    assert sorted(settings.attachments_dir.rglob("*")) == before
    assert orphan.is_file()
