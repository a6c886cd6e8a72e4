"""Every page speaks Russian to a Russian browser, for a guest, a member, a moderator and
an admin; the language is chosen by member setting, switch, browser and board default.

Pages come from the app's own routes (as in the permission matrix), so a new page is
checked without anyone listing it here. A page fails if any piece of its visible text is
an English message of the catalog that Russian translates differently: a word left
unwrapped in a template, or wrapped and never translated.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from litestar import Litestar
from litestar.testing import TestClient

from tests.helpers import add_member, csrf_token, login
from tests.roles import (
    RoleBoard,
    app_endpoints,
    become,
    build_role_board,
    client_as,
    fill_path,
)
from tinypier.i18n import LANGUAGE_COOKIE, LOCALE_DIR
from tinypier.settings import Settings

RUSSIAN_BROWSER = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}
PAGE_ROLES = ("guest", "user", "moderator", "admin")
# Not pages: files, feeds, machine-readable answers.
NOT_PAGES = ("/api/", "/announce", "/scrape", "/static", "/feeds/")
NOT_PAGE_SUFFIXES = (".torrent", "/download")


class _VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes, and titles and labels of elements."""

    SPOKEN_ATTRIBUTES = ("title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "html":
            self.lang = fields.get("lang")
        self.pieces += [fields[name] or "" for name in self.SPOKEN_ATTRIBUTES if fields.get(name)]

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.pieces.append(" ".join(data.split()))


def english_only_messages() -> set[str]:
    """English msgids whose Russian reads differently (so seeing one is a miss)."""
    with (LOCALE_DIR / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        russian = read_po(po_file, locale="ru")
    english: set[str] = set()
    for message in russian:
        ids = [
            str(msgid) for msgid in (message.id if isinstance(message.id, tuple) else [message.id])
        ]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if (
                msgid
                and "%(" not in msgid
                and msgid not in strings
                and re.search("[A-Za-z]", msgid)
            ):
                english.add(" ".join(msgid.split()))
    return english


def user_content(board: RoleBoard) -> set[str]:
    """Names, titles and private messages the fixture's members wrote, and the random
    keys the settings page shows them (a feed token may hold a run of letters): theirs,
    not the interface's."""
    with sqlite3.connect(board.settings.database_path) as connection:
        rows = connection.execute(
            "SELECT name FROM users UNION SELECT name FROM categories"
            " UNION SELECT name FROM forums UNION SELECT title FROM topics"
            " UNION SELECT name FROM torrents UNION SELECT body FROM posts"
            " UNION SELECT name FROM api_tokens"
            " UNION SELECT question FROM polls UNION SELECT text FROM poll_options"
            " UNION SELECT feed_token FROM users UNION SELECT passkey FROM users"
            " UNION SELECT subject FROM conversations UNION SELECT body FROM messages"
            " UNION SELECT reason FROM message_reports UNION SELECT title FROM ranks"
            " UNION SELECT name FROM groups UNION SELECT description FROM groups"
        ).fetchall()
    return {" ".join(str(row[0]).split()) for row in rows}


# Latin a Russian page rightly shows: addresses and time zone names, then names of
# things, protocols and formats that every language keeps.
ADDRESSES_AND_ZONES = re.compile(r"https?://\S+|\b[A-Z][A-Za-z]+/[A-Za-z0-9_/+-]+")
LATIN_ALLOWED = re.compile(
    r"\b(?:TinyPier|English|BBCode|API|UTC|Atom|Authorization|Bearer|torrent|private"
    r"|url-list|httpseeds|http|https|url|img|quote|code|spoiler|list|color|red|size|center"
    r"|sub|sup|max_upload_rate|max_download_rate|tinypier\.toml|IANA|BitTorrent|RSS|qBittorrent"
    r"|JPEG|PNG|GIF|WebP"
    # TorrentPier's BBCode tags and a font name, in the help line under every post form.
    r"|box|pre|nfo|font|Verdana|align|right|acronym|email|TorrentPier)\b"
)
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def english_words_left(piece: str, content: set[str]) -> list[str]:
    """Latin words of a piece of text that are neither the fixture's own writing nor a
    name the interface keeps in every language: an unwrapped English string."""
    if any(piece.strip() in written for written in content):
        return []
    piece = ADDRESSES_AND_ZONES.sub(" ", piece)
    for written in sorted(content, key=len, reverse=True):
        if written:
            piece = piece.replace(written, " ")
    return LATIN_WORD.findall(LATIN_ALLOWED.sub(" ", piece))


def page_paths(board: RoleBoard) -> list[str]:
    paths = []
    for endpoint in app_endpoints():
        if endpoint.method != "GET" or endpoint.path.startswith(NOT_PAGES):
            continue
        if endpoint.path.endswith(NOT_PAGE_SUFFIXES):
            continue
        paths.append(fill_path(endpoint, board, board.public))
    return [*paths, "/no-such-page", "/search?q=matrix", "/tracker?q=matrix"]


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> RoleBoard:
    return build_role_board(tmp_path_factory.mktemp("russian") / "data")


@pytest.fixture(scope="module")
def browser(board: RoleBoard) -> Iterator[TestClient[Litestar]]:
    with client_as(board, "guest") as client:
        yield client


@pytest.mark.parametrize("role", PAGE_ROLES)
def test_every_page_reads_in_russian(
    board: RoleBoard, browser: TestClient[Litestar], role: str
) -> None:
    become(browser, board, role)
    content = user_content(board)
    english = english_only_messages() - content
    misses: list[str] = []
    pages = 0
    for path in page_paths(board):
        response = browser.get(path, headers=RUSSIAN_BROWSER)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        pages += 1
        text = _VisibleText()
        text.feed(response.text)
        assert text.lang == "ru", f"{path} for {role}: <html lang={text.lang!r}>"
        misses += [f"{path}: {piece!r}" for piece in text.pieces if piece in english]
        misses += [
            f"{path}: {piece!r} has {words}"
            for piece in text.pieces
            if (words := english_words_left(piece, content))
        ]
    assert pages >= (8 if role == "guest" else 20), f"the pages were reached ({pages})"
    assert misses == [], f"English left on Russian pages for {role}:\n" + "\n".join(misses)


def test_a_guest_switches_language_with_a_form_and_keeps_it(client: TestClient[Litestar]) -> None:
    client.follow_redirects = False
    form_page = client.get("/login")
    assert 'action="/language"' in form_page.text and 'lang="en"' in form_page.text
    switched = client.post(
        "/language",
        data={"language": "ru", "_csrf_token": csrf_token(form_page.text)},
        headers={"Referer": "http://testserver.local/search?q=word"},
    )
    assert switched.status_code == 303
    assert switched.headers["location"] == "/search?q=word"
    assert switched.cookies.get(LANGUAGE_COOKIE) == "ru"
    page = client.get("/login").text
    assert '<html lang="ru">' in page and "Войти" in page


def test_the_switch_refuses_unknown_languages_and_other_sites(
    client: TestClient[Litestar],
) -> None:
    client.follow_redirects = False
    token = csrf_token(client.get("/").text)
    response = client.post(
        "/language",
        data={"language": "xx", "_csrf_token": token},
        headers={"Referer": "https://evil.example/phish"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert LANGUAGE_COOKIE not in response.cookies
    assert client.get("/language").status_code == 405, "no GET changes the language"


def test_a_member_s_language_and_time_zone_win_over_the_browser(
    client: TestClient[Litestar], settings: Settings
) -> None:
    member = add_member(settings, "reader")
    login(client, member.name)
    page = client.get("/settings").text
    saved = client.post(
        "/settings/locale",
        data={"language": "ru", "time_zone": "Asia/Vladivostok", "_csrf_token": csrf_token(page)},
    )
    assert saved.status_code == 200 and "Язык и часовой пояс сохранены." in saved.text
    client.cookies.delete(LANGUAGE_COOKIE)
    page = client.get("/settings", headers={"Accept-Language": "en"}).text
    assert '<html lang="ru">' in page
    assert "Asia/Vladivostok</option>" in page and "selected>Asia/Vladivostok" in page


def test_a_bad_time_zone_is_refused_with_a_message_and_changes_nothing(
    client: TestClient[Litestar], settings: Settings
) -> None:
    member = add_member(settings, "reader")
    login(client, member.name)
    page = client.get("/settings").text
    refused = client.post(
        "/settings/locale",
        data={"language": "ru", "time_zone": "Mars/Olympus", "_csrf_token": csrf_token(page)},
    )
    assert refused.status_code == 400
    assert "“Mars/Olympus” is not a time zone" in refused.text
    assert '<html lang="en">' in client.get("/").text


def test_the_board_default_speaks_to_browsers_that_ask_for_nothing_it_has(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from tinypier.app import create_app
    from tinypier.settings import load_settings

    settings = load_settings(
        tmp_path_factory.mktemp("default") / "data", environ={}, default_language="ru"
    )
    with TestClient(create_app(settings)) as client:
        assert '<html lang="ru">' in client.get("/", headers={"Accept-Language": "de"}).text
        assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en"}).text


def test_pages_tell_caches_they_vary_by_language(client: TestClient[Litestar]) -> None:
    response = client.get("/", headers=RUSSIAN_BROWSER)
    assert "Accept-Language" in response.headers.get("vary", "")
    assert "Cookie" in response.headers.get("vary", "")
