"""Every setting of a board, in one place.

A board is configured by its data directory: an optional ``tinypier.toml`` there, then
``TINYPIER_<KEY>`` environment variables on top. Anything unknown or invalid stops the
start with a message that names the key, because a typo silently ignored is a board
that behaves differently from what its admin believes.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs

from tinypier.i18n import _, available_languages, is_time_zone

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
    site_description: str = ""
    credit_fold_rows: int = 5000
    credit_fold_interval_ms: int = 500
    access_log: bool = True
    access_log_tracker: bool = False
    message_max_chars: int = 20_000
    message_recipients_max: int = 10
    messages_per_day: int = 100
    message_interval_seconds: int = 10
    thanks_shown_max: int = 100
    poll_question_max_chars: int = 300
    poll_option_max_chars: int = 200
    poll_options_max: int = 20
    poll_days_max: int = 365
    feed_entries: int = 30
    min_download_ratio: float = 0.0
    ratio_grace_bytes: int = 10 * 1024**3
    ratio_warning: float = 0.0
    leech_slots_below_ratio: str = ""
    avatar_upload_max_bytes: int = 1024 * 1024
    avatar_source_pixels_max: int = 16_000_000
    avatar_size_px: int = 128
    signature_max_chars: int = 300
    online_minutes: int = 15
    online_shown_max: int = 100
    notifications_kept: int = 500
    mentions_per_post: int = 10
    notify_watchers_max: int = 1000
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    smtp_starttls: bool = True
    smtp_timeout_seconds: int = 30
    mail_queue_max: int = 1000
    hnr_seed_hours: int = 0
    hnr_window_days: int = 14
    hnr_min_ratio: float = 0.0
    hnr_max: int = 3
    torrent_list_page_size: int = 50
    torrent_list_pages_max: int = 200
    bonus_points_by_size: str = "0:1, 1:2, 10:3, 50:4"
    bonus_points_by_age: str = "30:1, 365:2"
    bonus_max_points_per_hour: int = 50
    bonus_upload_price: int = 100
    bonus_invite_price: int = 1000
    ledger_rows_per_page: int = 50
    legacy_passkey_param: str = "uk"
    credit_fold_chunk_rows: int = 20_000
    bonus_job_chunk_rows: int = 500
    avatar_uploads_per_hour: int = 10

    @property
    def database_path(self) -> Path:
        return self.data_dir / "tinypier.sqlite3"

    @property
    def credit_log_path(self) -> Path:
        """The tracker's credit log, a database of its own (``tinypier.tracker.creditlog``)."""
        return self.data_dir / "credit-log.sqlite3"

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
    refusal = SettingsError(
        _("%(key)s: expected a positive whole number, got %(value)s", key=key, value=repr(value))
    )
    if isinstance(value, bool):
        raise refusal
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise refusal from None
    if number <= 0:
        raise refusal
    return number


