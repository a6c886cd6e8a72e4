"""No markup a member writes can run script or reshape a page.

Each attack vector goes through the BBCode renderer directly, then through the real
pages as a topic title and post body (topic page, edit form, quoting reply form,
preview, forum page, index, search) and as a poll's question and option (topic page, poll
form), written by a member whose name is itself hostile
(as an imported legacy account could be: registration refuses such names, also tested),
and as the name and file names inside an uploaded .torrent (release page, tracker list);
and as that member's signature (topic page, profile, its own form) and the file name of
their avatar.
The HTML is parsed, never grepped: no script-capable element, no ``on*`` attribute, no
URL attribute with a scheme other than http(s) once entities and whitespace are undone,
no style that loads or computes, and no extra <meta>, <form>, <link> or <input> compared
with the same page showing a harmless post.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import bencodepy
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from PIL import Image

from tests.forum.board import add_forum, register_upload, sql
from tests.helpers import add_member
from tests.roles import BASE_URL, csrf_token, session_for
from tinypier.accounts.names import name_problem
from tinypier.accounts.sessions import SESSION_COOKIE
from tinypier.app import create_app
from tinypier.forum.bbcode import render_bbcode, render_signature
from tinypier.settings import Settings, load_settings
from tinypier.torrents.registration import ReleaseUpload

SCRIPT = "alert(1)"
VECTORS = [
    # Raw HTML: the renderer escapes or drops it.
    f"<script>{SCRIPT}</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    f"<img src=x onerror={SCRIPT}>",
    f"<svg onload={SCRIPT}>",
    f"<svg><script>{SCRIPT}</script></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={SCRIPT}>",
    f'<iframe src="javascript:{SCRIPT}"></iframe>',
    f'<object data="javascript:{SCRIPT}"></object>',
    f'<embed src="javascript:{SCRIPT}">',
    f'<base href="javascript:{SCRIPT}//">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{SCRIPT}">',
    f'<form action="javascript:{SCRIPT}"><button>go</button></form>',
    f'<a href="javascript:{SCRIPT}">x</a>',
    f'<a href="JaVaScRiPt:{SCRIPT}">x</a>',
    f'<a href="&#106;avascript:{SCRIPT}">x</a>',
    f'<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;{SCRIPT}">x</a>',
    f'<a href="jav&#x0A;ascript:{SCRIPT}">x</a>',
    f'<a href=" javascript:{SCRIPT}">x</a>',
    f'<a href="javascript&colon;{SCRIPT}">x</a>',
    f'<a href="data:text/html,<script>{SCRIPT}</script>">x</a>',
    f'<div style="background:url(javascript:{SCRIPT})">x</div>',
    f'<div style="width: expression({SCRIPT})">x</div>',
    f"<style>@import 'javascript:{SCRIPT}';</style>",
    f"<link rel=stylesheet href=javascript:{SCRIPT}>",
    f"</textarea><script>{SCRIPT}</script>",
    f'"><script>{SCRIPT}</script>',
    f"'><img src=x onerror={SCRIPT}>",
    f"<body onload={SCRIPT}>",
    f"<details open ontoggle={SCRIPT}>x</details>",
    f"<input autofocus onfocus={SCRIPT}>",
    f"<!--<script>{SCRIPT}//-->",
    f"<<script>script>{SCRIPT}<</script>/script>",
    f"<scr<script>ipt>{SCRIPT}</scr</script>ipt>",
    f"<xss onafterscriptexecute={SCRIPT}>x</xss>",
    f'<noscript><p title="</noscript><img src=x onerror={SCRIPT}>">',
    f'<svg><a xlink:href="javascript:{SCRIPT}"><text>x</text></a></svg>',
    f'<img src="x` `<script>{SCRIPT}</script>"` `>',
    # BBCode links and images with hostile URLs.
    f"[url=javascript:{SCRIPT}]x[/url]",
    f"[url]javascript:{SCRIPT}[/url]",
    f"[url=JaVaScRiPt:{SCRIPT}]x[/url]",
    f"[url=&#106;avascript:{SCRIPT}]x[/url]",
    f"[url=&#x6A;avascript:{SCRIPT}]x[/url]",
    f"[url=java&#x09;script:{SCRIPT}]x[/url]",
    f"[url=javascript&colon;{SCRIPT}]x[/url]",
    f'[url=" javascript:{SCRIPT}"]x[/url]',
    "[url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==]x[/url]",
    "[url=vbscript:msgbox(1)]x[/url]",
    f'[url=http://a.example/" onmouseover="{SCRIPT}]x[/url]',
    "[url=http://a.example/?x=<script>]x[/url]",
    f'[url]http://a.example/"><script>{SCRIPT}</script>[/url]',
    f"[url=http://a.example][url=javascript:{SCRIPT}]x[/url][/url]",
    f"[img]javascript:{SCRIPT}[/img]",
    f'[img]http://a.example/x.png" onerror="{SCRIPT}[/img]',
    "[img]data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+[/img]",
    "[img]vbscript:msgbox(1)[/img]",
    f'[img]http://a.example/x.png[/img][img]" onerror={SCRIPT} x="[/img]',
    # BBCode options that try to break out of their attribute.
    f'[color=red" onmouseover="{SCRIPT}]x[/color]',
    f"[color=red;background:url(javascript:{SCRIPT})]x[/color]",
    f"[color=expression({SCRIPT})]x[/color]",
    f'[color=#fff" style="x:expression({SCRIPT})]x[/color]',
    f'[size=7" style="background:url(javascript:{SCRIPT})]x[/size]',
    f"[size=<script>{SCRIPT}</script>]x[/size]",
    f'[quote="x"><script>{SCRIPT}</script>]y[/quote]',
    f"[quote=x onmouseover={SCRIPT}]y[/quote]",
    f'[spoiler="<img src=x onerror={SCRIPT}>"]y[/spoiler]',
    f'[list=1" onclick="{SCRIPT}][*]x[/list]',
    # Broken and nested structure.
    f"[b][i][u]<script>{SCRIPT}</script>[/b][/i][/u]",
    f"[code]<script>{SCRIPT}</script>[/code]",
    f"[quote][quote][quote]<img src=x onerror={SCRIPT}>[/quote]",
    "[quote]" * 60 + f"<script>{SCRIPT}</script>" + "[/quote]" * 60,
    f"[spoiler=[url=javascript:{SCRIPT}]x[/url]]y[/spoiler]",
    # Bare text that the auto-linker might turn into a link.
    f'javascript:{SCRIPT} and http://a.example/"onmouseover={SCRIPT}',
    "www.example.com/<script>x</script>",
]

HOSTILE_NAMES = [
    f"<script>{SCRIPT}</script>",
    f'"><img src=x onerror={SCRIPT}>',
    "name with spaces",
    "javascript:alert(1)",
    "a&lt;b",
    "x'onmouseover='1",
]

# Elements that can run script, load a document or restyle the page: never from a post.
FORBIDDEN_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style",
    "svg", "math", "noscript", "template", "link", "meta", "form", "input", "button",
    "textarea", "select",
}  # fmt: skip
# Of those, a page has some of its own (stylesheet link, forms, their inputs): there, a
# post must not add any beyond what the same page shows for a harmless post.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "background", "poster",
    "srcset", "cite", "codebase", "lowsrc", "dynsrc", "manifest",
}  # fmt: skip
POST_SCHEMES = {"http", "https"}
PAGE_SCHEMES = {"http", "https", "magnet"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CSS_DANGERS = ("url(", "expression", "javascript", "@import", "behavior", "-moz-binding", "\\")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: entities are already undone by the parser; it
    also ignores tabs, newlines and control characters anywhere in the URL."""
    match = _SCHEME.match(_INVISIBLE.sub("", value).lower())
    return match.group(1) if match else None


