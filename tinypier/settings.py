"""Every setting of a board, in one place.

A board is configured by its data directory: an optional ``tinypier.toml`` there, then
``TINYPIER_<KEY>`` environment variables on top. Anything unknown or invalid stops the
start with a message that names the key, because a typo silently ignored is a board
that behaves differently from what its admin believes.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from tinypier.i18n import available_languages, is_time_zone

CONFIG_FILE_NAME = "tinypier.toml"
ENV_PREFIX = "TINYPIER_"
NOT_SETTINGS = frozenset({"TINYPIER_COMPILE"})
"""Variables of the prefix read at install time, not by the board: the build backend's
switch (build_backend/tinypier_backend.py), which may well stay exported in a shell."""
REGISTRATION_MODES = ("open", "invite", "closed")


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message names the key."""


def default_data_dir() -> Path:
    return platformdirs.user_data_path("tinypier")


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    site_name: str = "TinyPier"
    base_url: str = "http://127.0.0.1:8080"
    registration_mode: str = "open"
    announce_interval: int = 1800
    min_announce_interval: int = 300
    upload_size_limit: int = 4 * 1024 * 1024
    numwant_max: int = 100
    peers_per_member_max: int = 5
    scrape_max_hashes: int = 64
    global_freeleech: bool = False
    trusted_proxies: tuple[str, ...] = ()
    client_allow_prefixes: tuple[str, ...] = ()
    client_deny_prefixes: tuple[str, ...] = ()
    invite_quota: int = 2
    session_days: int = 30
    login_attempts_per_minute: int = 10
    commit_interval_ms: int = 5
    head_size_max: int = 16384
    head_timeout_seconds: int = 10
    body_timeout_seconds: int = 120
    pipeline_max: int = 8
    write_buffer_high_water: int = 65536
    connections_max: int = 1000
    send_timeout_seconds: int = 60
    tracker_counter_max: int = 2**53
    departed_per_member_max: int = 16
    departed_max: int = 100_000
    max_upload_rate: int = 100 * 1024 * 1024
    max_download_rate: int = 1024 * 1024 * 1024
    cheat_log_max_rows: int = 100_000
    post_max_chars: int = 60_000
    post_interval_seconds: int = 5
    posts_per_hour: int = 60
    previews_per_minute: int = 20
    connections_per_address_max: int = 64
    default_language: str = "en"
    default_timezone: str = "UTC"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "tinypier.sqlite3"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def secret_key_path(self) -> Path:
        return self.data_dir / "secret_key"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def announce_base(self) -> str:
        return self.base_url.rstrip("/") + "/announce/"


def _positive_int(key: str, value: Any) -> int:
    if isinstance(value, bool):
        raise SettingsError(f"{key}: expected a positive whole number, got {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{key}: expected a positive whole number, got {value!r}") from None
    if number <= 0:
        raise SettingsError(f"{key}: expected a positive whole number, got {value!r}")
    return number


