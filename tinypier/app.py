"""``create_app(settings)``: the whole board as one Litestar application."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.middleware.base import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ControllerRouterHandler

from tinypier.access_log import AccessLog
from tinypier.accounts.routes import ROUTES as ACCOUNT_ROUTES
from tinypier.accounts.sessions import SessionAuthMiddleware
from tinypier.bonus.routes import FEATURE as BONUS
from tinypier.datadir import check_credit_log, prepare_data_dir
from tinypier.db.connection import Database
from tinypier.events import ChangeNotifier
from tinypier.forum.flood import follow_settings
from tinypier.forum.post_words import with_post_words
from tinypier.forum.routes import ROUTES as FORUM_ROUTES
from tinypier.groups.routes import FEATURE as GROUPS
from tinypier.hit_and_run.job import FEATURE as HIT_AND_RUN
from tinypier.i18n import available_languages, install_in_templates, language_name
from tinypier.jobs.routes import FEATURE as JOBS
from tinypier.jobs.scheduler import Scheduler
from tinypier.legacy.routes import FEATURE as LEGACY
from tinypier.member_torrents.routes import FEATURE as MEMBER_TORRENTS
from tinypier.messages import ROUTES as MESSAGE_ROUTES
from tinypier.messages import unread_badge
from tinypier.notifications.mail import STATE_KEY as MAIL_OUTBOX
from tinypier.notifications.mail import Outbox
from tinypier.notifications.routes import FEATURE as NOTIFICATIONS
from tinypier.permissions.rules import moderates_anywhere
from tinypier.polls.routes import FEATURE as POLLS
from tinypier.profiles.routes import FEATURE as PROFILES
from tinypier.settings import Settings, configured_sources
from tinypier.site_settings import LiveSettings, load_saved
from tinypier.thanks.routes import FEATURE as THANKS
from tinypier.torrents.routes import FEATURE as TORRENTS
from tinypier.torrents.storage import remove_interrupted_uploads
from tinypier.tracker.asgi import serve_tracker_first
from tinypier.tracker.engine import Tracker
from tinypier.web import urls
from tinypier.web.api_schema import api_schema_config
from tinypier.web.dependencies import DEPENDENCIES
from tinypier.web.errors import handle_error
from tinypier.web.extensions import (
    feature_jobs,
    feature_middleware,
    feature_routes,
    moved_addresses,
    page_extensions,
    post_hooks,
    topic_lifecycles,
)
from tinypier.web.form_decoding import StrictFormMiddleware
from tinypier.web.formatting import ago, human_size, iso, number, ratio, when
from tinypier.web.head import HeadAsGet
from tinypier.web.labels import (
    freeleech_badge,
    member_order_label,
    registration_mode_label,
    role_label,
)
from tinypier.web.language import member_language, speak_to_visitors, switch_language
from tinypier.web.reached import base_url_warning
from tinypier.web.security_headers import SecurityHeaders

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
# The packages built on the forum: each brings its routes, what it adds to topic pages, the
# index, profiles and post authors, any middleware and periodic jobs
# (``tinypier.web.extensions``), so the forum imports none of them.
FEATURES = (
    TORRENTS,
    MEMBER_TORRENTS,
    POLLS,
    THANKS,
    GROUPS,
    PROFILES,
    NOTIFICATIONS,
    BONUS,
    HIT_AND_RUN,
    JOBS,
    LEGACY,
)

# Paths that browsers never post forms to: the tracker speaks to BitTorrent clients,
# the API authenticates with bearer tokens only (see accounts.sessions).
CSRF_EXEMPT = ["^/announce", "^/scrape", "^/api/"]
AUTH_EXEMPT = ["^/announce", "^/scrape", "^/static/"]

# A character of a form field takes at most 12 bytes on the wire (4 UTF-8 bytes, each
# percent-encoded); beside it, a title and the multipart framing.
ENCODED_BYTES_PER_CHAR = 12
FORM_FRAMING_ROOM = 256 * 1024


def body_size_cap(settings: Settings) -> int:
    """Room for the largest upload and the longest description (``post_max_chars``), so
    a too-long post gets the form's clear message, not a bare 413. Litestar's own 10 MB
    default would cap uploads whatever the board allows."""
    description_room = ENCODED_BYTES_PER_CHAR * settings.post_max_chars
    return settings.upload_size_limit + description_room + FORM_FRAMING_ROOM


def template_environment() -> Environment:
    """Templates speak the request's language (``tinypier.i18n``) and format dates,
    sizes and numbers for it."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Every page that shows post HTML shows it through this filter, which adds the words
    # the stored HTML leaves out ("wrote:", "Spoiler"), in the reader's language.
    environment.filters["post_html"] = with_post_words
    install_in_templates(environment)
    environment.globals.update(
        available_languages=available_languages,
        language_name=language_name,
        ago=ago,
        when=when,
        iso=iso,
        human_size=human_size,
        number=number,
        ratio=ratio,
        role_label=role_label,
        member_order_label=member_order_label,
        freeleech_badge=freeleech_badge,
        registration_mode_label=registration_mode_label,
        base_url_warning=base_url_warning,
        moderates_anywhere=moderates_anywhere,
    )
    return environment


