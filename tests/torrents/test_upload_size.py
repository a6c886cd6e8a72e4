"""The board's upload limit, not the web framework's default, bounds a release upload."""

from __future__ import annotations

import html
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


def torrent_claiming(length: int, piece_length: int) -> bytes:
    """A well-formed v1 torrent whose one file claims ``length`` bytes in one piece."""
    metainfo = build({"a": content(10)}, single=True, name=b"a")
    metainfo[b"info"] |= {b"length": length, b"piece length": piece_length, b"pieces": bytes(20)}
    return encode(metainfo)


@pytest.mark.parametrize(
    ("length", "piece_length", "refusal"),
    [
        (2**64, 2**64, "The .torrent's 'piece length' claims 18,446,744,073,709,551,616 bytes"),
        (2**63, 2**63 - 1, "The .torrent's 'length' of 'a' claims 9,223,372,036,854,775,808 bytes"),
    ],
)
def test_sizes_beyond_64_bits_are_refused_with_a_reason(
    client: Client, settings: Settings, forum_id: int, length: int, piece_length: int, refusal: str
) -> None:
    """SQLite cannot store them: the upload used to fail at the insert and answer 404."""
    before = row_counts(settings)

    response = post_release_page(client, forum_id, torrent_claiming(length, piece_length))

    assert response.status_code == 400
    assert refusal in html.unescape(response.text)
    assert row_counts(settings) == before
    assert stored_files(settings) == []


def test_the_api_refuses_a_size_beyond_64_bits_with_a_reason(
    client: Client, settings: Settings, forum_id: int
) -> None:
    member = signed_in_member(client, settings, "scripter")

    response = post_release_api(
        client, api_token(settings, member), forum_id, torrent_claiming(2**64, 2**64)
    )

    assert response.status_code == 400
    assert "'piece length' claims 18,446,744,073,709,551,616 bytes" in response.json()["error"]
