"""The member's copy of a .torrent: their tracker, the topic as comment, a safe file name."""

from __future__ import annotations

import bencodepy
import pytest

from tests.helpers import add_member, login
from tests.torrents.releases import Client, api_token, post_release_api, release_forum
from tests.torrents.test_metainfo import build, content, encode
from tinypier.settings import Settings
from tinypier.torrents.download import ascii_file_name, content_disposition
from tinypier.torrents.metainfo import parse_torrent


def test_the_copy_announces_to_the_site_only_with_the_topic_as_comment(
    client: Client, settings: Settings
) -> None:
    metainfo = build({"a.bin": content(5_000)})
    metainfo[b"announce-list"] = [
        [b"http://elsewhere.invalid/announce"],
        [b"udp://other.invalid:80"],
    ]
    metainfo[b"comment"] = b"made elsewhere"
    uploader = add_member(settings, "uploader")
    created = post_release_api(
        client, api_token(settings, uploader), release_forum(settings), encode(metainfo)
    ).json()
    member = add_member(settings, "member")
    login(client, member.name)

    response = client.get(f"/torrents/{created['torrent_id']}/download")

    copy = bencodepy.decode(response.content)
    assert copy[b"announce"] == f"{settings.announce_base}{member.passkey}".encode()
    assert b"announce-list" not in copy
    assert copy[b"comment"] == created["topic_url"].encode()
    assert parse_torrent(response.content).info_hash_v1_hex == created["info_hash"]
    assert response.headers["content-type"] == "application/x-bittorrent"
    assert "no-store" in response.headers["cache-control"]


@pytest.mark.parametrize(
    ("title", "ascii_name"),
    [
        ("Plain title", "Plain title.torrent"),
        ("Café — Noël (2024) [FLAC]", "Cafe Noel (2024) [FLAC].torrent"),
        ('../../etc/passwd"; x=1', "etc_passwd_ x_1.torrent"),
        ("日本語", "release-7.torrent"),
        ("...", "release-7.torrent"),
    ],
)
def test_the_file_name_is_ascii_safe(title: str, ascii_name: str) -> None:
    assert ascii_file_name(title, "release-7") == ascii_name


def test_the_full_title_travels_as_rfc_5987_filename_star() -> None:
    header = content_disposition("日本語 / Ünïcode\r\n", "release-7")

    assert header == (
        'attachment; filename="Unicode.torrent"; '
        "filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E%20%20%C3%9Cn%C3%AFcode.torrent"
    )
