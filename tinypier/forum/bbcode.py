"""BBCode to safe HTML: the ``bbcode`` library renders, ``nh3`` keeps only an allow-list.

Rendering takes time linear in the post: ``LinearParser`` replaces the library's
tokenizer, tag matching and URL linkifier, which were super-linear on hostile input
(see "Linear-time parsing" below), and keeps its formatters and output.

Both layers matter. The formatters below emit only markup we designed (validated colours,
sizes as classes, http(s) image URLs); nh3 then removes anything outside the allow-list,
so a bug in a formatter or in the library still cannot put script on a page.

The stored HTML holds no interface words, only what members wrote: a quote's author is
``<cite class="bb-quote-author">name</cite>`` and an untitled spoiler has an empty
``<summary class="bb-spoiler-untitled">``. ``tinypier.forum.post_words`` fills in
"wrote:" and "Spoiler" in the reader's language when the post is shown. Members cannot
forge those markers: their text is escaped, and the sanitizer lets these classes (and
no others) on ``cite`` and ``summary`` only.
"""

from __future__ import annotations

import asyncio
import re
from functools import lru_cache
from html import escape, unescape
from typing import Any, TypeVar

import bbcode
import nh3

from tinypier.web import urls

ALLOWED_TAGS = {
    "a",
    "abbr",
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
    "abbr": {"title"},
    "img": {"src", "alt", "loading"},
    "span": {"class", "style"},
    "div": {"class", "style"},
    "pre": {"class"},
    "blockquote": {"class"},
    "ol": {"type"},
}
QUOTE_AUTHOR_CLASS = "bb-quote-author"
UNTITLED_SPOILER_CLASS = "bb-spoiler-untitled"
# The display-time markers: only these classes survive on these tags (see the docstring).
ALLOWED_CLASSES = {
    "cite": {QUOTE_AUTHOR_CLASS},
    "summary": {UNTITLED_SPOILER_CLASS},
    "img": {"bb-smiley", "bb-img-left", "bb-img-right", "bb-img-center"},
}
# Every value is checked by a formatter first (colours by _COLOR, sizes as numbers).
ALLOWED_STYLE_PROPERTIES = {"color", "font-size", "border-color", "background-color"}
URL_SCHEMES = {"http", "https", "mailto"}

_COLOR = re.compile(r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)
MAX_NESTING = 20
# Exactly the size names, not str.isdigit(): that accepts "²", which int() refuses.
_SIZES = frozenset("1234567")
# TorrentPier's [size=N] is N pixels, up to 29 ([size=1..7] keep this board's own scale).
_PIXEL_SIZES = frozenset(str(pixels) for pixels in range(8, 30))
_EMAIL = re.compile(r"^[a-zA-Z0-9&\-_.+]{1,64}@[a-zA-Z0-9\-]{1,63}(\.[a-zA-Z0-9\-]{1,63}){1,8}$")
_POST_NUMBER = re.compile(r"^[0-9]{1,18}$")
# TorrentPier's [qpost=N] names post N; here it links the post's lasting address.
POST_ROUTE = "forum:post"
# [font=...]: the families of TorrentPier's editor, each a class of the board's CSS.
FONTS = {
    name.lower(): "bb-font-" + name.lower().replace(" ", "-")
    for name in (
        "Arial",
        "Comic Sans MS",
        "Courier New",
        "Georgia",
        "Impact",
        "Lucida Console",
        "Tahoma",
        "Times New Roman",
        "Trebuchet MS",
        "Verdana",
        "monospace",
        "serif",
        "sans-serif",
    )
}
ALIGNMENTS = frozenset({"left", "right", "center", "justify"})
# The smilies' pictures, under the static files.
SMILIES_DIR = "smilies"
# TorrentPier's default smilies (bb_smilies: ":aa:" .. ":cd:", its images in
# static/smilies) and the common text faces as emoji: pictures, never words.
TORRENTPIER_SMILIES = tuple(
    f"{first}{second}"
    for first, last in (("a", "z"), ("b", "z"), ("c", "d"))
    for second in map(chr, range(ord("a"), ord(last) + 1))
    if f"{first}{second}" != "ad"
)
TEXT_SMILIES = (
    (":)", "\N{SLIGHTLY SMILING FACE}"),
    (":(", "\N{SLIGHTLY FROWNING FACE}"),
    (";)", "\N{WINKING FACE}"),
    (":D", "\N{GRINNING FACE}"),
)


