"""The board speaks English and Russian: counted words agree with their number, the
request's language stays its own under concurrency, and the Russian catalog is complete."""

from __future__ import annotations

import asyncio
import configparser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tinypier.i18n import (
    LOCALE_DIR,
    Audience,
    accepted_languages,
    available_languages,
    choose_language,
    current_language,
    gettext,
    ngettext,
    speaking_to,
)
from tinypier.settings import SettingsError, load_settings
from tinypier.web.formatting import ago, human_size, number, when

REPO = Path(__file__).resolve().parent.parent
RUSSIAN = Audience("ru", "Europe/Moscow")


@pytest.mark.parametrize(
    ("count", "russian"),
    [
        (1, "1 сидер"),
        (2, "2 сидера"),
        (5, "5 сидеров"),
        (11, "11 сидеров"),
        (21, "21 сидер"),
        (22, "22 сидера"),
        (25, "25 сидеров"),
    ],
)
def test_russian_counts_take_one_few_or_many(count: int, russian: str) -> None:
    with speaking_to(RUSSIAN):
        assert ngettext("%(count)s seeder", "%(count)s seeders", count, count=count) == russian


@pytest.mark.parametrize(("count", "english"), [(1, "1 seeder"), (2, "2 seeders")])
def test_english_counts_take_one_or_other(count: int, english: str) -> None:
    assert ngettext("%(count)s seeder", "%(count)s seeders", count, count=count) == english


def test_dates_sizes_and_numbers_follow_the_language_and_time_zone() -> None:
    with speaking_to(RUSSIAN):
        assert when(86_400) == "2 янв. 1970, 03:00 +0300"
        assert human_size(1536) == "1,5 КБ"
        assert number(1_234_567) == "1\xa0234\xa0567"
        assert ago(0, now=7200) == "2 часа назад"
    assert when(86_400) == "1970-01-02 00:00 UTC"
    assert ago(0, now=7200) == "2 hours ago"


def test_a_browser_s_preferences_are_ranked_by_quality() -> None:
    assert accepted_languages("en;q=0.5, ru-RU, de;q=0.9, fr;q=0") == ["ru-ru", "de", "en"]
    assert accepted_languages("q=;;,,") == ["q="]


@pytest.mark.parametrize(
    ("member", "cookie", "header", "default", "chosen"),
    [
        ("ru", "en", "en", "en", "ru"),
        (None, "ru", "en", "en", "ru"),
        (None, None, "de;q=1, ru-RU;q=0.8, en;q=0.5", "en", "ru"),
        (None, "xx", "de", "ru", "ru"),
        (None, None, "", "en", "en"),
    ],
)
def test_language_is_the_member_s_then_the_switch_s_then_the_browser_s_then_the_board_s(
    member: str | None, cookie: str | None, header: str, default: str, chosen: str
) -> None:
    assert choose_language(member, cookie, header, default) == chosen


async def test_concurrent_requests_keep_their_own_language() -> None:
    """Two requests interleaved on one event loop: each renders in its own language."""
    seen: dict[str, list[str]] = {"ru": [], "en": []}

    async def request(language: str) -> None:
        with speaking_to(Audience(language, "UTC")):
            for _ in range(5):
                await asyncio.sleep(0)
                seen[language].append(f"{current_language()}:{gettext('Forums')}")

    await asyncio.gather(request("ru"), request("en"))
    assert seen == {"ru": ["ru:Форумы"] * 5, "en": ["en:Forums"] * 5}


def _extracted_messages() -> Catalog:
    """Every message in the code and templates, extracted as babel.cfg tells pybabel."""
    config = configparser.ConfigParser()
    config.read(REPO / "babel.cfg")
    method_map = [
        (section.split(":", 1)[1].strip(), section.split(":", 1)[0])
        for section in config.sections()
    ]
    options_map = {pattern: dict(config[f"{method}: {pattern}"]) for pattern, method in method_map}
    catalog = Catalog()
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
        "npgettext": ((1, "c"), 2, 3),
        "N_": None,
    }
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(REPO), method_map, options_map, keywords=keywords
    ):
        catalog.add(message, locations=[(filename, lineno)], context=context)
    return catalog


def test_every_message_has_a_russian_translation() -> None:
    """The check CI runs: a message added to the code or a template without its Russian
    fails here, naming the message and where it is."""
    with (LOCALE_DIR / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        russian = read_po(po_file, locale="ru")
    extracted = _extracted_messages()
    assert extracted.get("Download .torrent"), "the templates' messages are extracted"
    assert extracted.get("You may not download releases from this forum."), "and the code's"
    untranslated = []
    for message in extracted:
        if not message.id:
            continue
        translated = russian.get(message.id, message.context)
        strings = translated.string if translated else None
        forms = strings if isinstance(strings, tuple) else (strings,)
        if translated is None or translated.fuzzy or not all(forms):
            untranslated.append(f"{message.id!r} ({message.locations[0][0]})")
    assert untranslated == [], "messages without Russian:\n" + "\n".join(untranslated)


def test_translations_keep_the_placeholders_of_their_message() -> None:
    with (LOCALE_DIR / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        russian = read_po(po_file, locale="ru")
    errors = [f"{message.id!r}: {problem}" for message, problem in russian.check() if problem]
    assert errors == []


def test_the_package_ships_its_catalogs() -> None:
    assert available_languages() == ("en", "ru")
    assert "locale/*/LC_MESSAGES/*.po" in (REPO / "pyproject.toml").read_text()


@pytest.mark.parametrize(
    ("key", "value", "complaint"),
    [
        ("default_language", "xx", "expected one of en, ru"),
        ("default_timezone", "Mars/Olympus", "expected an IANA time zone"),
    ],
)
def test_a_board_default_it_cannot_speak_stops_the_start(
    tmp_path: Path, key: str, value: str, complaint: str
) -> None:
    with pytest.raises(SettingsError, match=complaint):
        load_settings(tmp_path / "data", environ={f"TINYPIER_{key.upper()}": value})


def test_board_defaults_are_read_from_the_environment(tmp_path: Path) -> None:
    environ = {"TINYPIER_DEFAULT_LANGUAGE": "RU", "TINYPIER_DEFAULT_TIMEZONE": "Europe/Moscow"}
    settings = load_settings(tmp_path / "data", environ=environ)
    assert (settings.default_language, settings.default_timezone) == ("ru", "Europe/Moscow")