def follow_site_settings(app: Litestar, live_settings: LiveSettings, tracker: Tracker) -> None:
    """Everything that reads the editable settings follows a change at once: the state
    that pages and the ``settings`` dependency read, the tracker, the flood limiters."""

    def adopt(settings: Settings) -> None:
        app.state.settings = settings
        tracker.use_settings(settings)
        follow_settings(app.state, settings)

    live_settings.on_change(adopt)


def route_table() -> list[ControllerRouterHandler]:
    """Every route of the board: the app's, and what ``tinypier.web.urls`` reverses."""
    return [
        *ACCOUNT_ROUTES,
        *FORUM_ROUTES,
        *feature_routes(FEATURES),
        *MESSAGE_ROUTES,
        switch_language,
        create_static_files_router(path="/static", directories=[STATIC_DIR]),
    ]


def create_app(settings: Settings) -> Litestar:
    secret_key = prepare_data_dir(settings)
    check_credit_log(settings)
    database = Database(settings.database_path)
    tracker = Tracker(settings)
    changes = ChangeNotifier()
    changes.on_user_changed(tracker.forget_member)
    changes.on_torrent_changed(tracker.forget_release)
    live_settings = LiveSettings(settings, configured_sources(settings.data_dir, os.environ))
    outbox = Outbox(settings)
    jobs = Scheduler(database, feature_jobs(FEATURES), lambda: live_settings.current)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # Before this process stores any upload, so every temporary file left is a crash's.
        remove_interrupted_uploads(settings.attachments_dir)
        # Each closer is registered before its opener runs, so a step that fails half-way
        # still has what it opened closed: the database's connection threads are not
        # daemons, and one left open keeps a failed ``serve`` alive forever.
        async with AsyncExitStack() as opened:
            opened.push_async_callback(database.close)
            await database.open()
            await load_saved(database, live_settings)
            opened.push_async_callback(tracker.stop)
            await tracker.start()
            opened.push_async_callback(outbox.stop)
            await outbox.start()
            opened.push_async_callback(jobs.stop)
            await jobs.start()
            yield

    app = Litestar(
        route_handlers=route_table(),
        dependencies=DEPENDENCIES,
        state=State(
            {
                "settings": settings,
                "live_settings": live_settings,
                "db": database,
                "changes": changes,
                "tracker": tracker,
                "jobs": jobs,
                "page_extensions": page_extensions(FEATURES),
                MAIL_OUTBOX: outbox,
                "moved_addresses": moved_addresses(FEATURES),
            }
        ),
        lifespan=[lifespan],
        middleware=[
            DefineMiddleware(SessionAuthMiddleware, exclude=AUTH_EXEMPT),
            member_language,
            unread_badge,
            *feature_middleware(FEATURES),
            StrictFormMiddleware(),
        ],
        csrf_config=CSRFConfig(
            secret=secret_key.hex(),
            cookie_name="tinypier_csrf",
            cookie_secure=settings.base_url.startswith("https://"),
            cookie_samesite="lax",
            exclude=CSRF_EXEMPT,
        ),
        template_config=TemplateConfig(
            engine=JinjaTemplateEngine.from_environment(template_environment()),
        ),
        exception_handlers={Exception: handle_error},
        request_max_body_size=body_size_cap(settings),
        openapi_config=api_schema_config(),
        # The pages and forms are for browsers: the schema documents the JSON API alone,
        # whose routers turn this back on (tinypier.torrents.api, tinypier.messages.api).
        include_in_schema=False,
        debug=False,
    )
    # Post hooks read the app's state (settings that follow edits, the mail outbox).
    app.state.post_hooks = post_hooks(FEATURES, app.state)
    # So do the hooks that follow topics and forums changing (the tracker's notifier).
    app.state.topic_lifecycles = topic_lifecycles(FEATURES, app.state)
    # Code that builds links without a request (search, feeds, BBCode) reverses with it.
    urls.use(app.route_reverse)
    follow_site_settings(app, live_settings, tracker)
    app.asgi_handler = SecurityHeaders(
        speak_to_visitors(app.asgi_handler, lambda: live_settings.current)
    )
    serve_tracker_first(app, tracker)
    app.asgi_handler = AccessLog(HeadAsGet(app.asgi_handler), settings)
    return app
