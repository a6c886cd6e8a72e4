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


def test_the_data_dir_cannot_be_set_from_inside_itself(tmp_path: Path) -> None:
    _write_config(tmp_path, 'data_dir = "/somewhere/else"\n')

    with pytest.raises(SettingsError, match="data_dir"):
        load_settings(tmp_path, environ={})


def test_an_unknown_key_in_the_file_is_named(tmp_path: Path) -> None:
    _write_config(tmp_path, 'sitename = "typo"\n')

    with pytest.raises(SettingsError, match="'sitename'"):
        load_settings(tmp_path, environ={})


def test_an_unknown_environment_variable_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="'anounce_interval'"):
        load_settings(tmp_path, environ={"TINYPIER_ANOUNCE_INTERVAL": "60"})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("registration_mode", '"sometimes"'),
        ("announce_interval", "-5"),
        ("announce_interval", '"soon"'),
        ("upload_size_limit", "true"),
        ("base_url", '"ftp://pier.example"'),
        ("site_name", '""'),
        ("global_freeleech", '"maybe"'),
        ("trusted_proxies", '["not-an-address"]'),
        ("client_deny_prefixes", "7"),
    ],
)
def test_an_invalid_value_in_the_file_is_refused_naming_the_key(
    tmp_path: Path, key: str, value: str
) -> None:
    _write_config(tmp_path, f"{key} = {value}\n")

    with pytest.raises(SettingsError, match=key):
        load_settings(tmp_path, environ={})


def test_an_invalid_environment_value_is_refused_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="numwant_max"):
        load_settings(tmp_path, environ={"TINYPIER_NUMWANT_MAX": "lots"})


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    _write_config(tmp_path, "site_name = \n")

    with pytest.raises(SettingsError, match=r"tinypier\.toml"):
        load_settings(tmp_path, environ={})


def test_the_minimum_announce_interval_cannot_exceed_the_interval(tmp_path: Path) -> None:
    _write_config(tmp_path, "announce_interval = 600\nmin_announce_interval = 900\n")

    with pytest.raises(SettingsError, match="min_announce_interval"):
        load_settings(tmp_path, environ={})


def test_the_command_stops_at_start_with_a_message_naming_the_key(tmp_path: Path) -> None:
    _write_config(tmp_path, 'registration_mode = "sometimes"\n')

    result = run_cli(tmp_path, "migrate")

    assert result.exit_code != 0
    assert "registration_mode" in result.output
    assert not (tmp_path / "tinypier.sqlite3").exists()
