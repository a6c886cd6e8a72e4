"""TorrentPier's BBCode dialect renders: imported posts look as their authors wrote them.

The tags of TorrentPier's ``src/Legacy/BBCode.php`` that this board did not have (box,
pre, nfo, sizes in pixels, font, align, qpost, acronym, email, del, indent, br, tab, clear,
aligned images, smilies) render to markup of our own design, behind the same nh3
allow-list; no attribute a member writes survives unchecked, the renderer stays linear,
and ``LinearParser`` still matches the library's output with the new tags.
"""

from __future__ import annotations

import re
import tempfile
from html import unescape
from pathlib import Path

import pytest

from tests.forum.test_bbcode_bounds import LIBRARY, LINEAR, filled, render_seconds
from tests.forum.test_xss import FORBIDDEN_TAGS, VECTORS, inspect
from tinypier.app import STATIC_DIR, create_app
from tinypier.forum.bbcode import (
    SMILIES_DIR,
    TORRENTPIER_SMILIES,
    render_bbcode,
    sanitize_html,
)
from tinypier.settings import load_settings


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("[box]x[/box]", '<div class="bb-box">x</div>'),
        (
            "[box=#c00,#eee]x[/box]",
            '<div class="bb-box" style="border-color:#c00;background-color:#eee">x</div>',
        ),
        ('[box="navy"]x[/box]', '<div class="bb-box" style="border-color:navy">x</div>'),
        (
            "[box='red', 'yellow']x[/box]",
            '<div class="bb-box" style="border-color:red;background-color:yellow">x</div>',
        ),
        (
            '[spoiler="Plot: part 1"]twist[/spoiler]',
            "<details><summary>Plot: part 1</summary>twist</details>",
        ),
        ("[pre]a  -- b\n  c[/pre]", '<pre class="bb-pre">a  -- b\n  c</pre>'),
        ("[pre][b]x[/b][/pre]", '<pre class="bb-pre"><strong>x</strong></pre>'),
        ("[nfo] ▄█▀ :aa: ...\n ██[/nfo]", '<pre class="bb-nfo"> ▄█▀ :aa: ...\n ██</pre>'),
        ("[size=18]big[/size]", '<span style="font-size:18px">big</span>'),
        ("[size=29]big[/size]", '<span style="font-size:29px">big</span>'),
        ("[size=3]x[/size]", '<span class="bb-size-3">x</span>'),
        ("[size=30]x[/size][size=0]y[/size]", "xy"),
        ('[font="Courier New"]c[/font]', '<span class="bb-font-courier-new">c</span>'),
        ("[font=verdana]v[/font]", '<span class="bb-font-verdana">v</span>'),
        ('[font="Wingdings"]w[/font]', "w"),
        ("[align=justify]j[/align]", '<div class="bb-align-justify">j</div>'),
        ("[align=right]r[/align]", '<div class="bb-align-right">r</div>'),
        ("[align=middle]m[/align]", "m"),
        ("[qpost=4512]", '<a href="/posts/4512" rel="nofollow noopener noreferrer ugc">#4512</a>'),
        ("[qpost=x]", ""),
        ('[acronym="Blu-ray Disc"]BD[/acronym]', '<abbr title="Blu-ray Disc">BD</abbr>'),
        (
            "[email]a.b@example.org[/email]",
            '<a href="mailto:a.b@example.org" rel="nofollow noopener noreferrer ugc">'
            "a.b@example.org</a>",
        ),
        ("[del]gone[/del]", "<del>gone</del>"),
        ("[indent]in[/indent]", '<div class="bb-indent">in</div>'),
        ("a[br]b", "a<br>b"),
        ("a[tab]b", "a&nbsp;&nbsp;&nbsp;&nbsp;b"),
        ("[clear]", '<div class="bb-clear"></div>'),
        ("[hr]", "<hr>"),
        (
            "[img=right]https://example.org/c.jpg[/img]",
            '<img src="https://example.org/c.jpg" alt="" loading="lazy" class="bb-img-right">',
        ),
        (
            "Hi :aa:!",
            'Hi <img src="/static/smilies/aa.gif" alt=":aa:" class="bb-smiley">!',
        ),
        ("ok :) no :( wink ;) big :D", "ok 🙂 no 🙁 wink 😉 big 😀"),
        ("[code]:aa: :)[/code]", "<pre><code>:aa: :)</code></pre>"),
        (":zz: :ad: aa:", ":zz: :ad: aa:"),
    ],
)
def test_each_tag_of_the_dialect_renders_its_markup(source: str, html: str) -> None:
    assert render_bbcode(source) == html


def test_every_smiley_has_its_picture_in_the_static_files() -> None:
    assert len(TORRENTPIER_SMILIES) == 55
    for code in TORRENTPIER_SMILIES:
        picture = STATIC_DIR / SMILIES_DIR / f"{code}.gif"
        assert picture.read_bytes()[:6] == b"GIF89a", code


def test_a_post_reference_and_a_smiley_link_the_apps_addresses() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(load_settings(Path(scratch) / "data", environ={}))
    post = app.route_reverse("forum:post", post_id=77)
    picture = app.route_reverse("static", file_path=f"{SMILIES_DIR}/aa.gif")
    assert render_bbcode("[qpost=77]") == (
        f'<a href="{post}" rel="nofollow noopener noreferrer ugc">#77</a>'
    )
    assert f'src="{picture}"' in render_bbcode(":aa:")


