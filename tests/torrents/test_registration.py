"""Posting a release: what is registered, what is refused, and that a refusal stores nothing."""

from __future__ import annotations

import hashlib

import bencodepy
import pytest
from litestar import Litestar

from tests.forum.board import sql
from tests.helpers import add_member, login
from tests.torrents.releases import (
    Client,
    post_release_page,
    release_forum,
    row_counts,
    shared_torrent,
    signed_in_member,
    stored_files,
)
from tests.torrents.test_metainfo import build, content, encode
from tinypier.attachments import attachment_path
from tinypier.settings import Settings
from tinypier.torrents.metainfo import parse_torrent

PRIVATE_V1 = "v1-mktorrent-single.torrent"
PUBLIC_V1 = "v1-mktorrent-multi-public.torrent"


@pytest.fixture
def forum_id(client: Client, settings: Settings) -> int:
    forum = release_forum(settings)
    signed_in_member(client, settings, "uploader")
    return forum


def test_a_release_becomes_a_topic_with_its_post_torrent_row_and_stored_file(
    client: Client, settings: Settings, forum_id: int
) -> None:
    data = shared_torrent(PRIVATE_V1)

    response = post_release_page(
        client, forum_id, data, title="Single file", description="[b]Lossless[/b] rip."
    )

    assert response.status_code == 303
    topic_id = int(response.headers["location"].rsplit("/", 1)[1])
    (torrent,) = sql(settings, "SELECT * FROM torrents WHERE topic_id = ?", (topic_id,))
    parsed = parse_torrent(data)
    assert torrent["info_hash"] == parsed.info_hash_v1
    assert (torrent["name"], torrent["total_size"], torrent["file_count"]) == (
        "single.bin",
        3_000_000,
        1,
    )
    assert (torrent["title"], torrent["forum_id"], torrent["status"]) == (
        "Single file",
        forum_id,
        "not_checked",
    )
    (attachment,) = sql(
        settings, "SELECT * FROM attachments WHERE id = ?", (torrent["attachment_id"],)
    )
    assert attachment["sha256"] == hashlib.sha256(data).hexdigest()
    assert attachment_path(settings, attachment["sha256"]).read_bytes() == data
    (post,) = sql(settings, "SELECT body_html FROM posts WHERE topic_id = ?", (topic_id,))
    assert (
        "<strong>Lossless</strong>" in post["body_html"] or "<b>Lossless</b>" in post["body_html"]
    )
    assert "Release posted" in client.get(response.headers["location"]).text


def test_a_public_torrent_is_made_private_and_registered_under_its_new_hash(
    client: Client, settings: Settings, forum_id: int
) -> None:
    data = shared_torrent(PUBLIC_V1)

    response = post_release_page(client, forum_id, data)

    page = client.get(response.headers["location"]).text
    assert "download the site&#39;s .torrent and seed" in page
    (torrent,) = sql(settings, "SELECT info_hash, attachment_id FROM torrents")
    original = parse_torrent(data)
    assert torrent["info_hash"] != original.info_hash_v1
    (sha256,) = sql(
        settings, "SELECT sha256 FROM attachments WHERE id = ?", (torrent["attachment_id"],)
    )[0]
    stored = parse_torrent(attachment_path(settings, sha256).read_bytes())
    assert stored.private
    assert stored.info_hash_v1 == torrent["info_hash"]


def test_a_registered_hash_is_refused_with_a_link_to_the_existing_release(
    client: Client, settings: Settings, forum_id: int
) -> None:
    first = post_release_page(client, forum_id, shared_torrent(PRIVATE_V1), title="First")
    before = row_counts(settings)

    again = post_release_page(client, forum_id, shared_torrent(PRIVATE_V1), title="Again")

    assert again.status_code == 400
    assert "already registered" in again.text
    assert f'href="{first.headers["location"]}"' in again.text
    assert row_counts(settings) == before


def test_a_public_torrent_uploaded_twice_is_a_duplicate_of_its_private_copy(
    client: Client, settings: Settings, forum_id: int
) -> None:
    post_release_page(client, forum_id, shared_torrent(PUBLIC_V1))

    again = post_release_page(client, forum_id, shared_torrent(PUBLIC_V1))

    assert again.status_code == 400
    assert "already registered" in again.text


def test_a_v2_only_torrent_is_recognised_by_its_v2_hash_alone(
    client: Client, settings: Settings, forum_id: int
) -> None:
    v2_only = shared_torrent("v2-libtorrent-multi.torrent")
    post_release_page(client, forum_id, v2_only, title="v2")

    again = post_release_page(client, forum_id, v2_only, title="v2 again")

    assert again.status_code == 400
    assert "already registered" in again.text
    assert [tuple(row) for row in sql(settings, "SELECT info_hash IS NULL FROM torrents")] == [(1,)]


@pytest.mark.parametrize(
    ("torrent", "title", "description", "message"),
    [
        (None, "Title", "Text", "Choose a .torrent file"),
        (b"not bencoded", "Title", "Text", "not a valid .torrent"),
        (b"de", "Title", "Text", "no &#39;info&#39; dictionary"),
        (encode(build({"a": content(10)}, name=b"..")), "Title", "Text", "not allowed"),
        (shared_torrent(PRIVATE_V1), "   ", "Text", "The title is empty."),
        (shared_torrent(PRIVATE_V1), "Title", "  ", "The message is empty."),
    ],
    ids=["no-file", "garbage", "no-info", "path-traversal", "empty-title", "empty-description"],
)
def test_each_refusal_says_why_and_stores_nothing(
    client: Client,
    settings: Settings,
    forum_id: int,
    torrent: bytes | None,
    title: str,
    description: str,
    message: str,
) -> None:
    before = row_counts(settings)

    response = post_release_page(client, forum_id, torrent, title=title, description=description)

    assert response.status_code == 400
    assert message in response.text
    assert row_counts(settings) == before
    assert stored_files(settings) == []


