"""BBCode to safe HTML: the ``bbcode`` library renders, ``nh3`` keeps only an allow-list.

Both layers matter. The formatters below emit only markup we designed (validated colours,
sizes as classes, http(s) image URLs); nh3 then removes anything outside the allow-list,
so a bug in a formatter or in the library still cannot put script on a page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape
from typing import Any

import bbcode
import nh3

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "cite",
    "code",
    "del",
    "details",
    "div",
    "em",
    "hr",
    "img",
    "li",
    "ol",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "loading"},
    "span": {"class", "style"},
    "div": {"class"},
    "blockquote": {"class"},
    "ol": {"type"},
}
ALLOWED_STYLE_PROPERTIES = {"color"}
URL_SCHEMES = {"http", "https"}

_COLOR = re.compile(r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)
MAX_NESTING = 20


def _render_color(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    color = (options.get("color") or "").strip()
    if not _COLOR.match(color):
        return value
    return f'<span style="color: {color}">{value}</span>'


def _render_size(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    size = (options.get("size") or "").strip()
    if not size.isdigit() or not 1 <= int(size) <= 7:
        return value
    return f'<span class="bb-size-{size}">{value}</span>'


def _render_image(_name: str, value: str, *_: Any) -> str:
    # The library hands formatters their content already HTML-escaped: undo it once,
    # check the real URL, and escape it exactly once for the attribute.
    url = unescape(value).strip()
    if not _SAFE_URL.match(url):
        return value
    return f'<img src="{escape(url)}" alt="" loading="lazy">'


def _render_quote(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    author = (options.get("quote") or options.get("author") or "").strip().strip("\"'")
    cite = f"<cite>{escape(author)} wrote:</cite>" if author else ""
    return f'<blockquote class="bb-quote">{cite}{value}</blockquote>'


def _render_spoiler(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    title = (options.get("spoiler") or "Spoiler").strip() or "Spoiler"
    return f"<details><summary>{escape(title)}</summary>{value}</details>"


def _render_url(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    href = (options.get("url") or unescape(value)).strip()
    if not _SAFE_URL.match(href):
        return value
    return f'<a href="{escape(href)}">{value}</a>'


_LIST_TYPES = {"1", "a", "A", "i", "I"}


def _render_list(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    list_type = (options.get("list") or "").strip()
    if list_type not in _LIST_TYPES:
        return f"<ul>{value}</ul>"
    return f'<ol type="{list_type}">{value}</ol>'


@lru_cache(maxsize=1)
def _parser() -> bbcode.Parser:
    parser = bbcode.Parser(replace_links=True, drop_unrecognized=False, max_tag_depth=MAX_NESTING)
    parser.add_simple_formatter("s", "<s>%(value)s</s>")
    parser.add_formatter("color", _render_color)
    parser.add_formatter(
        "list", _render_list, transform_newlines=False, strip=True, swallow_trailing_newline=True
    )
    parser.add_formatter("size", _render_size)
    parser.add_formatter("img", _render_image, replace_links=False, replace_cosmetic=False)
    parser.add_formatter("quote", _render_quote, strip=True, swallow_trailing_newline=True)
    parser.add_formatter("spoiler", _render_spoiler, strip=True, swallow_trailing_newline=True)
    parser.add_formatter("url", _render_url, replace_links=False, replace_cosmetic=False)
    parser.add_simple_formatter(
        "code",
        "<pre><code>%(value)s</code></pre>",
        render_embedded=False,
        transform_newlines=False,
        swallow_trailing_newline=True,
        replace_cosmetic=False,
        replace_links=False,
    )
    parser.add_simple_formatter("center", '<div class="bb-center">%(value)s</div>')
    return parser


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        strip_comments=True,
    )


def render_bbcode(text: str) -> str:
    """Safe HTML for a member's BBCode; stored beside the source and shown as is."""
    return sanitize_html(_parser().format(text))
