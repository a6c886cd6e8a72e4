"""How a board is configured: defaults < tinypier.toml < TINYPIER_* environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinypier.settings import Settings, SettingsError, load_settings

from .cli.runner import run_cli


def _write_config(data_dir: Path, text: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "tinypier.toml").write_text(text, encoding="utf-8")


def test_defaults_without_file_or_environment(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})

    assert settings == Settings(data_dir=tmp_path)
    assert settings.registration_mode == "open"
    assert settings.database_path == tmp_path / "tinypier.sqlite3"
    assert settings.attachments_dir == tmp_path / "attachments"
    assert settings.secret_key_path == tmp_path / "secret_key"
    assert settings.announce_base == "http://127.0.0.1:8080/announce/"


def test_values_come_from_tinypier_toml_in_the_data_dir(tmp_path: Path) -> None:
    _write_config(
        tmp_path,
        'site_name = "Pier 9"\n'
        'base_url = "https://pier.example/"\n'
        'registration_mode = "invite"\n'
        "announce_interval = 900\n"
        'trusted_proxies = ["127.0.0.1", "10.0.0.0/8"]\n'
        "global_freeleech = true\n",
    )

    settings = load_settings(tmp_path, environ={})

    assert settings.site_name == "Pier 9"
    assert settings.base_url == "https://pier.example"
    assert settings.announce_base == "https://pier.example/announce/"
    assert settings.registration_mode == "invite"
    assert settings.announce_interval == 900
    assert settings.trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    assert settings.global_freeleech is True


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    _write_config(tmp_path, 'registration_mode = "invite"\nupload_size_limit = 1000\n')

    settings = load_settings(
        tmp_path,
        environ={
            "TINYPIER_REGISTRATION_MODE": "closed",
            "TINYPIER_TRUSTED_PROXIES": "127.0.0.1, ::1",
        },
    )

    assert settings.registration_mode == "closed"
    assert settings.upload_size_limit == 1000
    assert settings.trusted_proxies == ("127.0.0.1", "::1")


def test_tinypier_data_dir_chooses_the_board_and_its_file(tmp_path: Path) -> None:
    board = tmp_path / "elsewhere"
    _write_config(board, 'site_name = "Elsewhere"\n')

    settings = load_settings(environ={"TINYPIER_DATA_DIR": str(board)})

    assert settings.data_dir == board
    assert settings.site_name == "Elsewhere"


def test_an_unknown_environment_variable_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="'anounce_interval'"):
        load_settings(tmp_path, environ={"TINYPIER_ANOUNCE_INTERVAL": "60"})


def test_the_install_time_compile_switch_is_not_taken_for_a_setting(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={"TINYPIER_COMPILE": "1"})

    assert settings == Settings(data_dir=tmp_path)


def test_an_invalid_environment_value_is_refused_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="numwant_max"):
        load_settings(tmp_path, environ={"TINYPIER_NUMWANT_MAX": "lots"})


@pytest.mark.parametrize(
    ("content", "named"),
    [
        pytest.param('sitename = "typo"\n', "'sitename'", id="unknown key"),
        pytest.param('data_dir = "/elsewhere"\n', "data_dir", id="data dir inside itself"),
        pytest.param("site_name = \n", r"tinypier\.toml", id="not TOML"),
        pytest.param('registration_mode = "sometimes"\n', "registration_mode", id="mode"),
        pytest.param("announce_interval = -5\n", "announce_interval", id="negative"),
        pytest.param('announce_interval = "soon"\n', "announce_interval", id="not a number"),
        pytest.param("upload_size_limit = true\n", "upload_size_limit", id="bool as number"),
        pytest.param('base_url = "ftp://pier.example"\n', "base_url", id="not http"),
        pytest.param('site_name = ""\n', "site_name", id="empty text"),
        pytest.param('global_freeleech = "maybe"\n', "global_freeleech", id="not a bool"),
        pytest.param('trusted_proxies = ["proxy"]\n', "trusted_proxies", id="not an address"),
        pytest.param("client_deny_prefixes = 7\n", "client_deny_prefixes", id="not a list"),
        pytest.param(
            "announce_interval = 600\nmin_announce_interval = 900\n",
            "min_announce_interval",
            id="minimum above interval",
        ),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_naming_the_key(
    tmp_path: Path, content: str, named: str
) -> None:
    _write_config(tmp_path, content)

    with pytest.raises(SettingsError, match=named):
        load_settings(tmp_path, environ={})


def test_the_command_stops_at_start_with_a_message_naming_the_key(tmp_path: Path) -> None:
    _write_config(tmp_path, 'registration_mode = "sometimes"\n')

    result = run_cli(tmp_path, "migrate")

    assert result.exit_code != 0
    assert "registration_mode" in result.output
    assert not (tmp_path / "tinypier.sqlite3").exists()


def test_the_post_interval_may_be_turned_off_with_zero_but_not_made_negative(
    tmp_path: Path,
) -> None:
    off = load_settings(tmp_path, environ={"TINYPIER_POST_INTERVAL_SECONDS": "0"})
    assert off.post_interval_seconds == 0
    with pytest.raises(SettingsError, match="post_interval_seconds"):
        load_settings(tmp_path, environ={"TINYPIER_POST_INTERVAL_SECONDS": "-1"})
