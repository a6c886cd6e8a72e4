"""Every real .torrent in ../shared/torrents goes up, comes down, and libtorrent agrees.

libtorrent (Debian's python3-libtorrent, run by the system Python in its own process)
reads each downloaded copy; its info hashes, size and file count must equal the manifest
and what the site registered. The public torrent gets private=1 and so a new hash: the
same new hash in the API answer, in the database and in the file a member downloads.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.forum.board import sql
from tests.helpers import add_member
from tests.samples import MANIFEST
from tests.torrents.releases import (
    Client,
    api_token,
    bearer,
    post_release_api,
    post_release_page,
    release_forum,
    shared_torrent,
    signed_in_member,
)
from tinypier.settings import Settings

SYSTEM_PYTHON = "/usr/bin/python3"

READ_WITH_LIBTORRENT = """
import json, sys
import libtorrent as lt
results = []
for path in sys.argv[1:]:
    info = lt.torrent_info(path)
    files = info.files()
    pad = lt.file_storage.flag_pad_file
    real = [i for i in range(files.num_files()) if not files.file_flags(i) & pad]
    hashes = info.info_hashes()
    results.append({
        "info_hash_v1": str(hashes.v1) if hashes.has_v1() else None,
        "info_hash_v2": str(hashes.v2) if hashes.has_v2() else None,
        "total_size": sum(files.file_size(i) for i in real),
        "file_count": len(real),
        "private": info.priv(),
        "trackers": [tracker.url for tracker in info.trackers()],
        "comment": info.comment(),
    })
print(json.dumps(results))
"""


def _libtorrent_available() -> bool:
    try:
        probe = subprocess.run(
            [SYSTEM_PYTHON, "-I", "-c", "import libtorrent"],
            capture_output=True,
            timeout=30,
            cwd="/",
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


pytestmark = [
    pytest.mark.realclient,
    pytest.mark.skipif(
        not _libtorrent_available(), reason="/usr/bin/python3 cannot import libtorrent"
    ),
]


def read_with_libtorrent(paths: list[Path]) -> list[dict[str, Any]]:
    # -I and a neutral cwd: a stray module beside the caller must not shadow the stdlib.
    result = subprocess.run(
        [SYSTEM_PYTHON, "-I", "-c", READ_WITH_LIBTORRENT, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
        check=True,
    )
    decoded: list[dict[str, Any]] = json.loads(result.stdout)
    return decoded


def test_every_shared_torrent_uploads_by_api_and_downloads_as_registered(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    forum = release_forum(settings)
    member = add_member(settings, "scripted")
    token = api_token(settings, member)
    downloads: list[Path] = []
    answers: list[dict[str, Any]] = []
    for entry in MANIFEST:
        created = post_release_api(
            client, token, forum, shared_torrent(entry["file"]), title=entry["file"]
        )
        assert created.status_code == 201, created.text
        answers.append(created.json())
        copy = client.get(urlsplit(created.json()["download_url"]).path, headers=bearer(token))
        assert copy.status_code == 200, copy.text
        downloads.append(tmp_path / entry["file"])
        downloads[-1].write_bytes(copy.content)

    read = read_with_libtorrent(downloads)

    for entry, answer, seen in zip(MANIFEST, answers, read, strict=True):
        assert (seen["total_size"], seen["file_count"]) == (
            entry["total_size"],
            entry["file_count"],
        )
        assert (seen["info_hash_v1"], seen["info_hash_v2"]) == (
            answer["info_hash"],
            answer["info_hash_v2"],
        )
        registered = sql(
            settings,
            "SELECT info_hash, info_hash_v2 FROM torrents WHERE id = ?",
            (answer["torrent_id"],),
        )[0]
        assert answer["info_hash"] == (
            registered["info_hash"].hex() if registered["info_hash"] else None
        )
        assert answer["info_hash_v2"] == (
            registered["info_hash_v2"].hex() if registered["info_hash_v2"] else None
        )
        assert seen["private"] is True
        assert seen["trackers"] == [settings.announce_base + member.passkey]
        assert seen["comment"] == answer["topic_url"]
        if entry["private"]:
            assert (answer["info_hash"], answer["info_hash_v2"]) == (
                entry["info_hash_v1"],
                entry["info_hash_v2"],
            )
            assert answer["made_private"] is False
        else:
            assert answer["info_hash"] != entry["info_hash_v1"]
            assert answer["made_private"] is True


def test_a_release_posted_by_the_form_downloads_from_its_page_as_registered(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    forum = release_forum(settings)
    member = signed_in_member(client, settings, "browser")
    public = next(entry for entry in MANIFEST if not entry["private"])

    posted = post_release_page(client, forum, shared_torrent(public["file"]), title="Album")
    topic_path = posted.headers["location"]
    (torrent_id, info_hash) = sql(settings, "SELECT id, info_hash FROM torrents")[0]
    copy = client.get(f"/torrents/{torrent_id}/download")
    path = tmp_path / "album.torrent"
    path.write_bytes(copy.content)

    (seen,) = read_with_libtorrent([path])

    assert seen["info_hash_v1"] == info_hash.hex() != public["info_hash_v1"]
    assert (seen["total_size"], seen["file_count"]) == (public["total_size"], public["file_count"])
    assert seen["private"] is True
    assert seen["trackers"] == [settings.announce_base + member.passkey]
    assert seen["comment"] == settings.base_url + topic_path
    assert 'filename="Album.torrent"' in copy.headers["content-disposition"]