DIALECT_WRAPPERS = [
    "[box]{v}[/box]",
    "[box={v}]x[/box]",
    "[box=red,{v}]x[/box]",
    "[font={v}]x[/font]",
    '[font="{v}"]x[/font]',
    "[align={v}]x[/align]",
    "[size={v}]x[/size]",
    "[acronym={v}]x[/acronym]",
    '[acronym="{v}"]x[/acronym]',
    '[spoiler="{v}"]x[/spoiler]',
    "[qpost={v}]",
    "[email]{v}[/email]",
    "[email]a@b.example{v}[/email]",
    "[img={v}]https://example.org/a.png[/img]",
    "[img=left]{v}[/img]",
    "[pre]{v}[/pre]",
    "[nfo]{v}[/nfo]",
    "[indent]{v}[/indent]",
    ":aa:{v}:)",
]


@pytest.mark.parametrize("wrapper", DIALECT_WRAPPERS)
def test_hostile_values_in_the_dialects_tags_yield_nothing_executable(wrapper: str) -> None:
    for vector in VECTORS:
        text = wrapper.replace("{v}", vector)
        found = inspect(render_bbcode(text), {"http", "https", "mailto"})
        assert found.problems == [], text
        assert {tag for tag in found.tags if tag in FORBIDDEN_TAGS} == set(), text


@pytest.mark.parametrize(
    "source",
    [
        "[box=red;background:url(https://evil.example/x)]x[/box]",
        "[box=#fff,expression(alert(1))]x[/box]",
        '[font="Arial;position:fixed"]x[/font]',
        '[acronym="x" onmouseover="alert(1)"]x[/acronym]',
        '[align=left" style="position:fixed]x[/align]',
        "[size=12;position:fixed]x[/size]",
        '[img=left" onerror="alert(1)]https://example.org/a.png[/img]',
        '[email]a@b.example" onclick="alert(1)[/email]',
        '<img src="/static/smilies/aa.gif" class="bb-smiley" onerror="alert(1)">',
    ],
)
def test_attribute_values_are_chosen_not_copied(source: str) -> None:
    html = render_bbcode(source)

    found = inspect(html, {"http", "https", "mailto"})
    assert found.problems == []
    assert "position" not in html and "url(" not in html and "expression" not in html
    assert not re.search(r"<[a-z]+ [^>]*on[a-z]+=", html)
    assert '<img src="/static' not in html


HOSTILE_DIALECT_BODIES = {
    "deep box nesting": "[box]" * 10_000 + "x" + "[/box]" * 7_000,
    "nested blocks": filled("[pre][nfo][align=left][indent][font=arial][size=20]x"),
    "unclosed quoted box colours": filled("[box='a,"),
    "many smilies": filled(":aa::)"),
    "colon runs": filled(":"),
    "semicolon and bracket runs": filled(";)"),
    "post references": filled("[qpost=123456789]"),
    "line tools": filled("[br][tab][clear][hr]"),
    "acronyms with long titles": filled('[acronym="' + "t" * 200 + '"]x[/acronym]'),
}


@pytest.mark.parametrize("body", HOSTILE_DIALECT_BODIES.values(), ids=HOSTILE_DIALECT_BODIES.keys())
def test_hostile_dialect_bodies_render_60_kb_within_the_bound(body: str) -> None:
    assert render_seconds(body, 0.5) < 0.5


@pytest.mark.parametrize(
    "body",
    [
        '[box=#c00,#eee][align=center][size=20]Title[/size][/align]\n[spoiler="NFO"]'
        "[nfo]  ██ -- (c)\n[/nfo][/spoiler][/box]",
        "[font=Tahoma]a :aa: b :) c[/font] [qpost=12] [acronym=x]y[/acronym]",
        "[list]\n[*][pre]x\ny[/pre]\n[*]two ;)\n[/list]\nhttp://example.org/:ab: done",
        "[img=left]https://e.org/a.png[/img][clear][email]a@b.co[/email][br][tab]x",
    ],
)
def test_dialect_posts_render_as_the_library_does(body: str) -> None:
    assert sanitize_html(LINEAR.format(body)) == sanitize_html(LIBRARY.format(body))


@pytest.mark.parametrize(
    "source",
    [
        "http://tracker.example/bt/announce.php?uk=Ab3dE6gH9k",
        "[url=http://t.example/bt/announce.php?uk=Zq8xW7vU6tS5rP4oN3mL]mine[/url]",
        "[code]http://t.example/bt/announce.php?x=1&uk=Zq8xW7vU6tS5rP4oN3mL[/code]",
        "my key: ?passkey=0123456789abcdef",
    ],
)
def test_a_passkey_in_a_pasted_announce_url_is_hidden_as_torrentpier_did(source: str) -> None:
    html = render_bbcode(source)

    assert "Ab3dE6gH9k" not in html and "Zq8xW7vU6tS5rP4oN3mL" not in html
    assert "0123456789abcdef" not in html
    assert "=**********" in html


def test_hiding_passkeys_leaves_other_parameters_and_stays_linear() -> None:
    assert "?uk=short" in render_bbcode("http://a.example/x?uk=short")
    assert "?guk=Ab3dE6gH9kXX" in render_bbcode("http://a.example/x?guk=Ab3dE6gH9kXX")
    assert render_seconds(filled("?uk=" + "a" * 30 + "&uk="), 0.5) < 0.5


@pytest.mark.parametrize("text", ["('quoted')", '("quoted")', "(a &) b", "(x <y>) z"])
def test_a_face_is_never_read_into_an_escaped_character(text: str) -> None:
    """Escaping and smilies are one pass: the ``;)`` ending ``&#39;)`` or ``&quot;)`` is
    the escape's own, not a wink (a search snippet showed one in the middle of a quote)."""
    html = render_bbcode(text)

    assert "\N{WINKING FACE}" not in html
    assert unescape(re.sub(r"<[^>]+>", "", html)) == text


def test_a_typed_wink_is_still_a_wink() -> None:
    assert render_bbcode("see you ;)") == "see you \N{WINKING FACE}"
