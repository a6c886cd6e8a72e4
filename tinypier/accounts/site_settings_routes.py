"""The admins' site settings page: each editable setting with its value, its default and
where the value comes from; saving or resetting one takes effect on the next request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from tinypier.accounts.forms import Form, safe_next
from tinypier.accounts.guards import require_admin
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.topics import member_id
from tinypier.i18n import N_, _, available_languages, language_name
from tinypier.settings import REGISTRATION_MODES, SettingsError
from tinypier.site_settings import (
    DEFAULTS,
    EDITABLE,
    SECRET_SETTINGS,
    EditableSetting,
    LiveSettings,
    as_text,
    editable,
    file_only_names,
    reset_setting,
    save_setting,
)
from tinypier.web.labels import registration_mode_label
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]
PAGE_ROUTE = "admin:site_settings"
TEMPLATE = "accounts/admin_settings.html"
SOURCE_LABELS = {
    "page": N_("Saved on this page."),
    "environment": N_("Set in the environment."),
    "file": N_("Set in tinypier.toml."),
    "arguments": N_("Set by the start command."),
    "default": N_("The default."),
}
SWITCH_CHOICES = (("true", N_("on")), ("false", N_("off")))


@dataclass
class SettingForm:
    """``next``: where to go after saving (the first-run page saves the registration mode)."""

    name: str = ""
    value: str = ""
    next: str = ""


@dataclass(frozen=True)
class SettingRow:
    setting: EditableSetting
    value: str
    default: str
    configured: str
    source: str
    source_is_page: bool
    is_default: bool
    refused: bool = False


def _live(request: ViewerRequest) -> LiveSettings:
    live: LiveSettings = request.app.state.live_settings
    return live


def choices(setting: EditableSetting) -> list[tuple[str, str]]:
    """The options of a setting shown as a list: (value, words in the reader's language)."""
    if setting.kind == "registration_mode":
        return [(mode, registration_mode_label(mode)) for mode in REGISTRATION_MODES]
    if setting.kind == "language":
        return [(code, language_name(code)) for code in available_languages()]
    if setting.kind == "switch":
        return [(value, _(label)) for value, label in SWITCH_CHOICES]
    return []


def shown(setting: EditableSetting, text: str) -> str:
    """A value as the reader reads it: a choice in words ("off", "invite only")."""
    return dict(choices(setting)).get(text, text) or _("(empty)")


def setting_row(live: LiveSettings, setting: EditableSetting, typed: str | None) -> SettingRow:
    """One setting as the page shows it; ``typed``: a refused value, shown again."""
    source = live.source(setting.name)
    return SettingRow(
        setting=setting,
        value=as_text(getattr(live.current, setting.name)) if typed is None else typed,
        default=shown(setting, as_text(getattr(DEFAULTS, setting.name))),
        configured=shown(setting, as_text(getattr(live.configured, setting.name))),
        source=_(SOURCE_LABELS[source]),
        source_is_page=source == "page",
        is_default=source == "default",
        refused=typed is not None,
    )


def setting_rows(live: LiveSettings, refused: SettingForm | None) -> list[SettingRow]:
    """Each editable setting; a refused one keeps what was typed."""
    return [
        setting_row(
            live,
            setting,
            refused.value if refused is not None and refused.name == setting.name else None,
        )
        for setting in EDITABLE
    ]


def settings_page(
    request: ViewerRequest, refused: SettingForm | None = None, problem: str = ""
) -> Template:
    live = _live(request)
    return render(
        request,
        TEMPLATE,
        status_code=400 if problem else 200,
        problem=problem,
        rows=setting_rows(live, refused),
        choices=choices,
        file_only=[
            (name, shown_value(getattr(live.current, name), secret=name in SECRET_SETTINGS))
            for name in file_only_names()
        ],
    )


def shown_value(value: object, *, secret: bool = False) -> str:
    """A file-only setting's value for reading: yes or no in the reader's language for a
    switch (the file writes ``true``/``false``), anything else as the file writes it; a
    secret (a password) only says whether it is set, since the page is no place for it."""
    if secret:
        return _("(set, not shown)") if value else _("(not set)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return as_text(value)


class SiteSettingsController(Controller):
    path = "/admin/settings"
    guards = [require_admin]

    @get("/", name=PAGE_ROUTE)
    async def show(self, request: ViewerRequest) -> Template:
        return settings_page(request)

    @post("/", name="admin:site_setting_save")
    async def save(
        self, request: ViewerRequest, db: NamedDependency[Database], data: Form[SettingForm]
    ) -> Template | Redirect:
        """Save one setting over the file's; a bad value is shown again with the same
        message the file would get, and nothing changes."""
        try:
            changed = await save_setting(
                db, _live(request), member_id(request.user), data.name, data.value
            )
        except SettingsError as refused:
            return settings_page(request, data, str(refused))
        label = _(editable(data.name).label)
        message = (
            _("%(setting)s saved; it applies from now on.", setting=label)
            if changed
            else _("%(setting)s is already set to that.", setting=label)
        )
        return self._back(request, data.next, message)

    @post("/reset", name="admin:site_setting_reset")
    async def reset(
        self, request: ViewerRequest, db: NamedDependency[Database], data: Form[SettingForm]
    ) -> Template | Redirect:
        """Hand a setting back to the file, the environment or the default."""
        try:
            await reset_setting(db, _live(request), member_id(request.user), data.name)
        except SettingsError as refused:
            return settings_page(request, data, str(refused))
        label = _(editable(data.name).label)
        message = _(
            "%(setting)s follows the file, the environment or the default again.", setting=label
        )
        return self._back(request, data.next, message)

    def _back(self, request: ViewerRequest, next_path: str, message: str) -> Redirect:
        back = safe_next(next_path) if next_path else route(request, PAGE_ROUTE)
        return redirect(back, message, "success")
