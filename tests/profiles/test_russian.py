"""Profiles speak Russian: the online list counts in Russian plural forms, refusals and
the log's rank sentences are translated."""

from __future__ import annotations

import time

from tests.forum.conftest import Board, Client, log_in, submit
from tests.profiles.conftest import upload
from tinypier.db.connection import connect_sync

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
