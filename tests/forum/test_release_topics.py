"""A release topic shows its release block; removing it tells the tracker at once and
removes the stored .torrent that nothing refers to any more."""

from __future__ import annotations

import hashlib
from pathlib import Path

import bencodepy
from litestar import Litestar

from tests.boards import register_torrent
from tests.forum.board import sql
from tests.forum.conftest import Board, Client, log_in, seed_topic, submit
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


CONFIRM = {"confirm": "yes"}


def heard_by_tracker(app: Litestar, board: Board) -> list[tuple[int, int | None]]:
    """Each release the tracker is told about, with the forum of its topic as the database
    shows at that moment: the notice comes once the change has committed."""
    heard: list[tuple[int, int | None]] = []

    def note(torrent_id: int) -> None:
        forum = board.rows(
            "SELECT tp.forum_id FROM torrents t JOIN topics tp ON tp.id = t.topic_id"
            " WHERE t.id = ?",
            (torrent_id,),
        )
        heard.append((torrent_id, forum[0][0] if forum else None))

    app.state.changes.on_torrent_changed(note)
    return heard


def test_the_tracker_hears_of_a_moved_release_once_the_move_has_committed(
    app: Litestar, client: Client, board: Board
) -> None:
    heard = heard_by_tracker(app, board)
    release = register_torrent(board.settings, board.user.id, small_torrent(), title="Hello")
    log_in(client, board.moderator)
    page = f"/topics/{release.topic_id}"

    moved = submit(client, page, f"{page}/move", {"forum_id": str(board.other_forum)})

    assert moved.status_code == 303
    assert heard == [(release.torrent_id, board.other_forum)]


def test_restoring_a_release_topic_tells_the_tracker(
    app: Litestar, client: Client, board: Board
) -> None:
    release = register_torrent(board.settings, board.user.id, small_torrent(), title="Hello")
    log_in(client, board.moderator)
    page = f"/topics/{release.topic_id}"
    submit(client, page, f"{page}/delete", CONFIRM)
    heard = heard_by_tracker(app, board)

    assert submit(client, page, f"{page}/restore", {}).status_code == 303

    assert [torrent_id for torrent_id, _forum in heard] == [release.torrent_id]
    assert board.value("SELECT deleted_at FROM topics WHERE id = ?", (release.topic_id,)) is None


def test_a_merged_release_follows_its_posts_and_the_tracker_hears(
    app: Litestar, client: Client, board: Board
) -> None:
    heard = heard_by_tracker(app, board)
    release = register_torrent(board.settings, board.user.id, small_torrent(), title="Hello")
    target = seed_topic(board.settings, board.other_forum, board.user, "Plain topic")
    log_in(client, board.moderator)
    page = f"/topics/{release.topic_id}/merge"

    merged = submit(client, page, page, {**CONFIRM, "into_topic_id": str(target.topic_id)})

    assert merged.status_code == 303
    assert board.rows("SELECT topic_id, forum_id, title FROM torrents") == [
        (target.topic_id, board.other_forum, "Plain topic")
    ]
    assert heard == [(release.torrent_id, board.other_forum)]


def test_two_releases_do_not_merge_and_the_tracker_hears_nothing(
    app: Litestar, client: Client, board: Board
) -> None:
    heard = heard_by_tracker(app, board)
    source = register_torrent(board.settings, board.user.id, small_torrent(b"one"), title="One")
    target = register_torrent(board.settings, board.user.id, small_torrent(b"two"), title="Two")
    log_in(client, board.moderator)
    page = f"/topics/{source.topic_id}/merge"

    refused = submit(client, page, page, {**CONFIRM, "into_topic_id": str(target.topic_id)})

    assert refused.status_code == 400 and "Both topics have a release" in refused.text
    assert board.value("SELECT COUNT(*) FROM topics WHERE id = ?", (source.topic_id,)) == 1
    assert heard == []


def test_a_topic_delete_confirm_page_names_the_release_only_for_a_release_topic(
    client: Client, board: Board
) -> None:
    release = register_torrent(board.settings, board.user.id, small_torrent(), title="Hello")
    plain = seed_topic(board.settings, board.public_forum, board.user, "Plain topic")
    log_in(client, board.moderator)

    release_page = client.get(f"/topics/{release.topic_id}/delete").text
    plain_page = client.get(f"/topics/{plain.topic_id}/delete").text

    assert "Its release leaves the tracker page" in release_page
    assert "Its release leaves the tracker page" not in plain_page
    assert "Moderators can restore it" in plain_page


def test_deleting_a_forum_tells_the_tracker_of_its_releases_and_its_page_counts_them(
    app: Litestar, client: Client, board: Board
) -> None:
    heard = heard_by_tracker(app, board)
    first = register_torrent(board.settings, board.user.id, small_torrent(b"one"), title="One")
    second = register_torrent(board.settings, board.user.id, small_torrent(b"two"), title="Two")
    forum_id = board.value("SELECT forum_id FROM topics WHERE id = ?", (first.topic_id,))
    log_in(client, board.admin)
    delete = f"/admin/forums/{forum_id}/delete"

    assert "2 releases leave the tracker" in client.get(delete).text
    without_releases = client.get(f"/admin/forums/{board.public_forum}/delete").text
    assert "leave the tracker" not in without_releases
    assert "leaves the tracker" not in without_releases
    assert submit(client, "/admin/forums", delete, CONFIRM).status_code == 303

    assert sorted(heard) == [(first.torrent_id, None), (second.torrent_id, None)]
    assert board.value("SELECT COUNT(*) FROM torrents") == 0