def smilies() -> tuple[tuple[str, str], ...]:
    """Each smiley's code and what it becomes: a picture, or an emoji for a text face."""
    return (
        *(
            (f":{code}:", f'<img src="{_smiley_path(code)}" alt=":{code}:" class="bb-smiley">')
            for code in TORRENTPIER_SMILIES
        ),
        *TEXT_SMILIES,
    )


def _smiley_path(code: str) -> str:
    return urls.path("static", file_path=f"{SMILIES_DIR}/{code}.gif")


Pairs = tuple[tuple[str, str], ...]


@lru_cache(maxsize=16)
def _marks_for(pairs: Pairs) -> tuple[Pairs, Pairs]:
    """Each replacement's mark: a lone high surrogate, which no decoded text holds (strict
    UTF-8 never yields a surrogate, surrogateescape only low ones) and no key contains,
    so keys replaced later cannot match across an earlier replacement."""
    marks = [chr(0xD800 + index) for index in range(len(pairs))]
    marked = tuple((key, mark) for (key, _value), mark in zip(pairs, marks, strict=True))
    spelled = tuple((mark, value) for (_key, value), mark in zip(pairs, marks, strict=True))
    return marked, spelled


# --- Linear-time parsing -------------------------------------------------------------
#
# The library's tokenizer, tag matcher and linkifier are each fine on ordinary posts and
# each super-linear on hostile ones: its URL regex backtracks exponentially on punctuation
# after "http://" and quadratically on "a-a-a-...", every start tag re-scans the rest of
# its parent for a closer (depth x tokens), and option parsing searches the rest of a tag
# for every space. ``LinearParser`` keeps the library's formatters, option parser and
# output, and replaces those three parts with single passes, so a post costs time in
# proportion to its length whatever it holds.

# A bracketed span longer than this is text, not a tag: no real tag (a long [url=...]
# included) comes near it, and it bounds the library's option parser per tag.
MAX_TAG_CHARS = 2048

_TAG_SYNTAX = re.compile(r"[\[\]=\"']")
# The linkifier's grammar is the library's regex (daringfireball's, one level of
# parentheses), evaluated by hand: every pattern below is possessive or a fixed string,
# so none backtracks.
_LINK_START = re.compile(r"\b(?a:[a-z0-9.\-])", re.IGNORECASE)
_SCHEME = re.compile(r"(?a:https?://)", re.IGNORECASE)
_WWW = re.compile(r"(?a:www[0-9]{0,3}\.)", re.IGNORECASE)
_SCHEME_OR_WWW = re.compile(r"\b(?a:https?://|www[0-9]{0,3}\.)", re.IGNORECASE)
_DOMAIN_RUN = re.compile(r"(?a:[a-z0-9.\-]++)", re.IGNORECASE)
# Unlike the library's regex, a link stops at "[": its tokens ended there.
_URL_CHARS = re.compile(r"[^\s()<>\[]++")
_URL_GROUP = re.compile(r"\([^\s()<>\[]++\)")
# Text without these needs no escaping, prettying, linking or newline handling.
_TEXT_TO_TRANSFORM = re.compile(r"[&<>\"'.(:;\-\n]")
_NOT_LAST_IN_URL = frozenset("`!()[]{};:'\".,<>?")

Token = tuple[int, str | None, Any, str]
ParserT = TypeVar("ParserT", bound=bbcode.Parser)


def _link_body_end(text: str, start: int) -> int:
    """End of the longest URL body at ``start``, or -1: URL characters and one-level
    parenthesised groups, at least two characters, not ending in punctuation."""
    end = -1
    pos = start
    while pos < len(text):
        if text[pos] == "(":
            group = _URL_GROUP.match(text, pos)
            if group is None:
                break
            if pos > start:
                end = group.end()
            pos = group.end()
            continue
        run = _URL_CHARS.match(text, pos)
        if run is None:
            break
        last = run.end() - 1
        while last >= pos and last > start and text[last] in _NOT_LAST_IN_URL:
            last -= 1
        if last >= pos and last > start:
            end = last + 1
        pos = run.end()
    return end