def test_a_file_over_the_size_limit_is_refused(
    client: Client, settings: Settings, forum_id: int
) -> None:
    big = encode({**build({"a": content(10)}), b"comment": b"x" * settings.upload_size_limit})

    response = post_release_page(client, forum_id, big)

    assert response.status_code == 400
    assert "the largest accepted is" in response.text
    assert row_counts(settings)["torrents"] == 0


def test_preview_renders_the_description_and_registers_nothing(
    client: Client, settings: Settings, forum_id: int
) -> None:
    response = post_release_page(
        client,
        forum_id,
        None,
        title="Kept",
        description="[i]shown[/i] <script>x</script>",
        preview=True,
    )

    assert response.status_code == 200
    assert "<em>shown</em>" in response.text or "<i>shown</i>" in response.text
    assert "<script>x" not in response.text
    assert 'value="Kept"' in response.text
    assert row_counts(settings)["topics"] == 0


def test_a_forum_that_takes_no_releases_refuses_them(client: Client, settings: Settings) -> None:
    sql(settings, "INSERT INTO categories (name, position) VALUES ('C', 1)")
    sql(
        settings,
        "INSERT INTO forums (category_id, name, description, position, allows_releases, view_role,"
        " topic_role, reply_role, download_role, topic_count, post_count)"
        " VALUES (1, 'Chat', '', 1, 0, 'guest', 'user', 'user', 'user', 0, 0)",
    )
    signed_in_member(client, settings, "member")

    assert client.get("/forums/1/releases/new").status_code == 403


def test_a_guest_is_sent_to_log_in_and_cannot_post(client: Client, settings: Settings) -> None:
    forum = release_forum(settings)

    page = client.get(f"/forums/{forum}/releases/new", follow_redirects=False)

    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")
    member = add_member(settings, "someone")
    login(client, member.name)
    token_page = client.get(f"/forums/{forum}/releases/new")
    client.cookies.clear()
    refused = client.post(
        f"/forums/{forum}/releases/new",
        data={"title": "t", "description": "d"},
        files={"torrent": ("a.torrent", shared_torrent(PRIVATE_V1))},
    )
    assert token_page.status_code == 200
    assert refused.status_code in (401, 403)
    assert row_counts(settings)["torrents"] == 0


def test_a_post_without_the_csrf_token_is_refused(
    client: Client, settings: Settings, forum_id: int
) -> None:
    response = client.post(
        f"/forums/{forum_id}/releases/new",
        data={"title": "t", "description": "d"},
        files={"torrent": ("a.torrent", shared_torrent(PRIVATE_V1))},
    )

    assert response.status_code == 403
    assert row_counts(settings)["torrents"] == 0


def test_renaming_or_moving_the_topic_carries_over_to_the_release(
    client: Client, settings: Settings, forum_id: int
) -> None:
    post_release_page(client, forum_id, shared_torrent(PRIVATE_V1), title="Old name")
    other = release_forum(settings, "Other")

    sql(settings, "UPDATE topics SET title = 'New name', forum_id = ?", (other,))

    assert sql(settings, "SELECT title, forum_id FROM torrents")[0][:] == ("New name", other)
    found = sql(settings, "SELECT rowid FROM release_titles WHERE release_titles MATCH 'new'")
    assert len(found) == 1
    assert sql(settings, "SELECT rowid FROM release_titles WHERE release_titles MATCH 'old'") == []


def test_the_stored_torrent_is_never_named_by_the_upload(
    client: Client, settings: Settings, forum_id: int
) -> None:
    data = bencodepy.encode(build({"a": content(10)}, name=b"evil name"))

    post_release_page(client, forum_id, data)

    (path,) = stored_files(settings)
    assert path.name == hashlib.sha256(data).hexdigest()


def test_the_tracker_is_told_about_a_new_release_once_it_has_committed(
    app: Litestar, client: Client, settings: Settings, forum_id: int
) -> None:
    """The tracker looks the hash up when told; from its own connection it must find it."""
    told: list[tuple[int, int]] = []
    app.state.changes.on_torrent_changed(
        lambda torrent_id: told.append((torrent_id, len(sql(settings, "SELECT 1 FROM torrents"))))
    )

    post_release_page(client, forum_id, shared_torrent(PRIVATE_V1))

    assert told == [(sql(settings, "SELECT id FROM torrents")[0][0], 1)]


def test_a_registration_that_rolls_back_tells_the_tracker_nothing(
    app: Litestar, client: Client, settings: Settings, forum_id: int
) -> None:
    told: list[int] = []
    app.state.changes.on_torrent_changed(told.append)
    sql(
        settings,
        "CREATE TRIGGER refuse_release AFTER INSERT ON torrents"
        " BEGIN SELECT RAISE(ABORT, 'release refused'); END",
    )
    before = row_counts(settings)

    response = post_release_page(client, forum_id, shared_torrent(PRIVATE_V1))

    assert response.status_code == 500
    assert row_counts(settings) == before
    assert told == []
