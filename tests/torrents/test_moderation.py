"""Moderators set a release's status and freeleech; the topic shows it, the log keeps it,
and the tracker is told at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable

import httpx
import pytest
from litestar import Litestar

from tests.forum.board import on_board, sql
from tests.helpers import add_member, csrf_token, login
from tests.torrents.releases import (
    Client,
    api_token,
    post_release_api,
    release_forum,
    shared_torrent,
)
from tinypier.db.connection import Database
from tinypier.events import ChangeNotifier
from tinypier.settings import Settings
from tinypier.torrents.moderation import set_freeleech, set_status


@pytest.fixture
def release(client: Client, settings: Settings) -> tuple[int, int]:
    forum = release_forum(settings)
    uploader = add_member(settings, "uploader")
    created = post_release_api(
        client, api_token(settings, uploader), forum, shared_torrent("v1-mktorrent-single.torrent")
    ).json()
    return created["torrent_id"], created["topic_id"]


@pytest.fixture
def told(app: Litestar) -> list[int]:
    """The torrent ids the tracker was told about."""
    changed: list[int] = []
    app.state.changes.on_torrent_changed(changed.append)
    return changed


def submit(client: Client, topic_id: int, action: str, data: dict[str, str]) -> httpx.Response:
    token = csrf_token(client.get(f"/topics/{topic_id}").text)
    return client.post(action, data={"_csrf_token": token, **data}, follow_redirects=False)


def test_a_moderator_sets_the_status_and_the_topic_shows_who_and_when(
    client: Client, settings: Settings, release: tuple[int, int], told: list[int]
) -> None:
    torrent_id, topic_id = release
    moderator = add_member(settings, "Mod", "moderator")
    login(client, moderator.name)

    response = submit(client, topic_id, f"/torrents/{torrent_id}/status", {"status": "checked"})

    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Checked" in page
    assert "by Mod" in page
    assert told == [torrent_id]
    status, status_by = sql(settings, "SELECT status, status_by FROM torrents")[0]
    assert (status, status_by) == ("checked", moderator.id)
    log = sql(
        settings,
        "SELECT actor_id, action, target_type, target_id, details, forum_id FROM moderation_log",
    )
    forum_id = sql(settings, "SELECT forum_id FROM torrents")[0][0]
    assert [tuple(row) for row in log] == [
        (moderator.id, "release_status", "torrent", torrent_id, "not_checked -> checked", forum_id)
    ]


def test_a_moderator_sets_gold_freeleech(
    client: Client, settings: Settings, release: tuple[int, int], told: list[int]
) -> None:
    torrent_id, topic_id = release
    login(client, add_member(settings, "mod", "moderator").name)

    response = submit(client, topic_id, f"/torrents/{torrent_id}/freeleech", {"freeleech": "gold"})

    assert response.status_code == 303
    assert "Gold: download not counted" in client.get(f"/topics/{topic_id}").text
    assert sql(settings, "SELECT freeleech FROM torrents")[0][0] == "gold"
    assert sql(settings, "SELECT action, details FROM moderation_log")[0][:] == (
        "release_freeleech",
        "none -> gold",
    )
    assert told == [torrent_id]


def test_members_may_not_moderate_releases_and_see_no_controls(
    client: Client, settings: Settings, release: tuple[int, int], told: list[int]
) -> None:
    torrent_id, topic_id = release
    login(client, add_member(settings, "member").name)

    page = client.get(f"/topics/{topic_id}").text
    response = submit(client, topic_id, f"/torrents/{torrent_id}/status", {"status": "closed"})

    assert f"/torrents/{torrent_id}/status" not in page
    assert response.status_code == 403
    assert sql(settings, "SELECT status FROM torrents")[0][0] == "not_checked"
    assert told == []


def test_a_guest_may_not_moderate(
    client: Client, settings: Settings, release: tuple[int, int]
) -> None:
    torrent_id, _ = release
    token = csrf_token(client.get("/login").text)

    response = client.post(
        f"/torrents/{torrent_id}/status", data={"_csrf_token": token, "status": "closed"}
    )

    assert response.status_code == 401
    assert sql(settings, "SELECT status FROM torrents")[0][0] == "not_checked"


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [("status", "status", "deleted"), ("freeleech", "freeleech", "platinum")],
)
def test_an_unknown_value_is_refused(
    client: Client, settings: Settings, release: tuple[int, int], path: str, field: str, value: str
) -> None:
    torrent_id, topic_id = release
    login(client, add_member(settings, "mod", "moderator").name)

    response = submit(client, topic_id, f"/torrents/{torrent_id}/{path}", {field: value})

    assert response.status_code == 400
    assert sql(settings, "SELECT COUNT(*) FROM moderation_log")[0][0] == 0


def test_a_status_change_without_the_csrf_token_is_refused(
    client: Client, settings: Settings, release: tuple[int, int]
) -> None:
    torrent_id, _ = release
    login(client, add_member(settings, "mod", "moderator").name)

    response = client.post(f"/torrents/{torrent_id}/status", data={"status": "closed"})

    assert response.status_code == 403
    assert sql(settings, "SELECT status FROM torrents")[0][0] == "not_checked"


def test_a_missing_release_is_not_found(
    client: Client, settings: Settings, release: tuple[int, int]
) -> None:
    _, topic_id = release
    login(client, add_member(settings, "mod", "moderator").name)

    response = submit(client, topic_id, "/torrents/999/status", {"status": "closed"})

    assert response.status_code == 404


Change = Callable[[Database, ChangeNotifier], Awaitable[None]]


def closing(torrent_id: int, actor_id: int) -> Change:
    return lambda db, changes: set_status(db, actor_id, torrent_id, "closed", changes=changes)


def making_gold(torrent_id: int, actor_id: int) -> Change:
    return lambda db, changes: set_freeleech(db, actor_id, torrent_id, "gold", changes=changes)


def listening(settings: Settings) -> tuple[ChangeNotifier, list[tuple[int, str, str]]]:
    """A tracker stand-in, and what it reads of each release it is told about, when it is
    told (from another connection, as the tracker does)."""
    readings: list[tuple[int, str, str]] = []

    def read(torrent_id: int) -> None:
        row = sql(settings, "SELECT status, freeleech FROM torrents WHERE id = ?", (torrent_id,))
        readings.append((torrent_id, row[0][0], row[0][1]))

    changes = ChangeNotifier()
    changes.on_torrent_changed(read)
    return changes, readings


@pytest.mark.parametrize(
    ("make", "seen"), [(closing, ("closed", "none")), (making_gold, ("not_checked", "gold"))]
)
def test_the_tracker_is_told_once_the_change_has_committed(
    settings: Settings,
    release: tuple[int, int],
    make: Callable[[int, int], Change],
    seen: tuple[str, str],
) -> None:
    """Whoever changes a release, not only the moderation page, tells the tracker, and it
    then reads the new value: the notice follows the commit."""
    torrent_id, _ = release
    change = make(torrent_id, add_member(settings, "mod", "moderator").id)
    changes, readings = listening(settings)

    on_board(settings, lambda db: change(db, changes))

    assert readings == [(torrent_id, *seen)]


@pytest.mark.parametrize("make", [closing, making_gold])
def test_a_change_that_rolls_back_tells_the_tracker_nothing(
    settings: Settings, release: tuple[int, int], make: Callable[[int, int], Change]
) -> None:
    """The log entry is written after the release row; when it fails, the whole change
    rolls back and the tracker hears nothing of a change that never happened."""
    torrent_id, _ = release
    change = make(torrent_id, add_member(settings, "mod", "moderator").id)
    changes, readings = listening(settings)
    sql(
        settings,
        "CREATE TRIGGER refuse_log BEFORE INSERT ON moderation_log"
        " BEGIN SELECT RAISE(ABORT, 'log refused'); END",
    )

    with pytest.raises(sqlite3.IntegrityError, match="log refused"):
        on_board(settings, lambda db: change(db, changes))

    assert sql(settings, "SELECT status, freeleech FROM torrents")[0][:] == ("not_checked", "none")
    assert readings == []