def _boolean(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(
        _("%(key)s: expected true or false, got %(value)s", key=key, value=repr(value))
    )


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(
            _("%(key)s: expected a non-empty string, got %(value)s", key=key, value=repr(value))
        )
    return value.strip()


def _optional_text(key: str, value: Any) -> str:
    """Text that may be empty (``site_description``: no description)."""
    if not isinstance(value, str):
        raise SettingsError(
            _("%(key)s: expected a string, got %(value)s", key=key, value=repr(value))
        )
    return value.strip()


_QUERY_PARAMETER_NAME = re.compile(r"[A-Za-z0-9_]{1,32}")
# What the tracker reads from an announce itself: the passkey cannot be called one of these.
_ANNOUNCE_FIELDS = frozenset(
    {"info_hash", "peer_id", "port", "uploaded", "downloaded", "left", "event", "numwant"}
    | {"compact", "no_peer_id"}
)


def _query_parameter_name(key: str, value: Any) -> str:
    """A query parameter's name (``legacy_passkey_param``): letters, digits, underscores,
    and none the announce protocol already uses."""
    text = value.strip() if isinstance(value, str) else ""
    if not _QUERY_PARAMETER_NAME.fullmatch(text) or text in _ANNOUNCE_FIELDS:
        raise SettingsError(
            _(
                "%(key)s: expected up to 32 letters, digits or underscores, not a name the"
                " announce protocol uses, got %(value)s",
                key=key,
                value=repr(value),
            )
        )
    return text


def _string_list(key: str, value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise SettingsError(f"{key}: expected a list of strings, got {value!r}")
    return tuple(i.strip() for i in items if i.strip())


def _base_url(key: str, value: Any) -> str:
    url = _text(key, value).rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise SettingsError(
            _(
                "%(key)s: expected an http:// or https:// URL, got %(value)s",
                key=key,
                value=repr(value),
            )
        )
    return url


def _registration_mode(key: str, value: Any) -> str:
    mode = _text(key, value).lower()
    if mode not in REGISTRATION_MODES:
        raise SettingsError(_one_of(key, REGISTRATION_MODES, value))
    return mode


def _one_of(key: str, choices: Sequence[str], value: Any) -> str:
    return _(
        "%(key)s: expected one of %(choices)s, got %(value)s",
        key=key,
        choices=", ".join(choices),
        value=repr(value),
    )


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
        raise SettingsError(
            _(
                "%(key)s: expected a whole number, 0 or more, got %(value)s",
                key=key,
                value=repr(value),
            )
        ) from None


def _language(key: str, value: Any) -> str:
    language = _text(key, value).lower()
    if language not in available_languages():
        raise SettingsError(_one_of(key, available_languages(), value))
    return language


def _time_zone(key: str, value: Any) -> str:
    name = _text(key, value)
    if not is_time_zone(name):
        raise SettingsError(
            _(
                "%(key)s: expected an IANA time zone such as Europe/Moscow, got %(value)s",
                key=key,
                value=repr(value),
            )
        )
    return name


def _ratio(key: str, value: Any) -> float:
    """A share ratio (uploaded / downloaded), 0 or more; 0 turns its rule off."""
    try:
        number = float(str(value).strip()) if not isinstance(value, bool) else -1.0
    except ValueError:
        number = -1.0
    if not math.isfinite(number) or number < 0:
        raise SettingsError(
            _(
                "%(key)s: expected a ratio such as 0.5, 0 or more, got %(value)s",
                key=key,
                value=repr(value),
            )
        )
    return number


def _band_pairs(text: str) -> list[tuple[float, int]]:
    """``"x:n, y:m"`` as ``[(x, n), (y, m)]``, a finite number and a whole number each;
    ValueError for anything else. Each band setting adds its own rules."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        number_text, _colon, count_text = item.partition(":")
        number, count = float(number_text), int(count_text)
        if not math.isfinite(number):
            raise ValueError(item)
        pairs.append((number, count))
    return pairs


@lru_cache(maxsize=16)
def leech_slot_bands(text: str) -> tuple[tuple[float, int], ...]:
    """``"0.5:1, 1.0:3"`` as ``((0.5, 1), (1.0, 3))``: below ratio 0.5 one torrent may be
    leeched at a time, below 1.0 three, from 1.0 on any number. Ascending ratios, each
    band allowing more than the one before; ValueError for anything else. Cached: the
    tracker reads the setting on every announce."""
    bands = _band_pairs(text)
    for index, (ratio, slots) in enumerate(bands):
        if ratio <= 0 or slots <= 0:
            raise ValueError(text)
        if index and (ratio <= bands[index - 1][0] or slots <= bands[index - 1][1]):
            raise ValueError(text)
    return tuple(bands)


@lru_cache(maxsize=16)
def bonus_bands(text: str) -> tuple[tuple[float, int], ...]:
    """``"0:1, 1:2, 10:3"`` as ``((0.0, 1), (1.0, 2), (10.0, 3))``: from 0 on one point,
    from 1 on two, from 10 on three (GiB of a release's size, or days of its age). The
    thresholds rise, the points are whole numbers, 0 or more; ValueError for anything
    else. Cached: the bonus job reads it for every release it pays for."""
    bands = _band_pairs(text)
    for index, (threshold, points) in enumerate(bands):
        if threshold < 0 or points < 0:
            raise ValueError(text)
        if index and threshold <= bands[index - 1][0]:
            raise ValueError(text)
    return tuple(bands)


def _band_setting(
    value: Any,
    parse: Callable[[str], tuple[tuple[float, int], ...]],
    refusal: Callable[[], SettingsError],
) -> str:
    """Bands checked by ``parse``, as their canonical text (the form the web page stores
    and shows); ``refusal`` says what was wanted."""
    try:
        bands = parse(value.strip()) if isinstance(value, str) else None
    except ValueError:
        bands = None
    if bands is None:
        raise refusal()
    return ", ".join(f"{number:g}:{count}" for number, count in bands)


def _leech_slot_bands(key: str, value: Any) -> str:
    return _band_setting(
        value,
        leech_slot_bands,
        lambda: SettingsError(
            _(
                "%(key)s: expected bands like 0.5:1, 1.0:3 (below ratio 0.5 one torrent"
                " at a time, below 1.0 three), ratios and counts rising, got %(value)s",
                key=key,
                value=repr(value),
            )
        ),
    )


def _bonus_bands(key: str, value: Any) -> str:
    return _band_setting(
        value,
        bonus_bands,
        lambda: SettingsError(
            _(
                "%(key)s: expected bands like 0:1, 10:2 (from 0 on one point an hour, from"
                " 10 on two), thresholds rising, points 0 or more, got %(value)s",
                key=key,
                value=repr(value),
            )
        ),
    )


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
    "site_description": _optional_text,
    "credit_fold_rows": _positive_int,
    "credit_fold_interval_ms": _positive_int,
    "credit_fold_chunk_rows": _positive_int,
    "access_log": _boolean,
    "access_log_tracker": _boolean,
    "message_max_chars": _positive_int,
    "message_recipients_max": _positive_int,
    "messages_per_day": _positive_int,
    "message_interval_seconds": _zero_or_more,
    "thanks_shown_max": _positive_int,
    "poll_question_max_chars": _positive_int,
    "poll_option_max_chars": _positive_int,
    "poll_options_max": _positive_int,
    "poll_days_max": _positive_int,
    "feed_entries": _positive_int,
    "min_download_ratio": _ratio,
    "ratio_grace_bytes": _zero_or_more,
    "ratio_warning": _ratio,
    "leech_slots_below_ratio": _leech_slot_bands,
    "avatar_upload_max_bytes": _positive_int,
    "avatar_source_pixels_max": _positive_int,
    "avatar_size_px": _positive_int,
    "signature_max_chars": _positive_int,
    "online_minutes": _positive_int,
    "online_shown_max": _positive_int,
    "notifications_kept": _positive_int,
    "mentions_per_post": _positive_int,
    "notify_watchers_max": _positive_int,
    "smtp_host": _optional_text,
    "smtp_port": _positive_int,
    "smtp_user": _optional_text,
    "smtp_password": _optional_text,
    "smtp_from": _optional_text,
    "smtp_starttls": _boolean,
    "smtp_timeout_seconds": _positive_int,
    "mail_queue_max": _positive_int,
    "hnr_seed_hours": _zero_or_more,
    "hnr_window_days": _positive_int,
    "hnr_min_ratio": _ratio,
    "hnr_max": _positive_int,
    "torrent_list_page_size": _positive_int,
    "torrent_list_pages_max": _positive_int,
    "bonus_points_by_size": _bonus_bands,
    "bonus_points_by_age": _bonus_bands,
    "bonus_max_points_per_hour": _zero_or_more,
    "bonus_upload_price": _zero_or_more,
    "bonus_invite_price": _zero_or_more,
    "ledger_rows_per_page": _positive_int,
    "legacy_passkey_param": _query_parameter_name,
    "bonus_job_chunk_rows": _positive_int,
    "avatar_uploads_per_hour": _positive_int,
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
    *,
    defaults: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> Settings:
    """Build the settings: defaults < ``defaults`` (what the caller knows better, such as
    the address ``serve`` listens on) < tinypier.toml < environment < explicit overrides."""
    environ = os.environ if environ is None else environ
    from_env = _parse(_from_environment(environ), "environment")
    directory = data_dir or from_env.pop("data_dir", None) or default_data_dir()
    from_env.pop("data_dir", None)
    values = _parse(defaults or {}, "defaults")
    values.update(_parse(_from_file(directory / CONFIG_FILE_NAME), CONFIG_FILE_NAME))
    values.update(from_env)
    values.update(_parse(overrides, "arguments"))
    values["data_dir"] = directory
    settings = Settings(**values)
    check_consistency(settings)
    return settings


def parse_setting(key: str, value: Any) -> Any:
    """One value as the file or environment would give it, checked by the same parser;
    a bad one raises the same message (``tinypier.site_settings`` saves through this)."""
    parser = _PARSERS.get(key)
    if parser is None:
        raise SettingsError(_("unknown setting %(key)s", key=repr(key)))
    return parser(key, value)


def check_consistency(settings: Settings) -> None:
    """The rules between settings, which no single value's parser can check."""
    if settings.min_announce_interval > settings.announce_interval:
        raise SettingsError(_("min_announce_interval: must not exceed announce_interval"))


def configured_sources(data_dir: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """Which keys the file and the environment set: "environment" where both do, since
    it wins (``load_settings``). Keys set by neither are absent."""
    sources = dict.fromkeys(_from_file(data_dir / CONFIG_FILE_NAME), "file")
    sources.update(dict.fromkeys(_from_environment(environ), "environment"))
    return sources


WILDCARD_HOSTS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104


def listening_url(host: str, port: int) -> str:
    """The ``base_url`` of a board served on ``host``:``port`` when none is set: so
    ``serve --port 18080`` writes announce URLs of port 18080, not of the default. A
    wildcard host listens everywhere; its loopback address is the one sure to answer."""
    host = WILDCARD_HOSTS.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def settings_keys() -> list[str]:
    return [f.name for f in dataclasses.fields(Settings)]
