"""A member's .torrent copy keeps only keys known to be safe; web seeds only when chosen.

An uploader controls every top-level key of the file. Keys such as 'url-list' and
'httpseeds' (web seeds), 'nodes' (DHT bootstrap hosts) or 'announce-list' (other
trackers) make each downloader's client contact hosts the uploader picked: an address
harvester. Each shared torrent made by real tools goes up with such keys added and comes
down without them, with the info dictionary untouched byte for byte.
"""

from __future__ import annotations

import html
from typing import Any

import bencodepy
import httpx
import pytest

from tests.forum.board import sql
from tests.helpers import add_member, login
from tests.samples import MANIFEST
from tests.torrents.releases import (
    Client,
    api_token,
    bearer,
    post_release_page,
    release_forum,
    row_counts,
    shared_torrent,
    signed_in_member,
    stored_files,
)
from tests.torrents.test_metainfo import encode
from tinypier.settings import Settings
from tinypier.torrents.metainfo import parse_torrent, personalise

WEB_SEEDS = {
    b"url-list": [b"https://seed.example/files/", b"http://mirror.example/x"],
    b"httpseeds": [b"http://seed.example/seed.php"],
}
HOSTILE_KEYS: dict[bytes, Any] = {
    **WEB_SEEDS,
    b"nodes": [[b"harvest.example", 6881]],
    b"announce-list": [[b"http://elsewhere.example/announce"]],
    b"comment.utf-8": b"a stale comment",
    b"publisher-url": b"https://harvest.example/",
    b"x-unknown": {b"callback": b"https://harvest.example/"},
}
# What a copy may hold; the others are kept only when the uploaded file had them.
SITE_KEYS = {b"announce", b"comment", b"info"}
DESCRIPTIVE_KEYS = {b"creation date", b"created by", b"encoding", b"piece layers"}


def with_hostile_keys(torrent: bytes) -> bytes:
    metainfo = bencodepy.decode(torrent)
    metainfo.update(HOSTILE_KEYS)
    return encode(metainfo)


def upload(
    client: Client, settings: Settings, torrent: bytes, web_seeds: str | None = None
) -> httpx.Response:
    uploader = add_member(settings, "uploader")
    fields = {
        "title": "Seeds",
        "description": "Web seeded.",
        "forum_id": str(release_forum(settings)),
    }
    if web_seeds is not None:
        fields["web_seeds"] = web_seeds
    return client.post(
        "/api/torrents",
        data=fields,
        files={"torrent": ("upload.torrent", torrent, "application/x-bittorrent")},
        headers=bearer(api_token(settings, uploader)),
    )


def downloaded_copy(client: Client, settings: Settings, torrent_id: int) -> bytes:
    member = add_member(settings, "downloader")
    login(client, member.name)
    response = client.get(f"/torrents/{torrent_id}/download")
    assert response.status_code == 200, response.text
    return response.content


def info_bytes(torrent: bytes) -> bytes:
    """The info dictionary's bytes as the file holds them (real tools write it sorted,
    so re-encoding finds its length)."""
    start = torrent.index(b"4:info") + len(b"4:info")
    length = len(bencodepy.encode(bencodepy.decode(torrent)[b"info"]))
    return torrent[start : start + length]


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["file"] for entry in MANIFEST])
def test_a_copy_keeps_only_safe_keys_and_the_info_hash(
    client: Client, settings: Settings, entry: dict[str, Any]
) -> None:
    uploaded = with_hostile_keys(shared_torrent(entry["file"]))
    created = upload(client, settings, uploaded).json()

    copy = downloaded_copy(client, settings, created["torrent_id"])

    top = bencodepy.decode(copy)
    assert SITE_KEYS <= set(top) <= SITE_KEYS | DESCRIPTIVE_KEYS
    assert set(top) - SITE_KEYS == set(bencodepy.decode(uploaded)) & DESCRIPTIVE_KEYS
    parsed = parse_torrent(copy)
    assert (parsed.info_hash_v1_hex, parsed.info_hash_v2_hex) == (
        created["info_hash"],
        created["info_hash_v2"],
    )
    if entry["private"]:  # a public upload gets the private flag, hence new info bytes
        assert info_bytes(copy) == info_bytes(uploaded)
        assert created["info_hash"] == entry["info_hash_v1"]