def _boolean(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{key}: expected true or false, got {value!r}")


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{key}: expected a non-empty string, got {value!r}")
    return value.strip()


def _string_list(key: str, value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise SettingsError(f"{key}: expected a list of strings, got {value!r}")
    return tuple(i.strip() for i in items if i.strip())


def _base_url(key: str, value: Any) -> str:
    url = _text(key, value).rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise SettingsError(f"{key}: expected an http:// or https:// URL, got {value!r}")
    return url


def _registration_mode(key: str, value: Any) -> str:
    mode = _text(key, value).lower()
    if mode not in REGISTRATION_MODES:
        raise SettingsError(
            f"{key}: expected one of {', '.join(REGISTRATION_MODES)}, got {value!r}"
        )
    return mode


def _networks(key: str, value: Any) -> tuple[str, ...]:
    entries = _string_list(key, value)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SettingsError(f"{key}: {entry!r} is not an IP address or network") from None
    return entries


def _path(key: str, value: Any) -> Path:
    return Path(_text(key, value)).expanduser()


def _zero_or_more(key: str, value: Any) -> int:
    """A whole number where 0 turns a rule off (``post_interval_seconds``)."""
    if str(value).strip() == "0" and not isinstance(value, bool):
        return 0
    try:
        return _positive_int(key, value)
    except SettingsError:
        raise SettingsError(f"{key}: expected a whole number, 0 or more, got {value!r}") from None


def _language(key: str, value: Any) -> str:
    language = _text(key, value).lower()
    if language not in available_languages():
        raise SettingsError(
            f"{key}: expected one of {', '.join(available_languages())}, got {value!r}"
        )
    return language


def _time_zone(key: str, value: Any) -> str:
    name = _text(key, value)
    if not is_time_zone(name):
        raise SettingsError(
            f"{key}: expected an IANA time zone such as Europe/Moscow, got {value!r}"
        )
    return name


_PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "data_dir": _path,
    "site_name": _text,
    "base_url": _base_url,
    "registration_mode": _registration_mode,
    "announce_interval": _positive_int,
    "min_announce_interval": _positive_int,
    "upload_size_limit": _positive_int,
    "numwant_max": _positive_int,
    "peers_per_member_max": _positive_int,
    "scrape_max_hashes": _positive_int,
    "global_freeleech": _boolean,
    "trusted_proxies": _networks,
    "client_allow_prefixes": _string_list,
    "client_deny_prefixes": _string_list,
    "invite_quota": _positive_int,
    "session_days": _positive_int,
    "login_attempts_per_minute": _positive_int,
    "commit_interval_ms": _positive_int,
    "head_size_max": _positive_int,
    "head_timeout_seconds": _positive_int,
    "body_timeout_seconds": _positive_int,
    "pipeline_max": _positive_int,
    "write_buffer_high_water": _positive_int,
    "connections_max": _positive_int,
    "send_timeout_seconds": _positive_int,
    "tracker_counter_max": _positive_int,
    "departed_per_member_max": _positive_int,
    "departed_max": _positive_int,
    "max_upload_rate": _positive_int,
    "max_download_rate": _positive_int,
    "cheat_log_max_rows": _positive_int,
    "post_max_chars": _positive_int,
    "post_interval_seconds": _zero_or_more,
    "posts_per_hour": _positive_int,
    "previews_per_minute": _positive_int,
    "connections_per_address_max": _positive_int,
    "default_language": _language,
    "default_timezone": _time_zone,
}


def _from_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            values = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML: {error}") from None
    if "data_dir" in values:
        raise SettingsError(f"{path}: data_dir cannot be set inside the data directory")
    return values


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in environ.items():
        if name.startswith(ENV_PREFIX) and name not in NOT_SETTINGS:
            values[name[len(ENV_PREFIX) :].lower()] = value
    return values


def _parse(values: Mapping[str, Any], source: str) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for key, value in values.items():
        parser = _PARSERS.get(key)
        if parser is None:
            raise SettingsError(f"{source}: unknown setting {key!r}")
        parsed[key] = parser(key, value)
    return parsed


def load_settings(
    data_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build the settings: defaults < tinypier.toml < environment < explicit overrides."""
    environ = os.environ if environ is None else environ
    from_env = _parse(_from_environment(environ), "environment")
    directory = data_dir or from_env.pop("data_dir", None) or default_data_dir()
    from_env.pop("data_dir", None)
    values = _parse(_from_file(directory / CONFIG_FILE_NAME), CONFIG_FILE_NAME)
    values.update(from_env)
    values.update(_parse(overrides, "arguments"))
    values["data_dir"] = directory
    settings = Settings(**values)
    if settings.min_announce_interval > settings.announce_interval:
        raise SettingsError("min_announce_interval: must not exceed announce_interval")
    return settings


def settings_keys() -> list[str]:
    return [f.name for f in dataclasses.fields(Settings)]