def style_danger(value: str) -> str | None:
    flat = _INVISIBLE.sub("", _CSS_COMMENT.sub("", value)).lower()
    return next((danger for danger in CSS_DANGERS if danger in flat), None)


class Inspection(HTMLParser):
    """Every element and attribute of a document, with what is wrong about them."""

    def __init__(self, schemes: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.schemes = schemes
        self.tags: Counter[str] = Counter()
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")

    def _check_attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self.problems.append(f"<{tag} {name}=...> event handler")
        if name in URL_ATTRIBUTES:
            scheme = url_scheme(value)
            if scheme is not None and scheme not in self.schemes:
                self.problems.append(f"<{tag} {name}={value!r}> scheme {scheme}")
        if name == "style" and style_danger(value):
            self.problems.append(f"<{tag} style={value!r}>")


def inspect(html: str, schemes: set[str]) -> Inspection:
    inspection = Inspection(schemes)
    inspection.feed(html)
    inspection.close()
    return inspection


def test_there_are_enough_vectors() -> None:
    assert len(VECTORS) >= 50
    assert len(set(VECTORS)) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS)
def test_rendered_bbcode_holds_nothing_executable(vector: str) -> None:
    for text in (vector, f"[quote={vector}]{vector}[/quote]", f"[b]{vector}"):
        found = inspect(render_bbcode(text), POST_SCHEMES)
        assert found.problems == [], text
        assert {tag for tag in found.tags if tag in FORBIDDEN_TAGS} == set(), text


