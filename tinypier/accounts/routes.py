"""Account pages: registration, login, logout, member settings, invites, member admin."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from tinypier.accounts.admin_routes import AdminController
from tinypier.accounts.invite_routes import InviteController
from tinypier.accounts.login_routes import LoginController
from tinypier.accounts.register_routes import RegisterController
from tinypier.accounts.settings_routes import SettingsController
from tinypier.accounts.site_settings_routes import SiteSettingsController

ROUTES: list[ControllerRouterHandler] = [
    LoginController,
    RegisterController,
    SettingsController,
    InviteController,
    AdminController,
    SiteSettingsController,
]