def test_web_seeds_are_kept_only_for_a_release_that_enables_them(
    client: Client, settings: Settings
) -> None:
    uploaded = with_hostile_keys(shared_torrent("v1-libtorrent-single.torrent"))
    created = upload(client, settings, uploaded, web_seeds="true").json()

    top = bencodepy.decode(downloaded_copy(client, settings, created["torrent_id"]))

    assert {key: top.get(key) for key in WEB_SEEDS} == WEB_SEEDS
    assert not {b"nodes", b"announce-list", b"publisher-url", b"x-unknown"} & set(top)
    assert sql(settings, "SELECT web_seeds_enabled FROM torrents")[0][0] == 1


@pytest.mark.parametrize(
    "seed",
    [b"ftp://seed.example/f", b"file:///etc/passwd", b"javascript:alert(1)", b"http://", 7],
)
def test_a_web_seed_that_is_not_an_http_url_is_refused_when_enabled(
    client: Client, settings: Settings, seed: object
) -> None:
    metainfo = bencodepy.decode(shared_torrent("v1-libtorrent-single.torrent"))
    metainfo[b"url-list"] = [b"https://fine.example/", seed]
    before = row_counts(settings)

    response = upload(client, settings, encode(metainfo), web_seeds="true")

    assert response.status_code == 400
    assert "which is not an http:// or https:// URL" in response.json()["error"]
    assert row_counts(settings) == before
    assert stored_files(settings) == []


def test_the_upload_form_has_the_web_seeds_choice_and_it_is_off_by_default(
    client: Client, settings: Settings
) -> None:
    forum_id = release_forum(settings)
    signed_in_member(client, settings, "uploader")
    torrent = with_hostile_keys(shared_torrent("v1-mktorrent-single.torrent"))

    form = client.get(f"/forums/{forum_id}/releases/new")
    posted = post_release_page(client, forum_id, torrent)

    assert 'name="web_seeds"' in form.text
    assert posted.status_code == 303
    assert sql(settings, "SELECT web_seeds_enabled FROM torrents")[0][0] == 0


def test_a_refused_form_keeps_the_web_seeds_box_ticked(client: Client, settings: Settings) -> None:
    forum_id = release_forum(settings)
    signed_in_member(client, settings, "uploader")
    metainfo = bencodepy.decode(shared_torrent("v1-mktorrent-single.torrent"))
    metainfo[b"url-list"] = b"gopher://old.example/"
    page = client.get(f"/forums/{forum_id}/releases/new")
    token = html.unescape(page.text).split('name="_csrf_token" value="')[1].split('"')[0]

    response = client.post(
        f"/forums/{forum_id}/releases/new",
        data={"_csrf_token": token, "title": "T", "description": "D", "web_seeds": "1"},
        files={"torrent": ("a.torrent", encode(metainfo), "application/x-bittorrent")},
    )

    assert response.status_code == 400
    assert "'gopher://old.example/', which is not an http:// or https:// URL" in html.unescape(
        response.text
    )
    assert 'name="web_seeds" value="1" checked' in response.text


def test_a_kept_key_with_the_wrong_kind_of_value_is_dropped() -> None:
    """'creation date' is a number to every client; a list there is not descriptive."""
    info = b"d4:name1:x6:lengthi0e12:piece lengthi16384e6:pieces0:e"
    data = b"d13:creation datel3:urle10:created by2:me4:info" + info + b"e"

    served = bencodepy.decode(personalise(data, "http://t/a", "c"))

    assert set(served) == {b"announce", b"comment", b"created by", b"info"}


def test_web_seeds_of_a_stored_file_are_filtered_again_on_download() -> None:
    """Files stored before web seeds were checked may hold anything: only http(s) URLs
    reach a member even when the release enables web seeds."""
    info = b"d4:name1:x6:lengthi0e12:piece lengthi16384e6:pieces0:e"
    data = b"d9:httpseedsi7e4:info" + info + b"8:url-listl14:https://ok.ex/11:file:///etce" + b"e"

    served = bencodepy.decode(personalise(data, "http://t/a", "c", web_seeds=True))

    assert served[b"url-list"] == [b"https://ok.ex/"]
    assert b"httpseeds" not in served