@pytest.mark.parametrize("vector", VECTORS)
def test_rendered_signatures_hold_nothing_executable(vector: str) -> None:
    for text in (vector, f"[b]{vector}", f"[url=http://a.example/]{vector}[/url]"):
        found = inspect(render_signature(text), POST_SCHEMES)
        assert found.problems == [], text
        assert {tag for tag in found.tags if tag in FORBIDDEN_TAGS} == set(), text


def test_the_inspection_sees_what_it_must_refuse() -> None:
    """The checker itself: raw hostile HTML is caught, so a pass above means something."""
    found = inspect(
        '<a href="jav&#x09;ascript:x">a</a><img src=x onerror=y><p style="x:url(y)">'
        '<a href="data:x">b</a><script></script>',
        POST_SCHEMES,
    )
    assert len(found.problems) == 4
    assert found.tags["script"] == 1


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_refused_at_registration(name: str) -> None:
    assert name_problem(name) is not None


@dataclass(frozen=True)
class PostedBoard:
    client: TestClient[Litestar]
    settings: Settings
    forum_id: int
    harmless: int
    topics: dict[str, int]

    def first_post(self, topic_id: int) -> int:
        return int(
            sql(self.settings, "SELECT MIN(id) FROM posts WHERE topic_id = ?", (topic_id,))[0][0]
        )


def post_topic(client: TestClient[Litestar], forum_id: int, title: str, body: str) -> int:
    response = client.post(
        f"/forums/{forum_id}/new",
        data={"title": title, "body": body, "_csrf_token": csrf_token(client)},
    )
    assert response.status_code == 303, f"posting {title!r}: {response.status_code}"
    return int(response.headers["location"].rsplit("/", 1)[-1].split("?")[0].split("#")[0])


def add_poll(client: TestClient[Litestar], topic_id: int, text: str) -> None:
    """The topic's starter asks ``text`` in a poll and offers it as the first option."""
    form = {
        "question": f"xylophone {text}"[:300],
        "options": f"{text[:200]}\nxylophone second",
        "max_choices": "1",
        "_csrf_token": csrf_token(client),
    }
    response = client.post(f"/topics/{topic_id}/poll", data=form)
    assert response.status_code == 303, f"poll {text!r}: {response.status_code}"


