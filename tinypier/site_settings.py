"""Site settings an admin changes on the web while the board runs, in one place.

The file (``tinypier.toml``) and the environment (``TINYPIER_<KEY>``) configure the board
at start (``tinypier.settings``). A value an admin saves on ``/admin/settings`` is stored
in the database and wins over both until it is reset; the page says so and shows where
each value comes from. Only settings every reader looks up per request are editable:
addresses, paths and connection limits are built into the server at start and stay
"file/environment only".

``LiveSettings`` holds what the board runs with now. Every reader goes through it: the
application state (pages, dependencies), the tracker and the flood limiters subscribe,
so a saved value holds from the next request on, without a restart. Values are checked
by the same parsers as the file's, so a bad one gets the same message and changes
nothing.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import aiosqlite

from tinypier.db.connection import Database
from tinypier.forum.moderation_log import log_action
from tinypier.i18n import N_, _
from tinypier.settings import (
    Settings,
    SettingsError,
    check_consistency,
    parse_setting,
    settings_keys,
)

logger = logging.getLogger(__name__)

Kind = Literal["text", "number", "ratio", "switch", "registration_mode", "language"]
Source = Literal["page", "environment", "file", "arguments", "default"]
Listener = Callable[[Settings], None]

CHANGE_ACTION = "change setting"
RESET_ACTION = "reset setting"
LOG_TARGET = "setting"
# Which setting an entry is about is in its details; the log's target id says nothing.
LOG_TARGET_ID = 0
NOT_EDITABLE = N_("There is no such setting on this page.")


@dataclass(frozen=True)
class EditableSetting:
    """A setting the web page edits: its key (as in the file), its words and its input."""

    name: str
    label: str
    help: str
    kind: Kind


EDITABLE: tuple[EditableSetting, ...] = (
    EditableSetting(
        "site_name", N_("Site name"), N_("In page titles, the header and feeds."), "text"
    ),
    EditableSetting(
        "site_description",
        N_("Site description"),
        N_("A line under the name on the front page; empty for none."),
        "text",
    ),
    EditableSetting(
        "registration_mode",
        N_("Registration"),
        N_("Who may create an account: anyone, holders of an invite code, or no one."),
        "registration_mode",
    ),
    EditableSetting(
        "invite_quota",
        N_("Invites per new member"),
        N_("Invites a new member may create."),
        "number",
    ),
    EditableSetting(
        "default_language",
        N_("Default language"),
        N_("For guests whose browser asks for none the board speaks."),
        "language",
    ),
    EditableSetting(
        "default_timezone",
        N_("Default time zone"),
        N_("An IANA name such as Europe/Moscow, for those who chose none."),
        "text",
    ),
    EditableSetting(
        "post_interval_seconds",
        N_("Seconds between posts"),
        N_("A member waits this long between two new posts; 0 turns the rule off."),
        "number",
    ),
    EditableSetting(
        "posts_per_hour", N_("Posts per hour"), N_("Most new posts per member per hour."), "number"
    ),
    EditableSetting(
        "previews_per_minute",
        N_("Previews per minute"),
        N_("Most previews per member per minute."),
        "number",
    ),
    EditableSetting(
        "global_freeleech",
        N_("Freeleech for all"),
        N_("Count no downloads anywhere; uploads still count."),
        "switch",
    ),
    EditableSetting(
        "announce_interval",
        N_("Announce interval"),
        N_("Seconds clients wait between announces."),
        "number",
    ),
    EditableSetting(
        "min_announce_interval",
        N_("Minimum announce interval"),
        N_("Seconds; at most the announce interval."),
        "number",
    ),
    EditableSetting(
        "peers_per_member_max",
        N_("Clients per member and torrent"),
        N_("Most clients one member runs in one swarm."),
        "number",
    ),
    EditableSetting(
        "min_download_ratio",
        N_("Minimum ratio to download"),
        N_(
            "Below this ratio a member may neither download a .torrent nor start leeching;"
            " seeding is always allowed. 0 turns the rule off."
        ),
        "ratio",
    ),
    EditableSetting(
        "ratio_grace_bytes",
        N_("Ratio grace amount (bytes)"),
        N_(
            "A member who has downloaded less than this is held to none of the ratio rules;"
            " 10737418240 is 10 GiB."
        ),
        "number",
    ),
    EditableSetting(
        "ratio_warning",
        N_("Ratio warning below"),
        N_("Members whose ratio is below this see a warning on their profile; 0 for none."),
        "ratio",
    ),
    EditableSetting(
        "leech_slots_below_ratio",
        N_("Leech slots by ratio"),
        N_(
            "How many releases a member may leech at once, e.g. 0.5:1, 1.0:3 means one"
            " below ratio 0.5, three below 1.0, any number from 1.0 on. Empty for no limit."
        ),
        "text",
    ),
    EditableSetting(
        "hnr_seed_hours",
        N_("Hit-and-run: hours to seed"),
        N_(
            "A member who completes a release owes this many hours of seeding it; 0 turns"
            " the hit-and-run rules off."
        ),
        "number",
    ),
    EditableSetting(
        "hnr_window_days",
        N_("Hit-and-run: days to seed them in"),
        N_("Days after completing a release in which the hours must be seeded."),
        "number",
    ),
    EditableSetting(
        "hnr_min_ratio",
        N_("Hit-and-run: ratio that settles it"),
        N_(
            "Uploading this many times the release's size settles the obligation too;"
            " 0 for no such way."
        ),
        "ratio",
    ),
    EditableSetting(
        "hnr_max",
        N_("Hit-and-runs before downloads stop"),
        N_(
            "With this many active hit-and-runs a member may neither download a .torrent"
            " nor start leeching until they seed them off."
        ),
        "number",
    ),
    EditableSetting(
        "bonus_points_by_size",
        N_("Bonus points by release size"),
        N_(
            "Points per hour of seeding one release, by its size in GiB, e.g. 0:1, 10:3 means"
            " one point below 10 GiB and three from 10 GiB on."
        ),
        "text",
    ),
    EditableSetting(
        "bonus_points_by_age",
        N_("Bonus points by release age"),
        N_(
            "Points added per hour by the release's age in days, e.g. 30:1, 365:2 adds one"
            " from 30 days on and two from a year on. Empty for none."
        ),
        "text",
    ),
    EditableSetting(
        "bonus_max_points_per_hour",
        N_("Most bonus points per hour"),
        N_("Most points one member earns per hour of seeding; 0 for no limit."),
        "number",
    ),
    EditableSetting(
        "bonus_upload_price",
        N_("Price of 1 GiB of upload credit"),
        N_("Bonus points a member pays for 1 GiB of upload credit; 0 turns the exchange off."),
        "number",
    ),
    EditableSetting(
        "bonus_invite_price",
        N_("Price of an invite"),
        N_("Bonus points a member pays for one more invite; 0 turns the exchange off."),
        "number",
    ),
    EditableSetting(
        "legacy_passkey_param",
        N_("Passkey parameter of old announce URLs"),
        N_(
            "The query parameter holding the passkey in TorrentPier's announce URLs (uk by"
            " default there), which clients seeding imported torrents still use."
        ),
        "text",
    ),
)
EDITABLE_BY_NAME = {setting.name: setting for setting in EDITABLE}


SECRET_SETTINGS = frozenset({"smtp_password"})
"""File-only settings whose value no page shows (the admin's page says only if it is set)."""


def file_only_names() -> list[str]:
    """Settings only the file and environment set: the server is built from them at start."""
    return [name for name in settings_keys() if name not in EDITABLE_BY_NAME and name != "data_dir"]


def editable(name: str) -> EditableSetting:
    """The web page's description of a setting; SettingsError for any other name."""
    setting = EDITABLE_BY_NAME.get(name)
    if setting is None:
        raise SettingsError(_(NOT_EDITABLE))
    return setting


def parse_editable(name: str, value: Any) -> Any:
    """A value for a setting the web page edits, checked by the file's own parser."""
    return parse_setting(editable(name).name, value)


def as_text(value: Any) -> str:
    """A value as it is stored, logged and shown in a form: what the file's parser reads."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


DEFAULTS = Settings()


class LiveSettings:
    """The settings the board runs with: the configured ones (defaults, file, environment,
    arguments) with the values saved on the web page on top."""

    def __init__(self, configured: Settings, sources: Mapping[str, str]) -> None:
        self.configured = configured
        self.current = configured
        self.saved: dict[str, str] = {}
        self._sources = dict(sources)
        self._listeners: list[Listener] = []

    def on_change(self, listener: Listener) -> None:
        """Call ``listener`` with the new settings after each change (and now)."""
        self._listeners.append(listener)
        listener(self.current)

    def adopt(self, saved: Mapping[str, str]) -> None:
        """Run with these saved values from now on. A stored value that no longer parses
        (a language removed since, a rule between settings broken) is skipped with a
        warning: a board must start whatever its database holds."""
        usable: dict[str, str] = {}
        values: dict[str, Any] = {}
        for name, text in saved.items():
            try:
                values[name] = parse_editable(name, text)
            except SettingsError as error:
                logger.warning("ignoring the saved site setting %s: %s", name, error)
                continue
            usable[name] = text
        current = dataclasses.replace(self.configured, **values)
        try:
            check_consistency(current)
        except SettingsError as error:
            logger.warning("ignoring the saved site settings: %s", error)
            usable, current = {}, self.configured
        self.saved, self.current = usable, current
        for listener in self._listeners:
            listener(current)

    def source(self, name: str) -> Source:
        """Where the value in effect comes from; the page saves over all the others."""
        if name in self.saved:
            return "page"
        configured = self._sources.get(name)
        if configured == "environment":
            return "environment"
        if configured == "file":
            return "file"
        if getattr(self.configured, name) != getattr(DEFAULTS, name):
            return "arguments"
        return "default"

    def checked(self, name: str, value: Any) -> Settings:
        """The settings with ``name`` set to ``value``, or SettingsError saying why not."""
        candidate = dataclasses.replace(self.current, **{name: parse_editable(name, value)})
        check_consistency(candidate)
        return candidate


async def saved_settings(db: Database) -> dict[str, str]:
    rows = await db.fetch_all("SELECT name, value FROM site_settings")
    return {row["name"]: row["value"] for row in rows}


async def load_saved(db: Database, live: LiveSettings) -> None:
    """Adopt what the database holds (at start, and after every change)."""
    live.adopt(await saved_settings(db))


async def in_effect(db: Database, configured: Settings) -> Settings:
    """The settings with the saved values on top, for a process that does not serve the
    board (the command line), so it follows what the admins chose on the web too."""
    live = LiveSettings(configured, {})
    await load_saved(db, live)
    return live.current


async def save_setting(
    db: Database, live: LiveSettings, actor_id: int, name: str, text: str
) -> bool:
    """Save a value over the file's, logged as "old -> new"; False when it is the value in
    effect already. A bad value raises SettingsError and changes nothing."""
    candidate = live.checked(name, text)
    old, new = as_text(getattr(live.current, name)), as_text(getattr(candidate, name))
    if old == new:
        return False
    async with db.transaction() as connection:
        await connection.execute(
            "INSERT INTO site_settings (name, value, changed_by, changed_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
            " changed_by = excluded.changed_by, changed_at = excluded.changed_at",
            (name, new, actor_id, int(time.time())),
        )
        await _log(connection, actor_id, CHANGE_ACTION, name, old, new)
    await load_saved(db, live)
    return True


async def reset_setting(db: Database, live: LiveSettings, actor_id: int, name: str) -> bool:
    """Hand a setting back to the file, environment or default; False when none was saved.
    Refused (SettingsError) when the configured value breaks a rule with the values in
    effect (a saved announce interval below the file's minimum)."""
    if name not in live.saved:
        editable(name)
        return False
    candidate = live.checked(name, getattr(live.configured, name))
    old, new = as_text(getattr(live.current, name)), as_text(getattr(candidate, name))
    async with db.transaction() as connection:
        await connection.execute("DELETE FROM site_settings WHERE name = ?", (name,))
        await _log(connection, actor_id, RESET_ACTION, name, old, new)
    await load_saved(db, live)
    return True


async def _log(
    connection: aiosqlite.Connection, actor_id: int, action: str, name: str, old: str, new: str
) -> None:
    details = f"{name}: {old} -> {new}"
    await log_action(connection, actor_id, action, LOG_TARGET, LOG_TARGET_ID, details)
