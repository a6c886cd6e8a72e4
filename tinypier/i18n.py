"""Speaking the viewer's language: gettext catalogs, and which one a request reads.

Catalogs are the ``.po`` files under ``tinypier/locale/<language>/LC_MESSAGES`` inside the
package; they are compiled in memory the first time a language is asked for, so an
installed board needs no build step and no path outside the package. Adding a language
is adding a directory there (see the README).

The language and time zone of the request being answered live in a context variable: each
request runs in its own task (and the middleware resets what it set), so two requests
answered at once in one event loop never see each other's language.
"""

from __future__ import annotations

import functools
import io
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
LANGUAGE_COOKIE = "tinypier_lang"
# An Accept-Language header is the client's to make long; only its first few choices count.
ACCEPT_LANGUAGE_CHOICES_MAX = 16


@functools.cache
def available_languages() -> tuple[str, ...]:
    """Every language with a catalog in the package, the source language first."""
    found = {path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return (SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE}))


@functools.cache
def translations_for(language: str) -> NullTranslations:
    """The compiled catalog of one language; unknown languages read as the source."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language not in available_languages() or not po_path.is_file():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def language_name(language: str) -> str:
    """A language's own name for itself ("Русский"), for the language switch."""
    name = Locale.parse(language).get_display_name(language) or language
    return name.capitalize()


@functools.cache
def time_zones() -> frozenset[str]:
    """The IANA zones this system knows ("Area/City" names and UTC), read once."""
    return frozenset(
        zone for zone in zoneinfo.available_timezones() if "/" in zone or zone == "UTC"
    )


def is_time_zone(name: str) -> bool:
    """Checked against the list, so a member's input never becomes a path to open."""
    return name in time_zones()


@dataclass(frozen=True)
class Audience:
    """Whom a response speaks to: their language and the time zone of their clock."""

    language: str
    time_zone: str

    @property
    def translations(self) -> NullTranslations:
        return translations_for(self.language)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.language)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


# Outside any request (the CLI, tests of helpers) the board speaks its source language.
SOURCE_AUDIENCE = Audience(SOURCE_LANGUAGE, "UTC")
_audience: ContextVar[Audience] = ContextVar("tinypier_audience", default=SOURCE_AUDIENCE)


def current_audience() -> Audience:
    return _audience.get()


def current_language() -> str:
    return _audience.get().language


@contextmanager
def speaking_to(audience: Audience) -> Iterator[Audience]:
    """Everything translated or formatted inside speaks to ``audience``."""
    token = _audience.set(audience)
    try:
        yield audience
    finally:
        _audience.reset(token)


def _format(text: str, variables: dict[str, Any]) -> str:
    return text % variables if variables else text


def gettext(message: str, **variables: Any) -> str:
    """``message`` in the current language; ``%(name)s`` placeholders filled from
    ``variables`` after translating, so the translation may move them."""
    return _format(_audience.get().translations.gettext(message), variables)


_ = gettext


def ngettext(singular: str, plural: str, number: int, **variables: Any) -> str:
    """The form of a counted message the language needs for ``number`` (Russian has
    three); ``%(num)s`` is the number."""
    text = _audience.get().translations.ngettext(singular, plural, number)
    return _format(text, {"num": number, **variables})


def pgettext(context: str, message: str, **variables: Any) -> str:
    """A message whose English is ambiguous ("Seeders" the column, "Seeders" the list),
    told apart by ``context``."""
    return _format(str(_audience.get().translations.pgettext(context, message)), variables)


def npgettext(context: str, singular: str, plural: str, number: int, **variables: Any) -> str:
    text = _audience.get().translations.npgettext(context, singular, plural, number)
    return _format(text, {"num": number, **variables})


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined (a module-level table); it is
    translated with ``_()`` where it is shown, in the language of that request."""
    return message


def _jinja_gettext(message: str) -> str:
    return _audience.get().translations.gettext(message)


def _jinja_ngettext(singular: str, plural: str, number: int) -> str:
    return _audience.get().translations.ngettext(singular, plural, number)


def _jinja_pgettext(context: str, message: str) -> str:
    return str(_audience.get().translations.pgettext(context, message))


def _jinja_npgettext(context: str, singular: str, plural: str, number: int) -> str:
    return _audience.get().translations.npgettext(context, singular, plural, number)


def install_in_templates(environment: Any) -> None:
    """Jinja's i18n extension with newstyle gettext (placeholders escaped and filled by
    Jinja), reading the request's language at render time."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(
        _jinja_gettext,
        _jinja_ngettext,
        newstyle=True,
        pgettext=_jinja_pgettext,
        npgettext=_jinja_npgettext,
    )
    environment.globals["current_language"] = current_language


def accepted_languages(header: str) -> list[str]:
    """Languages an ``Accept-Language`` header asks for, most wanted first."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")[:ACCEPT_LANGUAGE_CHOICES_MAX]):
        tag, _sep, params = item.strip().partition(";")
        quality = 1.0
        name, _eq, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    return [tag for _q, _p, tag in sorted(ranked)]


def supported(language: str | None) -> str | None:
    """``language`` (or its base, "ru" for "ru-RU") when a catalog speaks it."""
    if not language:
        return None
    base = language.replace("_", "-").split("-")[0].lower()
    return base if base in available_languages() else None


def choose_language(
    member_choice: str | None, cookie: str | None, accept_language: str, default: str
) -> str:
    """A member's own choice, else the guest's switch, else what the browser asks for,
    else the board's default."""
    for candidate in (member_choice, cookie, *accepted_languages(accept_language)):
        chosen = supported(candidate)
        if chosen:
            return chosen
    return supported(default) or SOURCE_LANGUAGE
