"""A member's own settings: password, passkey, feed token, API tokens, and what others'
signatures and their own presence show (read by ``tinypier.profiles``)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from tinypier.accounts import queries
from tinypier.accounts.forms import (
    Form,
    LocaleForm,
    PasswordForm,
    PreferencesForm,
    TokenForm,
    new_password_problem,
    token_label_problem,
)
from tinypier.accounts.guards import require_member
from tinypier.accounts.members import member_or_404
from tinypier.accounts.passwords import verify_password
from tinypier.accounts.sessions import SESSION_COOKIE
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import (
    Audience,
    _,
    available_languages,
    current_audience,
    current_language,
    is_time_zone,
    speaking_to,
    time_zones,
)
from tinypier.settings import Settings
from tinypier.torrents.feeds import release_feed_links
from tinypier.torrents.listing import ReleaseFilters
from tinypier.web import urls
from tinypier.web.formatting import when
from tinypier.web.language import language_cookie
from tinypier.web.pages import flash_cookie, redirect, render


async def settings_page(
    request: Request[Any, Any, Any],
    db: Database,
    settings: Settings,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Template:
    """The settings page; ``extra`` carries a form error or a token to show once."""
    user = await member_or_404(db, request.user.id)
    return render(
        request,
        "accounts/settings.html",
        status_code=status_code,
        user=user,
        announce_url=settings.announce_base + user["passkey"],
        feeds=release_feed_links(request, user["feed_token"], ReleaseFilters()),
        tokens=await queries.list_api_tokens(db, user["id"]),
        languages=available_languages(),
        time_zones=sorted(time_zones()),
        when=when,
        **extra,
    )


def _settings_page() -> str:
    """Where the member's settings forms go back to."""
    return urls.path("settings:page")


class SettingsController(Controller):
    path = "/settings"
    guards = [require_member]

    @get("/", name="settings:page")
    async def show_settings(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
    ) -> Template:
        return await settings_page(request, db, settings)

    @post("/password", name="settings:password")
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        data: Form[PasswordForm],
    ) -> Template | Redirect:
        user = await member_or_404(db, request.user.id)
        problem = new_password_problem(data.new_password, data.new_password_confirm)
        if not await verify_password(user["password_hash"], data.current_password):
            problem = _("Your current password is not right.")
        if problem:
            return await settings_page(
                request, db, settings, status_code=400, password_error=problem
            )
        await queries.set_password(
            db, user["id"], data.new_password, keep_session=request.cookies.get(SESSION_COOKIE)
        )
        return redirect(
            _settings_page(), _("Password changed; your other sessions are logged out."), "success"
        )

    @post("/locale", name="settings:locale")
    async def change_locale(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        data: Form[LocaleForm],
    ) -> Template | Redirect:
        language = data.language.strip().lower() or None
        time_zone = data.time_zone.strip() or None
        problem = None
        if language is not None and language not in available_languages():
            problem = _("Choose one of the languages offered.")
        elif time_zone is not None and not is_time_zone(time_zone):
            problem = _(
                "“%(zone)s” is not a time zone; use a name such as Europe/Moscow.", zone=time_zone
            )
        if problem:
            return await settings_page(request, db, settings, status_code=400, locale_error=problem)
        await db.execute(
            "UPDATE users SET language = ?, time_zone = ? WHERE id = ?",
            (language, time_zone, request.user.id),
        )
        with speaking_to(Audience(language or current_language(), current_audience().time_zone)):
            message = _("Language and time zone saved.")
        cookies = [language_cookie(language, settings)] if language else []
        return Redirect(
            path=_settings_page(),
            status_code=303,
            cookies=[flash_cookie(message, "success"), *cookies],
        )

    @post("/preferences", name="settings:preferences")
    async def change_preferences(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        data: Form[PreferencesForm],
    ) -> Redirect:
        """Hide other members' signatures under posts; leave me out of "online now"."""
        await db.execute(
            "UPDATE users SET hide_signatures = ?, hide_online = ? WHERE id = ?",
            (data.hide_signatures is not None, data.hide_online is not None, request.user.id),
        )
        return redirect(_settings_page(), _("Your preferences are saved."), "success")

    @post("/passkey", name="settings:passkey")
    async def new_passkey(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> Redirect:
        viewer: Viewer = request.user
        await queries.regenerate_passkey(db, viewer.id or 0)
        request.app.state.changes.user_changed(viewer.id)
        return redirect(
            _settings_page(),
            _(
                "New passkey and feed token made: download your .torrent files and copy your feed "
                "links again, the old ones stopped working."
            ),
            "success",
        )

    @post("/feed-token", name="settings:feed_token")
    async def new_feed_token(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> Redirect:
        await queries.regenerate_feed_token(db, request.user.id)
        return redirect(
            _settings_page(),
            _("New feed token made: copy your feed links again, the old ones stopped working."),
            "success",
        )

    @post("/tokens", name="settings:create_token")
    async def create_token(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        data: Form[TokenForm],
    ) -> Template:
        """Shows the token in this very response: only its digest is stored, so no later
        page could show it again."""
        problem = token_label_problem(data.name)
        if problem:
            return await settings_page(request, db, settings, status_code=400, token_error=problem)
        label = data.name.strip()
        token = await queries.create_api_token(db, request.user.id, label)
        return await settings_page(request, db, settings, new_token=token, new_token_name=label)

    @post("/tokens/{token_id:int}/revoke", name="settings:revoke_token")
    async def revoke_token(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        token_id: FromPath[int],
    ) -> Redirect:
        if not await queries.revoke_api_token(db, request.user.id, token_id):
            raise NotFoundException(_("No such API token."))
        return redirect(_settings_page(), _("API token revoked."), "success")