def _prefixed_link_end(text: str, start: int) -> int:
    """End of a link that starts with ``http(s)://`` or ``www.`` at ``start``, or -1."""
    for prefix in (_SCHEME, _WWW):
        found = prefix.match(text, start)
        if found is not None:
            end = _link_body_end(text, found.end())
            if end > 0:
                return end
    return -1


def _domain_link_end(text: str, start: int, run_end: int) -> int:
    """End of a bare ``name.tld/...`` link at ``start``, whose domain run ends at ``run_end``."""
    if run_end >= len(text) or text[run_end] != "/":
        return -1
    dot = text.rfind(".", start, run_end)
    tld = text[dot + 1 : run_end]
    if dot <= start or not 2 <= len(tld) <= 4 or not (tld.isascii() and tld.isalpha()):
        return -1
    return _link_body_end(text, run_end + 1)


def _first_link(text: str, pos: int) -> tuple[int, int] | None:
    """The leftmost link at or after ``pos``, as the library's regex would find it."""
    while (candidate := _LINK_START.search(text, pos)) is not None:
        start = candidate.start()
        end = _prefixed_link_end(text, start)
        if end > 0:
            return start, end
        run_end = _DOMAIN_RUN.match(text, start).end()  # type: ignore[union-attr]
        end = _domain_link_end(text, start, run_end)
        if end > 0:
            return start, end
        # Every later start in this run has the same domain answer, so only a scheme or
        # "www." can still begin a link here; then the search moves past the run.
        inner = start + 1
        while (prefixed := _SCHEME_OR_WWW.search(text, inner, run_end + 3)) is not None:
            if prefixed.start() >= run_end:
                break
            end = _prefixed_link_end(text, prefixed.start())
            if end > 0:
                return prefixed.start(), end
            inner = prefixed.start() + 1
        pos = run_end
    return None


def link_spans(text: str) -> list[tuple[int, int]]:
    """Where the bare URLs in ``text`` are, left to right, in time linear in the text."""
    spans: list[tuple[int, int]] = []
    if "." not in text and ":" not in text:
        return spans  # every link starts with "http:", "https:", "www." or "name.tld/"
    pos = 0
    while (link := _first_link(text, pos)) is not None:
        spans.append(link)
        pos = link[1]
    return spans


class _Closers:
    """Where each start tag's content ends, found for all tags in one pass.

    The library scans forward from every start tag (depth x tokens in all); these
    answers are the same ones, computed globally. A tag inside a parent's range ends at
    its own closer or, if that lies beyond, at the parent's end, exactly as the scan
    confined to that range would find.
    """

    def __init__(self, tokens: list[Token], tags: dict[str, tuple[Any, bbcode.TagOptions]]) -> None:
        self._end: dict[int, tuple[int, bool]] = {}
        self._match_nested_pairs(tokens, tags)
        self._match_newline_closed(tokens, tags)

    def find(self, start: int, limit: int) -> tuple[int, bool]:
        """(end index, whether that token is consumed) for the start tag at ``start``."""
        end, consume = self._end.get(start, (limit, True))
        return (end, consume) if end < limit else (limit, True)

    def _match_nested_pairs(
        self, tokens: list[Token], tags: dict[str, tuple[Any, bbcode.TagOptions]]
    ) -> None:
        """Tags closed by their own end tag: counted nesting per name, or the first end
        tag for those that do not render what they hold (code)."""
        open_tags: dict[str, list[int]] = {}
        for index, (kind, name, _options, _text) in enumerate(tokens):
            if name is None:
                continue
            options = tags[name][1]
            if options.newline_closes or options.same_tag_closes or options.standalone:
                continue
            opened = open_tags.setdefault(name, [])
            if kind == bbcode.Parser.TOKEN_TAG_START:
                opened.append(index)
            elif opened:
                if options.render_embedded:
                    self._end[opened.pop()] = (index, True)
                else:
                    for start in opened:
                        self._end[start] = (index, True)
                    opened.clear()

    def _match_newline_closed(
        self, tokens: list[Token], tags: dict[str, tuple[Any, bbcode.TagOptions]]
    ) -> None:
        """List items: closed by the next item, their end tag, or a newline outside any
        block (list, code) opened after them."""
        items = {name for name, (_render, options) in tags.items() if options.newline_closes}
        blocks = {
            name for name, (_render, options) in tags.items() if not options.transform_newlines
        }
        # blocks_before[i]: block tags opened minus closed before token i.
        blocks_before = [0]
        level = 0
        for kind, name, _options, _text in tokens:
            if name in blocks:
                level += 1 if kind == bbcode.Parser.TOKEN_TAG_START else -1
            blocks_before.append(level)
        next_newline_at_level: dict[int, int] = {}
        next_item_token: dict[str, tuple[int, bool]] = {}
        for index in range(len(tokens) - 1, -1, -1):
            kind, name, _options, _text = tokens[index]
            if kind == bbcode.Parser.TOKEN_NEWLINE:
                next_newline_at_level[blocks_before[index]] = index
            elif name in items:
                if kind == bbcode.Parser.TOKEN_TAG_START:
                    newline = next_newline_at_level.get(blocks_before[index + 1], len(tokens))
                    same = next_item_token.get(name, (len(tokens), True))
                    self._end[index] = min((newline, True), same)
                    next_item_token[name] = (index, False)  # the next item is not part of this
                else:
                    next_item_token[name] = (index, True)


