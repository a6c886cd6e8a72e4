"""The board's upload limit, not the web framework's default, bounds a release upload."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.forum.board import sql
from tests.torrents.releases import (
    Client,
    api_token,
    post_release_api,
    post_release_page,
    release_forum,
    row_counts,
    signed_in_member,
    stored_files,
)
from tests.torrents.test_metainfo import build, content, encode
from tinypier.settings import Settings, load_settings

MB = 1024 * 1024
UPLOAD_LIMIT = 12 * MB
"""Above the 10 MB that Litestar accepts when nobody says otherwise."""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data", environ={}, upload_size_limit=UPLOAD_LIMIT)


@pytest.fixture
def forum_id(client: Client, settings: Settings) -> int:
    forum = release_forum(settings)
    signed_in_member(client, settings, "uploader")
    return forum


def torrent_of_size(size: int) -> bytes:
    """A valid .torrent padded by its comment to ``size`` bytes."""
    small = encode(build({"a": content(10)}))
    padding = size - len(small) - len(f"7:comment{size}:")
    torrent = encode({**build({"a": content(10)}), b"comment": b"x" * padding})
    assert len(torrent) == size
    return torrent


def test_a_torrent_above_ten_megabytes_within_the_limit_is_registered(
    client: Client, settings: Settings, forum_id: int
) -> None:
    torrent = torrent_of_size(11 * MB)

    response = post_release_page(client, forum_id, torrent, title="Large")

    assert response.status_code == 303, response.text
    assert sql(settings, "SELECT title FROM torrents")[0][0] == "Large"
    assert [path.stat().st_size for path in stored_files(settings)] == [len(torrent)]


def test_a_page_upload_far_over_the_limit_is_refused_as_too_large(
    client: Client, settings: Settings, forum_id: int
) -> None:
    before = row_counts(settings)

    response = post_release_page(client, forum_id, torrent_of_size(UPLOAD_LIMIT + 2 * MB))

    assert response.status_code == 413
    assert "Too large" in response.text
    assert row_counts(settings) == before
    assert stored_files(settings) == []


def test_an_api_upload_far_over_the_limit_is_refused_as_too_large(
    client: Client, settings: Settings, forum_id: int
) -> None:
    member = signed_in_member(client, settings, "scripter")
    before = row_counts(settings)

    response = post_release_api(
        client, api_token(settings, member), forum_id, torrent_of_size(UPLOAD_LIMIT + 2 * MB)
    )

    assert response.status_code == 413
    assert response.json()["status_code"] == 413
    assert row_counts(settings) == before
    assert stored_files(settings) == []
