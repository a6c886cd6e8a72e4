"""BBCode renders the tags members use, and nothing that could run or break the page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tinypier.forum.bbcode import render_bbcode


class Elements(HTMLParser):
    """Every element of a fragment with its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("[b]x[/b] [i]y[/i] [u]z[/u]", "<strong>x</strong> <em>y</em> <u>z</u>"),
        ("[s]gone[/s]", "<s>gone</s>"),
        ("H[sub]2[/sub]O x[sup]2[/sup]", "H<sub>2</sub>O x<sup>2</sup>"),
        ("[hr]", "<hr>"),
        ("[center]mid[/center]", '<div class="bb-center">mid</div>'),
        ("[size=5]big[/size]", '<span class="bb-size-5">big</span>'),
        ("[color=#c00]red[/color]", '<span style="color:#c00">red</span>'),
        ("[list][*]a[*]b[/list]", "<ul><li>a</li><li>b</li></ul>"),
        ("[list=a][*]a[/list]", '<ol type="a"><li>a</li></ol>'),
        ("[spoiler=Plot]twist[/spoiler]", "<details><summary>Plot</summary>twist</details>"),
        (
            "[quote=alice]hi[/quote]",
            '<blockquote class="bb-quote"><cite class="bb-quote-author">alice</cite>'
            "hi</blockquote>",
        ),
        (
            "[spoiler]twist[/spoiler]",
            '<details><summary class="bb-spoiler-untitled"></summary>twist</details>',
        ),
        ("[code][b]raw[/b] <tag>[/code]", "<pre><code>[b]raw[/b] &lt;tag&gt;</code></pre>"),
    ],
)
def test_each_tag_renders_its_markup(source: str, html: str) -> None:
    assert render_bbcode(source) == html


def test_link_and_image_urls_are_escaped_exactly_once() -> None:
    link = render_bbcode("[url]https://example.org/?a=1&b=2[/url]")
    image = render_bbcode("[img]https://example.org/x.png?a=1&b=2[/img]")

    assert 'href="https://example.org/?a=1&amp;b=2"' in link
    assert 'src="https://example.org/x.png?a=1&amp;b=2"' in image


@pytest.mark.parametrize(
    "source",
    [
        "[url=javascript:alert(1)]x[/url]",
        "[url]javascript:alert(1)[/url]",
        "[img]javascript:alert(1)[/img]",
        "[img]data:image/svg+xml,<svg onload=alert(1)>[/img]",
        '[url=http://a.example/" onclick="alert(1)]x[/url]',
        "[color=red;background:url(javascript:x)]x[/color]",
        "[size=30]x[/size]",  # TorrentPier sizes stop at 29 px
        "[size=9;position:fixed]x[/size]",
        '[list=1" onclick="x][*]a[/list]',
        "<script>alert(1)</script>",
    ],
)
def test_unsafe_input_yields_no_element_with_attributes(source: str) -> None:
    elements = Elements()
    elements.feed(render_bbcode(source))

    assert [
        (tag, attrs) for tag, attrs in elements.found if attrs or tag in {"script", "img"}
    ] == []
