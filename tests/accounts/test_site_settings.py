"""Admins change site settings on the web while the board runs.

A value saved on ``/admin/settings`` is stored in the database, wins over the file and
the environment, holds from the next request on without a restart, and is logged with
its old and new value. A bad value gets the file's own message and changes nothing;
"reset" hands the setting back to the file.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.accounts.browser import query, submit
from tests.helpers import Member, add_member, login
from tinypier.app import create_app
from tinypier.settings import CONFIG_FILE_NAME, Settings, load_settings

PAGE = "/admin/settings"
Client = TestClient[Any]


def save(client: Client, name: str, value: str) -> Any:
    return submit(client, PAGE, PAGE, {"name": name, "value": value})


def reset(client: Client, name: str) -> Any:
    return submit(client, PAGE, f"{PAGE}/reset", {"name": name})


def saved_rows(settings: Settings) -> list[tuple[str, str]]:
    rows = query(settings, "SELECT name, value FROM site_settings ORDER BY name")
    return [(row["name"], row["value"]) for row in rows]


def log_details(settings: Settings) -> list[tuple[str, str]]:
    rows = query(
        settings,
        "SELECT action, details FROM moderation_log WHERE target_type = 'setting' ORDER BY id",
    )
    return [(row["action"], row["details"]) for row in rows]


def register(client: Client, name: str) -> Any:
    password = "a long new password"
    return submit(
        client,
        "/register",
        "/register",
        {"name": name, "password": password, "password_confirm": password},
    )


def log_out(client: Client) -> None:
    client.post("/logout", data={"_csrf_token": client.cookies["tinypier_csrf"]})


@pytest.fixture
def as_admin(client: Client, admin: Member) -> Client:
    assert login(client, "root", admin.password).status_code == 303
    return client


def test_a_saved_site_name_is_in_the_next_page_title_and_logged(
    as_admin: Client, settings: Settings
) -> None:
    response = save(as_admin, "site_name", "Pier 9")

    assert response.status_code == 303
    assert "<title>Forums · Pier 9</title>" in as_admin.get("/").text
    assert saved_rows(settings) == [("site_name", "Pier 9")]
    assert log_details(settings) == [("change setting", "site_name: TinyPier -> Pier 9")]
    log = as_admin.get("/moderation").text
    assert "site_name: TinyPier -&gt; Pier 9" in log


def test_the_page_shows_value_default_source_and_file_only_settings(as_admin: Client) -> None:
    save(as_admin, "posts_per_hour", "30")

    page = as_admin.get(PAGE).text

    assert 'name="value" value="30"' in page
    assert "Saved on this page. Default: 60." in page
    assert "Without the saved value: 60." in page
    assert "Reset to file or default" in page
    assert "<dt><code>connections_max</code></dt>" in page, "restart-only settings are listed"
    assert 'value="base_url"' not in page, "a restart-only setting has no form"


def test_closing_registration_on_the_page_refuses_the_next_registration(
    as_admin: Client, client: Client
) -> None:
    assert save(as_admin, "registration_mode", "closed").status_code == 303
    log_out(as_admin)

    assert register(client, "newcomer").status_code == 403
    assert 'href="/register"' not in client.get("/").text


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("posts_per_hour", "many", "posts_per_hour: expected a positive whole number, got 'many'"),
        ("site_name", "   ", "site_name: expected a non-empty string, got '   '"),
        ("default_language", "xx", "default_language: expected one of en, ru, got 'xx'"),
        ("min_announce_interval", "9999", "min_announce_interval: must not exceed"),
        ("base_url", "http://elsewhere", "There is no such setting on this page."),
    ],
)
def test_a_bad_value_gets_the_files_message_and_changes_nothing(
    as_admin: Client, settings: Settings, name: str, value: str, message: str
) -> None:
    response = save(as_admin, name, value)

    assert response.status_code == 400
    assert message in html.unescape(response.text)
    assert saved_rows(settings) == []
    assert log_details(settings) == []


def test_resetting_a_setting_the_page_does_not_edit_is_refused(
    as_admin: Client, settings: Settings
) -> None:
    response = reset(as_admin, "data_dir")

    assert response.status_code == 400
    assert "There is no such setting on this page." in response.text
    assert log_details(settings) == []


def test_the_default_language_applies_to_the_next_guest(as_admin: Client) -> None:
    assert save(as_admin, "default_language", "ru").status_code == 303
    log_out(as_admin)

    page = as_admin.get("/").text

    assert '<html lang="ru">' in page


def test_tracker_settings_reach_the_tracker_at_once(as_admin: Client, app: Litestar) -> None:
    save(as_admin, "announce_interval", "900")
    save(as_admin, "global_freeleech", "true")

    tracker_settings = app.state.tracker.settings
    assert (tracker_settings.announce_interval, tracker_settings.global_freeleech) == (900, True)


@pytest.fixture
def file_settings(tmp_path: Path) -> Settings:
    data_dir = tmp_path / "filed"
    data_dir.mkdir()
    (data_dir / CONFIG_FILE_NAME).write_text('registration_mode = "closed"\nsite_name = "Filed"\n')
    return load_settings(data_dir, environ={})


def test_the_page_wins_over_the_file_survives_a_restart_and_resets_to_it(
    file_settings: Settings, admin_of_file_board: Member
) -> None:
    with TestClient(create_app(file_settings), base_url="http://testserver.local") as client:
        login(client, "root", admin_of_file_board.password)
        assert "Set in tinypier.toml. Default: open." in client.get(PAGE).text
        assert save(client, "registration_mode", "open").status_code == 303

    with TestClient(create_app(file_settings), base_url="http://testserver.local") as client:
        login(client, "root", admin_of_file_board.password)
        assert "Saved on this page. Default: open." in client.get(PAGE).text
        assert reset(client, "registration_mode").status_code == 303
        log_out(client)
        assert register(client, "newcomer").status_code == 403

    assert log_details(file_settings) == [
        ("change setting", "registration_mode: closed -> open"),
        ("reset setting", "registration_mode: open -> closed"),
    ]
    assert saved_rows(file_settings) == []


@pytest.fixture
def admin_of_file_board(file_settings: Settings) -> Member:
    create_app(file_settings)  # prepares the data directory and its database
    return add_member(file_settings, "root", role="admin")


def test_the_dashboard_links_to_the_page_and_a_description_shows_on_the_front_page(
    as_admin: Client,
) -> None:
    assert 'href="/admin/settings"' in as_admin.get("/admin").text

    save(as_admin, "site_description", "Films & music, shared fairly")
    front = as_admin.get("/").text

    assert '<p class="muted site-description">Films &amp; music, shared fairly</p>' in front
    assert '<meta name="description" content="Films &amp; music, shared fairly">' in front


def test_a_stored_value_that_no_longer_parses_is_skipped_and_the_board_starts(
    settings: Settings, admin: Member
) -> None:
    rows = [("default_language", "xx"), ("posts_per_hour", "-1"), ("site_name", "Still here")]
    for name, value in rows:
        query(
            settings,
            "INSERT INTO site_settings (name, value, changed_at) VALUES (?, ?, 0)",
            (name, value),
        )

    with TestClient(create_app(settings), base_url="http://testserver.local") as client:
        login(client, "root", admin.password)
        page = client.get(PAGE).text
        front = client.get("/").text

    assert '<html lang="en">' in front
    assert "<title>Forums · Still here</title>" in front
    assert 'name="value" value="60"' in page
