"""A release topic shows its release block; removing it tells the tracker at once and
removes the stored .torrent that nothing refers to any more."""

from __future__ import annotations

import hashlib
from pathlib import Path

import bencodepy
from litestar import Litestar

from tests.boards import register_torrent
from tests.forum.board import sql
from tests.forum.conftest import Board, Client, log_in, submit
from tinypier.attachments import attachment_path


def small_torrent(payload: bytes = b"hello tinypier") -> bytes:
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

    assert submit(client, page, f"{page}/delete", {"confirm": "yes"}).status_code == 303

    assert forgotten == [release.torrent_id]
    assert board.value("SELECT COUNT(*) FROM torrents") == 1


def stored_file(board: Board, torrent: bytes) -> Path:
    return attachment_path(board.settings, hashlib.sha256(torrent).hexdigest())


def test_deleting_a_release_topic_keeps_its_stored_file_for_a_restore(
    client: Client, board: Board
) -> None:
    kept, gone = small_torrent(b"kept"), small_torrent(b"gone")
    register_torrent(board.settings, board.user.id, kept, title="Kept")
    release = register_torrent(board.settings, board.user.id, gone, title="Gone")
    log_in(client, board.moderator)
    page = f"/topics/{release.topic_id}"

    assert submit(client, page, f"{page}/delete", {"confirm": "yes"}).status_code == 303

    assert stored_file(board, gone).is_file()
    assert stored_file(board, kept).is_file()
    assert board.value("SELECT COUNT(*) FROM attachments") == 2


def test_deleting_the_first_post_of_a_release_deletes_its_topic_and_keeps_the_file(
    client: Client, board: Board
) -> None:
    torrent = small_torrent()
    release = register_torrent(board.settings, board.user.id, torrent, title="Hello")
    first_post = board.value("SELECT MIN(id) FROM posts WHERE topic_id = ?", (release.topic_id,))
    log_in(client, board.moderator)

    deleted = submit(
        client, f"/topics/{release.topic_id}", f"/posts/{first_post}/delete", {"confirm": "yes"}
    )

    assert deleted.status_code == 303
    deleted_topic = "SELECT deleted_at IS NOT NULL FROM topics WHERE id = ?"
    assert board.value(deleted_topic, (release.topic_id,)) == 1
    assert stored_file(board, torrent).is_file()


def test_deleting_a_forum_removes_the_stored_files_of_its_releases_only(
    client: Client, board: Board
) -> None:
    moved, gone = small_torrent(b"moved away"), small_torrent(b"gone with the forum")
    elsewhere = register_torrent(board.settings, board.user.id, moved, title="Elsewhere")
    release = register_torrent(board.settings, board.user.id, gone, title="Gone")
    sql(
        board.settings,
        "UPDATE topics SET forum_id = ? WHERE id = ?",
        (board.other_forum, elsewhere.topic_id),
    )
    forum_id = board.value("SELECT forum_id FROM topics WHERE id = ?", (release.topic_id,))
    log_in(client, board.admin)

    deleted = submit(
        client, "/admin/forums", f"/admin/forums/{forum_id}/delete", {"confirm": "yes"}
    )

    assert deleted.status_code == 303
    assert not stored_file(board, gone).exists()
    assert stored_file(board, moved).is_file()
    assert board.value("SELECT COUNT(*) FROM attachments") == 1