class LinearParser(bbcode.Parser):  # type: ignore[misc]
    """The library's parser with its super-linear parts replaced (see the notes above)."""

    def add_formatter(self, tag_name: str, render_func: Any, **kwargs: Any) -> None:
        """Refuse closing rules ``_Closers`` does not compute (none of the board's tags)."""
        if kwargs.get("newline_closes", False) != kwargs.get("same_tag_closes", False):
            raise ValueError(f"[{tag_name}]: newline_closes needs same_tag_closes here")
        super().add_formatter(tag_name, render_func, **kwargs)

    def tokenize(self, data: str) -> list[Token]:
        """The library's tokens: a bracketed span is a tag when it closes before the next
        "[" (quoted option values may hold brackets) and names a known tag. Text between
        tags is one token even where it holds brackets that open no tag (the library
        made one per bracket); ``_URL_CHARS`` stops links at brackets instead."""
        data = data.replace("\r\n", "\n").replace("\r", "\n")
        tokens: list[Token] = []
        known: dict[str, Token | None] = {}  # posts repeat their tags: parse each once
        text_start = pos = 0
        while (start := data.find("[", pos)) >= 0:
            end, closed = self._tag_extent(data, start)
            tag = data[start:end]
            token = None
            if closed:
                token = known[tag] if tag in known else self._tag_token(tag)
                known[tag] = token
            if token is not None:
                if start > text_start:
                    tokens.extend(self._newline_tokenize(data[text_start:start]))
                tokens.append(token)
                text_start = end
            pos = end
        tokens.extend(self._newline_tokenize(data[text_start:]))
        return tokens

    def _tag_token(self, tag: str) -> Token | None:
        """The token of a closed span naming a known tag, or None for text."""
        if len(tag) > MAX_TAG_CHARS:
            return None
        valid, name, closer, options = self._parse_tag(tag)
        if not valid or name not in self.recognized_tags:
            return None
        if closer:
            return (self.TOKEN_TAG_END, name, None, tag)
        return (self.TOKEN_TAG_START, name, options, tag)

    def _tag_extent(self, data: str, start: int) -> tuple[int, bool]:
        """(end, closed) of the span opened at ``start``, jumping between syntax characters."""
        quotable = False
        pos = start + 1
        if data.startswith("[", pos):
            return pos, False
        while (found := _TAG_SYNTAX.search(data, pos)) is not None:
            char = found.group()
            pos = found.end()
            if char == "[":
                return found.start(), False
            if char == "]":
                return pos, True
            if char == "=":
                quotable = True
            elif quotable:
                quote_end = data.find(char, pos)
                if quote_end < 0:
                    return len(data), False
                pos = quote_end + 1
                quotable = False
        return len(data), False

    def _transform(
        self,
        data: str,
        escape_html: bool,
        replace_links: bool,
        replace_cosmetic: bool,
        transform_newlines: bool,
        **context: Any,
    ) -> str:
        """Text between tags: links found by ``link_spans``, the rest escaped and prettied."""
        if _TEXT_TO_TRANSFORM.search(data) is None:
            return data
        spans = link_spans(data) if self.replace_links and replace_links else []
        pieces: list[str] = []
        pos = 0
        for start, end in spans:
            pieces.append(self._plain_text(data[pos:start], escape_html, replace_cosmetic))
            pieces.append(_link_markup(data[start:end]))
            pos = end
        pieces.append(self._plain_text(data[pos:], escape_html, replace_cosmetic))
        html = "".join(pieces)
        return html.replace("\n", "\r") if transform_newlines else html

    def _plain_text(self, text: str, escape_html: bool, replace_cosmetic: bool) -> str:
        """Escaped and prettied as the library does it, pair by pair in its order, except
        that every replacement is written as a mark first and spelled out last, so no
        later pair reads into an earlier one's output: in turn, the quote of ``")``
        became ``&quot;)`` and ``(c))`` became ``&copy;)``, and their ``;)`` a wink."""
        pairs = (self.REPLACE_ESCAPE if escape_html else ()) + (
            self.REPLACE_COSMETIC if replace_cosmetic else ()
        )
        if not pairs:
            return text
        marked, spelled = _marks_for(tuple(pairs))
        for key, mark in marked:
            text = text.replace(key, mark)
        for mark, value in spelled:
            text = text.replace(mark, value)
        return text

    def format(self, data: str, **context: Any) -> str:
        tokens = self.tokenize(data)
        closers = _Closers(tokens, self.recognized_tags)
        html = self._format_range(tokens, 0, len(tokens), None, closers, 1, context)
        return html.replace("\r", self.newline)

    def _format_range(
        self,
        tokens: list[Token],
        begin: int,
        limit: int,
        parent: bbcode.TagOptions | None,
        closers: _Closers,
        depth: int,
        context: dict[str, Any],
    ) -> str:
        """The library's ``_format_tokens`` over ``tokens[begin:limit]``, without copying
        the range or searching it for closers."""
        formatted: list[str] = []
        index = begin
        while index < limit:
            kind, name, options, text = tokens[index]
            if kind == self.TOKEN_TAG_START:
                render, tag = self.recognized_tags[name]
                if tag.standalone:
                    formatted.append(render(name, None, options, parent, context))
                else:
                    end, consume = closers.find(index, limit)
                    if tag.render_embedded and depth < self.max_tag_depth:
                        inner = self._format_range(
                            tokens, index + 1, end, tag, closers, depth + 1, context
                        )
                    else:
                        inner = self._transform(
                            "".join(token[3] for token in tokens[index + 1 : end]),
                            tag.escape_html,
                            tag.replace_links,
                            tag.replace_cosmetic,
                            tag.transform_newlines,
                            **context,
                        )
                    if not consume:
                        end -= 1
                    if tag.strip:
                        inner = inner.strip()
                    formatted.append(render(name, inner, options, parent, context))
                    following = end + 1
                    if (
                        tag.swallow_trailing_newline
                        and following < limit
                        and tokens[following][0] == self.TOKEN_NEWLINE
                    ):
                        end = following
                    index = end
            elif kind == self.TOKEN_NEWLINE:
                transform = parent is None or parent.transform_newlines
                formatted.append("\r" if transform else text)
            elif kind == self.TOKEN_DATA:
                owner = parent or self
                formatted.append(
                    self._transform(
                        text,
                        owner.escape_html,
                        owner.replace_links,
                        owner.replace_cosmetic,
                        parent is None or parent.transform_newlines,
                        **context,
                    )
                )
            index += 1
        return "".join(formatted)