@pytest.fixture(scope="module")
def posted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostedBoard]:
    """Every vector posted as a topic (title and body, and a poll's question and option) by
    a member with a hostile name."""
    settings = load_settings(tmp_path_factory.mktemp("xss") / "data", environ={})
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        client.follow_redirects = False
        forum_id = add_forum(settings, "Open forum")
        legacy = add_member(settings, f'<img src=x onerror={SCRIPT}>"legacy')
        client.cookies.set(SESSION_COOKIE, session_for(settings, legacy))
        harmless = post_topic(
            client, forum_id, "Harmless xylophone", "Just [b]xylophone[/b] words."
        )
        topics = {
            vector: post_topic(client, forum_id, f"xylophone {vector}"[:200], f"xylophone {vector}")
            for vector in VECTORS
        }
        add_poll(client, harmless, "Harmless xylophone")
        for vector, topic_id in topics.items():
            add_poll(client, topic_id, vector)
        yield PostedBoard(client, settings, forum_id, harmless, topics)


def page_pairs(board: PostedBoard, topic_id: int) -> Iterator[tuple[str, str]]:
    """(page path, the same page for the harmless topic) for one hostile topic."""
    yield f"/topics/{topic_id}", f"/topics/{board.harmless}"
    first, harmless_first = board.first_post(topic_id), board.first_post(board.harmless)
    yield f"/posts/{first}/edit", f"/posts/{harmless_first}/edit"
    yield (
        f"/topics/{topic_id}/reply?quote={first}",
        f"/topics/{board.harmless}/reply?quote={harmless_first}",
    )
    yield f"/topics/{topic_id}/poll", f"/topics/{board.harmless}/poll"


def assert_page_is_clean(html: str, baseline_html: str, where: str) -> None:
    found, baseline = inspect(html, PAGE_SCHEMES), inspect(baseline_html, PAGE_SCHEMES)
    assert found.problems == [], where
    added = {tag: found.tags[tag] - baseline.tags[tag] for tag in FORBIDDEN_TAGS}
    assert {tag: count for tag, count in added.items() if count > 0} == {}, where


@pytest.mark.parametrize("vector", VECTORS)
def test_pages_showing_a_hostile_post_hold_nothing_executable(
    posted: PostedBoard, vector: str
) -> None:
    for path, baseline_path in page_pairs(posted, posted.topics[vector]):
        page, baseline = posted.client.get(path), posted.client.get(baseline_path)
        assert page.status_code == baseline.status_code == 200, path
        assert_page_is_clean(page.text, baseline.text, f"{path} for {vector!r}")


@pytest.mark.parametrize("vector", VECTORS)
def test_previewing_a_hostile_post_shows_nothing_executable(
    posted: PostedBoard, vector: str
) -> None:
    def preview(body: str) -> str:
        token = csrf_token(posted.client)
        form = {"title": "Preview", "body": body, "preview": "1", "_csrf_token": token}
        response = posted.client.post(f"/forums/{posted.forum_id}/new", data=form)
        assert response.status_code == 200
        return response.text

    assert_page_is_clean(preview(vector), preview("harmless"), f"preview of {vector!r}")


@pytest.mark.parametrize("path", ["/", "/forums/{forum_id}", "/search?q=xylophone", "/members"])
def test_listings_of_hostile_topics_hold_nothing_executable(posted: PostedBoard, path: str) -> None:
    page = posted.client.get(path.format(forum_id=posted.forum_id), follow_redirects=True)
    assert page.status_code == 200
    found = inspect(page.text, PAGE_SCHEMES)
    assert found.problems == []
    assert found.tags["script"] == found.tags["iframe"] == found.tags["object"] == 0


