"""Profiles speak Russian: the online list counts in Russian plural forms, refusals and
the log's rank sentences are translated."""

from __future__ import annotations

import time

from litestar import Litestar

from tests.forum.conftest import Board, Client, log_in, submit
from tests.helpers import FakeClock
from tests.profiles.conftest import upload
from tinypier.db.connection import connect_sync
from tinypier.flood import FloodLimiter
from tinypier.profiles.flood import HOUR_SECONDS
from tinypier.profiles.flood import STATE_KEY as AVATAR_LIMITER

RUSSIAN = {"Accept-Language": "ru"}


def test_the_online_list_counts_in_russian(client: Client, board: Board) -> None:
    connection = connect_sync(board.settings.database_path)
    try:
        connection.execute(
            "INSERT INTO presence (user_id, seen_at) VALUES (?, ?)",
            (board.other_user.id, int(time.time())),
        )
    finally:
        connection.close()
    log_in(client, board.user)

    page = client.get("/", headers=RUSSIAN).text

    assert "Сейчас на форуме" in page
    assert "2 участника заходили за последние 15 мин." in page


def test_a_refused_avatar_is_explained_in_russian(client: Client, board: Board) -> None:
    log_in(client, board.user)
    submit(client, "/settings", "/settings/locale", {"language": "ru", "time_zone": ""})

    response = upload(client, "/profile", "/profile/avatar", "avatar", b"<svg/>", "x.svg")

    assert response.status_code == 400
    assert "Это не изображение JPEG, PNG, GIF или WebP." in response.text


def test_rank_changes_read_in_russian_in_the_log(client: Client, board: Board) -> None:
    log_in(client, board.admin)
    submit(client, "/admin/ranks", "/admin/ranks", {"title": "Старожил", "min_posts": "10"})

    log_page = client.get("/moderation", headers=RUSSIAN).text

    assert "создал(а) звание «Старожил»" in log_page


def test_too_many_avatar_uploads_are_refused_in_russian(
    app: Litestar, client: Client, board: Board
) -> None:
    app.state[AVATAR_LIMITER] = FloodLimiter(0, 1, HOUR_SECONDS, clock=FakeClock())
    log_in(client, board.user)
    submit(client, "/settings", "/settings/locale", {"language": "ru", "time_zone": ""})
    upload(client, "/profile", "/profile/avatar", "avatar", b"<svg/>", "x.svg")

    response = upload(client, "/profile", "/profile/avatar", "avatar", b"<svg/>", "x.svg")

    assert response.status_code == 429
    assert "последний час вы загрузили 1 аватар — это предел." in response.text
