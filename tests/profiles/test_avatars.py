"""Avatars: what is refused (and then nothing changes), what is stored (a PNG the board
made, without the upload's metadata), and how it is stored (by content, shared, removed
when nothing uses it)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.datastructures import State
from PIL import Image

from tests.forum.board import sql
from tests.forum.conftest import Board, Client, log_in, seed_topic, submit
from tests.helpers import FakeClock
from tests.profiles.conftest import image_bytes, upload
from tinypier.attachments import attachment_path
from tinypier.flood import FloodLimiter
from tinypier.profiles.flood import HOUR_SECONDS
from tinypier.profiles.flood import STATE_KEY as AVATAR_LIMITER
from tinypier.profiles.flood import limiter_of as avatar_limiter_of
from tinypier.settings import load_settings

EDIT = "/profile"
AVATAR = "/profile/avatar"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def avatar_digest(board: Board, member_id: int) -> str | None:
    rows = board.rows(
        "SELECT a.sha256 FROM profiles p JOIN attachments a ON a.id = p.avatar_id"
        " WHERE p.user_id = ?",
        (member_id,),
    )
    return str(rows[0][0]) if rows else None


def stored_files(board: Board) -> list[Path]:
    return sorted(p for p in board.settings.attachments_dir.rglob("*") if p.is_file())


def served(client: Client, digest: str) -> Image.Image:
    response = client.get(f"/images/{digest}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert "immutable" in response.headers["cache-control"]
    assert response.headers["x-content-type-options"] == "nosniff"
    return Image.open(io.BytesIO(response.content))


def test_an_uploaded_avatar_is_shrunk_reencoded_and_shown_beside_posts(
    client: Client, board: Board
) -> None:
    log_in(client, board.user)
    topic = seed_topic(board.settings, board.public_forum, board.user, "Hello")

    response = upload(client, EDIT, AVATAR, "avatar", image_bytes("JPEG", (800, 400)), "me.jpg")

    assert response.status_code == 303
    digest = avatar_digest(board, board.user.id)
    assert digest is not None
    image = served(client, digest)
    assert image.format == "PNG"
    assert image.size == (board.settings.avatar_size_px, board.settings.avatar_size_px // 2)
    assert f"/images/{digest}" in client.get(f"/topics/{topic.topic_id}").text
    assert f"/images/{digest}" in client.get(f"/members/{board.user.id}").text


def test_exif_is_stripped(client: Client, board: Board) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x8825] = {2: (55.0, 45.0, 0.0)}  # GPS: a latitude
    photo = image_bytes("JPEG", (300, 300), exif=exif.tobytes())
    assert b"SecretCameraMaker" in photo
    log_in(client, board.user)

    upload(client, EDIT, AVATAR, "avatar", photo, "holiday.jpg", "image/jpeg")

    digest = avatar_digest(board, board.user.id)
    assert digest is not None
    stored = attachment_path(board.settings, digest).read_bytes()
    assert b"SecretCameraMaker" not in stored
    image = served(client, digest)
    assert not image.getexif()
    assert "exif" not in image.info


@pytest.mark.parametrize(
    ("content", "filename", "content_type", "says"),
    [
        (SVG, "logo.svg", "image/svg+xml", "not a JPEG, PNG, GIF or WebP"),
        (b"just some text, no picture", "notes.png", "image/png", "not a JPEG, PNG, GIF or WebP"),
        (image_bytes("BMP", (10, 10)), "old.bmp", "image/bmp", "not a JPEG, PNG, GIF or WebP"),
        # 5000 x 4000 pixels in a few kilobytes: a decompression bomb.
        (image_bytes("PNG", (5000, 4000)), "bomb.png", "image/png", "too large in pixels"),
    ],
    ids=["svg", "non-image", "bmp", "decompression-bomb"],
)
def test_what_is_refused_changes_nothing(
    client: Client, board: Board, content: bytes, filename: str, content_type: str, says: str
) -> None:
    log_in(client, board.user)

    response = upload(client, EDIT, AVATAR, "avatar", content, filename, content_type)

    assert response.status_code == 400
    assert says in response.text
    assert avatar_digest(board, board.user.id) is None
    assert board.rows("SELECT COUNT(*) FROM attachments") == [(0,)]
    assert stored_files(board) == []


def test_pillows_own_bomb_limit_follows_the_setting(client: Client, board: Board) -> None:
    """Above twice the limit Pillow itself refuses while reading the header."""
    log_in(client, board.user)
    huge = image_bytes("PNG", (6000, 6000))  # 36 million pixels, over twice 16 million

    response = upload(client, EDIT, AVATAR, "avatar", huge, "huge.png")

    assert response.status_code == 400
    assert "too large in pixels" in response.text
    assert board.settings.avatar_source_pixels_max == Image.MAX_IMAGE_PIXELS


def test_an_oversized_file_is_refused(client: Client, board: Board) -> None:
    limit = board.settings.avatar_upload_max_bytes
    noisy = Image.effect_noise((1200, 1200), 100).convert("RGB")
    output = io.BytesIO()
    noisy.save(output, "PNG")
    assert len(output.getvalue()) > limit
    log_in(client, board.user)

    response = upload(client, EDIT, AVATAR, "avatar", output.getvalue(), "big.png")

    assert response.status_code == 400
    assert "choose a smaller file" in response.text
    assert stored_files(board) == []


def test_a_hostile_file_name_never_reaches_a_page(client: Client, board: Board) -> None:
    log_in(client, board.user)
    name = '"><script>alert("name")</script>.png'

    upload(client, EDIT, AVATAR, "avatar", image_bytes(), name)
    refused = upload(client, EDIT, AVATAR, "avatar", b"nope", name)

    pages = [refused.text, client.get(EDIT).text, client.get(f"/members/{board.user.id}").text]
    assert all("alert(" not in page and "script>" not in page for page in pages)


def test_the_same_image_is_stored_once_and_removed_when_nobody_uses_it(
    client: Client, board: Board
) -> None:
    picture = image_bytes("PNG", (64, 64), "orange")
    log_in(client, board.user)
    upload(client, EDIT, AVATAR, "avatar", picture, "a.png")
    client.cookies.clear()
    log_in(client, board.other_user)
    upload(client, EDIT, AVATAR, "avatar", picture, "b.png")

    digest = avatar_digest(board, board.user.id)
    assert digest is not None
    assert digest == avatar_digest(board, board.other_user.id)
    assert len(stored_files(board)) == 1
    assert board.rows("SELECT COUNT(*) FROM attachments") == [(1,)]

    submit(client, EDIT, "/profile/avatar/remove", {})
    assert attachment_path(board.settings, digest).is_file(), "alice still uses it"

    upload(client, EDIT, AVATAR, "avatar", image_bytes("PNG", (64, 64), "navy"), "c.png")
    client.cookies.clear()
    log_in(client, board.user)
    submit(client, EDIT, "/profile/avatar/remove", {})

    assert not attachment_path(board.settings, digest).exists()
    assert len(stored_files(board)) == 1
    assert board.rows("SELECT COUNT(*) FROM attachments") == [(1,)]
    assert client.get(f"/images/{digest}").status_code == 404


def test_only_avatar_and_rank_images_are_served(client: Client, board: Board) -> None:
    """The attachment store also holds .torrent files: their digests are not images."""
    digest = "ab" * 32
    sql(board.settings, "INSERT INTO attachments (sha256, size, created_at) VALUES (?, 1, 0)",
        (digest,))  # fmt: skip
    path = attachment_path(board.settings, digest)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"d8:announce...e")

    assert client.get(f"/images/{digest}").status_code == 404
    assert client.get("/images/..%2F..%2Fsecret_key").status_code == 404


def test_a_phones_multi_picture_jpeg_is_accepted_as_its_first_picture(
    client: Client, board: Board
) -> None:
    """Phones write JPEGs with a second picture inside (MPO), which Pillow reads apart."""
    output = io.BytesIO()
    Image.new("RGB", (300, 200), "red").save(
        output, "MPO", save_all=True, append_images=[Image.new("RGB", (300, 200), "blue")]
    )
    log_in(client, board.user)

    response = upload(client, EDIT, AVATAR, "avatar", output.getvalue(), "phone.jpg")

    assert response.status_code == 303
    digest = avatar_digest(board, board.user.id)
    assert digest is not None
    red, _green, blue = served(client, digest).convert("RGB").getpixel((0, 0))  # type: ignore[misc]
    assert red > 200 and blue < 50


def test_uploads_past_the_hourly_limit_are_refused_and_change_nothing(
    app: Litestar, client: Client, board: Board
) -> None:
    """A refused image counts (decoding it is the work limited); the one past the limit
    is refused before it is read, with the wait, and the avatar and store stay as they were."""
    clock = FakeClock()
    app.state[AVATAR_LIMITER] = FloodLimiter(0, 2, HOUR_SECONDS, clock=clock)
    log_in(client, board.user)
    first = image_bytes("PNG", (64, 64), "navy")
    assert upload(client, EDIT, AVATAR, "avatar", b"not a picture", "x.png").status_code == 400
    assert upload(client, EDIT, AVATAR, "avatar", first, "a.png").status_code == 303
    kept = avatar_digest(board, board.user.id)
    files = stored_files(board)

    refused = upload(client, EDIT, AVATAR, "avatar", image_bytes("PNG", (64, 64), "red"), "b.png")

    assert refused.status_code == 429
    assert (
        "You have uploaded 2 avatars in the last hour, the most allowed."
        " Wait 3600 seconds before uploading another."
    ) in refused.text
    assert avatar_digest(board, board.user.id) == kept
    assert stored_files(board) == files
    # Removing is not an upload; an hour later the first uploads no longer count.
    assert submit(client, EDIT, "/profile/avatar/remove", {}).status_code == 303
    assert avatar_digest(board, board.user.id) is None
    clock.now += HOUR_SECONDS
    assert upload(client, EDIT, AVATAR, "avatar", first, "a.png").status_code == 303


def test_the_limit_is_the_setting(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={"TINYPIER_AVATAR_UPLOADS_PER_HOUR": "3"})
    state = State()

    limiter = avatar_limiter_of(state, settings)

    assert (limiter.cap, limiter.window) == (3, HOUR_SECONDS)
    assert avatar_limiter_of(state, settings) is limiter
    assert load_settings(tmp_path, environ={}).avatar_uploads_per_hour == 10