def test_registration_refuses_a_hostile_name_and_creates_no_one(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data", environ={})
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        for name in HOSTILE_NAMES[:3]:
            password = "a long enough password"
            form = {"name": name, "password": password, "password_confirm": password}
            response = client.post("/register", data={**form, "_csrf_token": csrf_token(client)})
            assert response.status_code == 400, name
        assert sql(settings, "SELECT COUNT(*) FROM users")[0][0] == 0


def hostile_torrent(names: list[str]) -> bytes:
    """A private multi-file torrent whose name and file names are the given vectors."""
    info = {
        b"name": names[0].encode(),
        b"piece length": 16384,
        b"pieces": b"\x00" * 20,
        b"private": 1,
        b"files": [{b"length": 1, b"path": [name.encode()]} for name in names],
    }
    return bytes(bencodepy.encode({b"announce": b"http://tracker.example/announce", b"info": info}))


# A .torrent's names are the uploader's words too; only '/', '\\' and NUL are refused there.
TORRENT_NAME_VECTORS = [v for v in VECTORS if not set(v) & {"/", "\\", "\0"}] + [
    f'"><svg onload={SCRIPT}>.mkv',
    f"' onmouseover='{SCRIPT}'.txt",
    f"javascript:{SCRIPT}",
    "&lt;script&gt;.nfo",
    f"<a href=javascript:{SCRIPT}>cover.jpg",
    f"<body onload={SCRIPT}>.srt",
]


def test_a_release_whose_file_names_are_hostile_shows_nothing_executable(
    posted: PostedBoard,
) -> None:
    assert len(TORRENT_NAME_VECTORS) >= 15
    member = add_member(posted.settings, "uploader")
    releases = add_forum(posted.settings, "Releases", releases=True)
    upload = ReleaseUpload(
        releases, member.id, "Hostile names", "A release.", hostile_torrent(TORRENT_NAME_VECTORS)
    )
    registered = register_upload(posted.settings, upload)
    for path in (f"/topics/{registered.topic_id}", "/tracker"):
        page = posted.client.get(path)
        assert page.status_code == 200, path
        found = inspect(page.text, PAGE_SCHEMES)
        assert found.problems == [], path
        assert found.tags["script"] == found.tags["svg"] == found.tags["iframe"] == 0, path
    shown = inspect(posted.client.get(f"/topics/{registered.topic_id}").text, PAGE_SCHEMES)
    assert TORRENT_NAME_VECTORS[1] in "".join(shown.text), "file names are shown, as text"


def save_signature(board: PostedBoard, signature: str) -> None:
    form = {"signature": signature, "_csrf_token": csrf_token(board.client)}
    response = board.client.post("/profile/signature", data=form)
    assert response.status_code == 303, f"signature {signature!r}: {response.status_code}"


def signature_pages(board: PostedBoard) -> list[str]:
    author_id = sql(board.settings, "SELECT author_id FROM posts LIMIT 1")[0][0]
    return [f"/topics/{board.harmless}", f"/members/{author_id}", "/profile"]


@pytest.mark.parametrize("vector", VECTORS)
def test_pages_showing_a_hostile_signature_hold_nothing_executable(
    posted: PostedBoard, vector: str
) -> None:
    """The hostile member signs with the vector (cut to the signature limit)."""
    signature = vector[: posted.settings.signature_max_chars]
    save_signature(posted, "Harmless [b]xylophone[/b] signature")
    baselines = [posted.client.get(path).text for path in signature_pages(posted)]
    try:
        save_signature(posted, signature)
        for path, baseline in zip(signature_pages(posted), baselines, strict=True):
            page = posted.client.get(path)
            assert page.status_code == 200, path
            assert_page_is_clean(page.text, baseline, f"{path} signed {signature!r}")
    finally:
        save_signature(posted, "")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_avatar_file_name_never_reaches_a_page(posted: PostedBoard, name: str) -> None:
    """The name a browser sends with the file is never read: only the image's pixels are.
    (The hostile names themselves are on these pages already, as topic titles.)"""
    picture = render_png()
    response = posted.client.post(
        "/profile/avatar",
        data={"_csrf_token": csrf_token(posted.client)},
        files={"avatar": (f"{name}-avatarfile.png", picture, "image/png")},
    )
    assert response.status_code == 303
    for path in signature_pages(posted):
        page = posted.client.get(path).text
        assert "avatarfile" not in page, path
        assert inspect(page, PAGE_SCHEMES).problems == [], path


def render_png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (32, 32), "purple").save(output, "PNG")
    return output.getvalue()