def _link_markup(url: str) -> str:
    """The library's bare-link markup, but escaped (it put the URL in raw)."""
    href = url if "://" in url else "http://" + url
    return f'<a rel="nofollow" href="{escape(href.replace(chr(34), "%22"))}">{escape(url)}</a>'


def _render_color(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    color = (options.get("color") or "").strip()
    if not _COLOR.match(color):
        return value
    return f'<span style="color: {color}">{value}</span>'


def _render_size(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    size = (options.get("size") or "").strip()
    if size not in _SIZES:
        return value
    return f'<span class="bb-size-{size}">{value}</span>'


def _render_size_pixels(name: str, value: str, options: dict[str, str], *_: Any) -> str:
    """This board's [size=1..7], or TorrentPier's [size=8..29] in pixels."""
    size = (options.get("size") or "").strip()
    if size in _PIXEL_SIZES:
        return f'<span style="font-size: {size}px">{value}</span>'
    return _render_size(name, value, options)


def _render_image(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    # The library hands formatters their content already HTML-escaped: undo it once,
    # check the real URL, and escape it exactly once for the attribute.
    url = unescape(value).strip()
    if not _SAFE_URL.match(url):
        return value
    align = (options.get("img") or "").strip().lower()
    placed = f' class="bb-img-{align}"' if align in ("left", "right", "center") else ""
    return f'<img src="{escape(url)}" alt="" loading="lazy"{placed}>'


def _colors(options: dict[str, str], name: str) -> list[str]:
    """The colours of ``[box=border,background]`` in any of its spellings (quoted,
    spaced), which the option parser splits into odd keys; only valid colours."""
    text = ",".join([options.get(name) or "", *(key for key in options if key != name)])
    parts = (part.strip().strip("\"'").strip() for part in text.split(","))
    return [part for part in parts if _COLOR.match(part)][:2]


BOX_STYLES = ("border-color", "background-color")


def _render_box(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    colors = _colors(options, "box")
    properties = [f"{prop}: {color}" for prop, color in zip(BOX_STYLES, colors, strict=False)]
    style = f' style="{"; ".join(properties)}"' if properties else ""
    return f'<div class="bb-box"{style}>{value}</div>'


def _render_font(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    font = FONTS.get((options.get("font") or "").strip().strip("\"'").strip().lower())
    return f'<span class="{font}">{value}</span>' if font else value


def _render_align(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    align = (options.get("align") or "").strip().lower()
    return f'<div class="bb-align-{align}">{value}</div>' if align in ALIGNMENTS else value


def _render_acronym(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    title = (options.get("acronym") or "").strip().strip("\"'")
    return f'<abbr title="{escape(title)}">{value}</abbr>' if title else value


def _render_email(_name: str, value: str, *_: Any) -> str:
    address = unescape(value).strip()
    if not _EMAIL.match(address):
        return value
    return f'<a href="mailto:{escape(address)}">{escape(address)}</a>'


def _render_qpost(_name: str, _value: Any, options: dict[str, str], *_: Any) -> str:
    number = (options.get("qpost") or "").strip()
    if not _POST_NUMBER.match(number):
        return ""
    return f'<a href="{urls.path(POST_ROUTE, post_id=int(number))}">#{int(number)}</a>'


def _render_quote(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    author = (options.get("quote") or options.get("author") or "").strip().strip("\"'")
    cite = f'<cite class="{QUOTE_AUTHOR_CLASS}">{escape(author)}</cite>' if author else ""
    return f'<blockquote class="bb-quote">{cite}{value}</blockquote>'


def _render_spoiler(_name: str, value: str, options: dict[str, str], *_: Any) -> str:
    title = (options.get("spoiler") or "").strip()
    summary = (
        f"<summary>{escape(title)}</summary>"
        if title
        else f'<summary class="{UNTITLED_SPOILER_CLASS}"></summary>'
    )
    return f"<details>{summary}{value}</details>"


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
def _parser() -> LinearParser:
    return add_board_tags(
        LinearParser(replace_links=True, drop_unrecognized=False, max_tag_depth=MAX_NESTING)
    )


def add_board_tags(parser: ParserT) -> ParserT:
    """The board's formatters on top of the library's defaults (tests use them on the
    library's own parser too, to hold ``LinearParser`` to its output)."""
    parser.add_simple_formatter("s", "<s>%(value)s</s>")
    parser.add_formatter("color", _render_color)
    parser.add_formatter(
        "list", _render_list, transform_newlines=False, strip=True, swallow_trailing_newline=True
    )
    parser.add_formatter("size", _render_size_pixels)
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
    add_torrentpier_tags(parser)
    return parser


# A signature is shown under every post its author writes, so it gets only inline tags
# that cannot take over a page: no images, quotes, spoilers, lists, code, sizes or centring.
SIGNATURE_TAGS = ("b", "i", "u", "s", "color", "url")


@lru_cache(maxsize=1)
def _signature_parser() -> LinearParser:
    parser = LinearParser(
        install_defaults=False,
        replace_links=True,
        drop_unrecognized=False,
        max_tag_depth=MAX_NESTING,
    )
    for tag, element in (("b", "strong"), ("i", "em"), ("u", "u"), ("s", "s")):
        parser.add_simple_formatter(tag, f"<{element}>%(value)s</{element}>")
    parser.add_formatter("color", _render_color)
    parser.add_formatter("url", _render_url, replace_links=False, replace_cosmetic=False)
    return parser


def render_signature(text: str) -> str:
    """Safe HTML for a signature: the ``SIGNATURE_TAGS`` subset through the same linear
    parser and sanitizer as posts; any other tag stays as the text the member typed."""
    return sanitize_html(_signature_parser().format(text))


def add_torrentpier_tags(parser: ParserT) -> None:
    """TorrentPier's dialect (src/Legacy/BBCode.php), so imported posts render as their
    authors wrote them: boxes, preformatted and NFO blocks, sizes in pixels, fonts,
    alignment, post references, acronyms, e-mail links, line tools and smilies."""
    parser.REPLACE_COSMETIC = (*parser.REPLACE_COSMETIC, *smilies())
    parser.add_formatter("box", _render_box)
    parser.add_formatter("font", _render_font)
    parser.add_formatter("align", _render_align)
    parser.add_formatter("acronym", _render_acronym)
    parser.add_formatter("email", _render_email, replace_links=False, replace_cosmetic=False)
    parser.add_formatter("qpost", _render_qpost, standalone=True)
    parser.add_simple_formatter("del", "<del>%(value)s</del>")
    parser.add_simple_formatter("indent", '<div class="bb-indent">%(value)s</div>')
    parser.add_simple_formatter("br", "<br>", standalone=True)
    parser.add_simple_formatter("tab", "&nbsp;" * 4, standalone=True)
    parser.add_simple_formatter("clear", '<div class="bb-clear"></div>', standalone=True)
    for block in ("pre", "nfo"):
        # Spacing and art kept as written: no cosmetic dashes or smilies, no <br>.
        parser.add_simple_formatter(
            block,
            f'<pre class="bb-{block}">%(value)s</pre>',
            transform_newlines=False,
            replace_cosmetic=False,
            swallow_trailing_newline=True,
        )


_SANITIZER: dict[str, Any] = {
    "tags": ALLOWED_TAGS,
    "attributes": ALLOWED_ATTRIBUTES,
    "allowed_classes": ALLOWED_CLASSES,
    "url_schemes": URL_SCHEMES,
    "link_rel": "nofollow noopener noreferrer ugc",
    "filter_style_properties": ALLOWED_STYLE_PROPERTIES,
    "strip_comments": True,
}
# nh3.clean() builds its sanitizer from these sets on every call, which took two thirds
# of each post's sanitizing; a Cleaner (nh3 0.2.18+) builds it once.
_cleaner = nh3.Cleaner(**_SANITIZER) if hasattr(nh3, "Cleaner") else None


def sanitize_html(html: str) -> str:
    if _cleaner is not None:
        return _cleaner.clean(html)
    return nh3.clean(html, **_SANITIZER)


# A passkey in a pasted TorrentPier announce URL (``?uk=<auth_key>``, 10 or 20 letters
# and digits): TorrentPier hid it when showing a post (hide_passkey), and imported posts
# still hold them, so the page hides it too. The source keeps what the member wrote.
_PASSKEY_IN_URL = re.compile(r"([?&](?:uk|passkey)=)[A-Za-z0-9]{10,}+")
HIDDEN_PASSKEY = "*" * 10


def hide_passkeys(text: str) -> str:
    return _PASSKEY_IN_URL.sub(lambda match: match[1] + HIDDEN_PASSKEY, text)


def render_bbcode(text: str) -> str:
    """Safe HTML for a member's BBCode, stored beside the source and shown through
    ``tinypier.forum.post_words.with_post_words``, which adds the interface words."""
    return sanitize_html(_parser().format(hide_passkeys(text)))


async def render_bbcode_off_loop(text: str) -> str:
    """``render_bbcode`` on a worker thread. Linear time and ``post_max_chars`` keep a
    render to tens of milliseconds; here the event loop (forum and tracker) also keeps
    answering meanwhile, as the thread hands the GIL back every few milliseconds."""
    return await asyncio.to_thread(render_bbcode, text)
