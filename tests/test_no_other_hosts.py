"""No page makes a reader's browser fetch from, or send them to, a host other than the board.

A font, script, stylesheet or viewer from a CDN tells a third party who reads the board
(and lets it change what runs there), and breaks the board offline. So every page an
admin, a member and a guest can reach is crawled, and every address in it (``src``,
``href``, ``action``, ``srcset``, ``poster``, ``formaction``, a meta refresh, CSS
``url()``) must be relative or the board's own (its ``base_url`` or the address it was
reached at).

The one exception is what members write: inside a post body, a link or an ``[img]`` may
point anywhere, as the member chose. Such a link always carries ``rel="nofollow noopener
noreferrer ugc"`` (the sanitizer adds it), so it passes no referrer and no window handle
and earns the target no ranking; images are the Content-Security-Policy's one allowance
(``img-src http: https:``).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import Post, add_reply
from tests.roles import BASE_URL, RoleBoard, build_role_board, client_as

CRAWLED_ROLES = ("guest", "user", "admin")
MAX_PAGES = 80
START_PATHS = (
    "/",
    "/tracker",
    "/torrents",
    "/search?q=matrix",
    "/members",
    "/settings",
    "/invites",
    "/moderation",
    "/admin",
    "/admin/users",
    "/admin/forums",
    "/admin/cheats",
    "/login",
    "/register",
    "/api/schema",
)
# Pages that are not HTML pages or that act when fetched: files, feeds, the API.
NOT_CRAWLED = re.compile(r"^/(?:static/|feeds/|api/(?!schema$)|torrents/\d+/download)")
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "background"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
MEMBER_LINK_REL = {"nofollow", "noopener", "noreferrer", "ugc"}
OUTSIDE_LINKS = (
    "See [url=https://example.org/guide]the guide[/url], https://bare.example/page"
    " and [img]https://pics.example/cat.png[/img]"
)


class AddressReader(HTMLParser):
    """Every address a page holds, and whether it stands inside a member's post body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, bool, set[str]]] = []
        """(tag, address, inside a post body, rel values)."""
        self._post_body_depth = 0
        self._open_divs: list[bool] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "div":
            is_post_body = "post-body" in values.get("class", "").split()
            self._open_divs.append(is_post_body)
            self._post_body_depth += is_post_body
        self._in_style = tag == "style"
        rel = set(values.get("rel", "").split())
        inside = self._post_body_depth > 0
        for name, value in values.items():
            if name in URL_ATTRIBUTES:
                self.found.append((tag, value, inside, rel))
            elif name == "srcset":
                self.found += [(tag, part.split()[0], inside, rel) for part in value.split(",")]
            elif name == "style":
                self.found += [(tag, url, inside, rel) for url in CSS_URL.findall(value)]
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = values.get("content", "").partition("url=")[2]
            self.found.append((tag, target, inside, rel))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._open_divs:
            self._post_body_depth -= self._open_divs.pop()
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [("style", url, False, set()) for url in CSS_URL.findall(data)]


def board_origins(board: RoleBoard) -> set[str]:
    return {_origin(BASE_URL), _origin(board.settings.base_url)}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_the_boards(address: str, origins: set[str]) -> bool:
    """Relative, or absolute on one of the board's own origins; nothing else may load.

    A magnet link names no host for the browser: the torrent client opens it, and its
    trackers (``tr``) must be the board's own announce URL."""
    parts = urlsplit(address.strip())
    if parts.scheme == "magnet":
        trackers = [value for name, value in parse_qsl(parts.query) if name == "tr"]
        return all(_origin(tracker) in origins for tracker in trackers)
    if parts.scheme in ("", "data") and not parts.netloc:
        return parts.scheme == "" or address.startswith("data:image/")
    return _origin(address) in origins


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> RoleBoard:
    seeded = build_role_board(tmp_path_factory.mktemp("hosts") / "data")
    public = seeded.public
    topic = Post(public.post_id, public.topic_id, public.forum_id)
    add_reply(seeded.settings, topic, seeded.author, OUTSIDE_LINKS)
    return seeded


def crawl(client: TestClient[Litestar]) -> Iterator[tuple[str, str]]:
    """(path, HTML) of every page reachable from ``START_PATHS`` by the board's own links."""
    queue = deque(START_PATHS)
    seen = set(queue)
    pages = 0
    while queue and pages < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        pages += 1
        yield path, response.text
        for link in re.findall(r'href="([^"#]+)', response.text):
            target = urljoin(path, link.replace("&amp;", "&"))
            if target.startswith("/") and not NOT_CRAWLED.match(target) and target not in seen:
                seen.add(target)
                queue.append(target)


def outside_addresses(html: str, origins: set[str]) -> Iterator[tuple[str, str, bool, set[str]]]:
    reader = AddressReader()
    reader.feed(html)
    return (found for found in reader.found if not is_the_boards(found[1], origins))


@pytest.mark.parametrize("role", CRAWLED_ROLES)
def test_no_page_references_another_host(board: RoleBoard, role: str) -> None:
    origins = board_origins(board)
    members_links: list[tuple[str, str]] = []
    with client_as(board, role) as client:
        crawled = list(crawl(client))
        for path, html in crawled:
            for tag, address, in_post, rel in outside_addresses(html, origins):
                assert in_post, f"{role} {path}: <{tag}> references {address}"
                if tag == "a":
                    assert rel >= MEMBER_LINK_REL, f"{path}: {address} lacks rel {MEMBER_LINK_REL}"
                members_links.append((tag, address))

    assert len(crawled) >= 10, f"only {len(crawled)} pages reached"
    assert ("a", "https://example.org/guide") in members_links
    assert ("img", "https://pics.example/cat.png") in members_links


def test_the_stylesheet_loads_nothing_from_elsewhere(board: RoleBoard) -> None:
    stylesheet = Path(__file__).parents[1] / "tinypier" / "static" / "style.css"
    addresses = CSS_URL.findall(stylesheet.read_text(encoding="utf-8"))
    addresses += re.findall(r"@import\s+['\"]([^'\"]+)", stylesheet.read_text(encoding="utf-8"))

    assert [url for url in addresses if not is_the_boards(url, board_origins(board))] == []


def test_a_third_party_address_outside_a_post_is_caught(board: RoleBoard) -> None:
    """The checker itself: a CDN stylesheet in the page's head would fail the crawl."""
    page = (
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<div class="post-body"><a href="https://ok.example" rel="nofollow">x</a></div>'
        '<p style="background: url(//fonts.example/f.woff)">'
    )

    found = [
        (address, in_post)
        for _tag, address, in_post, _rel in outside_addresses(page, board_origins(board))
    ]

    assert found == [
        ("https://cdn.example/x.css", False),
        ("https://ok.example", True),
        ("//fonts.example/f.woff", False),
    ]
