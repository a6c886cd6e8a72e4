"""A release topic shows its release block, and removing it tells the tracker at once."""

from __future__ import annotations

import hashlib

import bencodepy
from litestar import Litestar

from tests.boards import register_torrent
from tests.forum.conftest import Board, Client, log_in, submit


def small_torrent() -> bytes:
    payload = b"hello tinypier"
    info = {
        b"name": b"hello.txt",
        b"piece length": 16384,
        b"pieces": hashlib.sha1(payload).digest(),
        b"length": len(payload),
        b"private": 1,
    }
    encoded: bytes = bencodepy.encode({b"announce": b"http://tracker.invalid/a", b"info": info})
    return encoded


def test_the_release_block_sits_above_the_first_post(client: Client, board: Board) -> None:
    release = register_torrent(board.settings, board.user.id, small_torrent(), title="Hello")

    page = client.get(f"/topics/{release.topic_id}").text

    assert 'aria-labelledby="release-heading"' in page
    assert page.index('id="release-heading"') < page.index('id="post-')


def test_deleting_a_release_topic_tells_the_tracker(
    app: Litestar, client: Client, board: Board
) -> None:
    forgotten: list[int] = []
    app.state.changes.on_torrent_changed(forgotten.append)
    release = register_torrent(board.settings, board.user.id, small_torrent(), title="Hello")
    log_in(client, board.moderator)
    page = f"/topics/{release.topic_id}"

    assert submit(client, page, f"{page}/delete", {}).status_code == 303

    assert forgotten == [release.torrent_id]
    assert board.value("SELECT COUNT(*) FROM torrents") == 0
