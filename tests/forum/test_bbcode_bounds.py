"""Rendering a post costs time in proportion to its length, whatever it holds.

The library's URL linkifier backtracked exponentially on punctuation after ``http://``
(one short post froze forum and tracker for hours) and quadratically on ``a-a-a-...``.
Each hostile class below renders a 60 KB body within a CPU-time bound far above what a
linear renderer needs (tens of milliseconds) and far below what the old one took; a CPU
timer stops a runaway render so the test fails instead of hanging. The renderer is also
held to the library's output on generated ordinary posts.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import bbcode
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tinypier.forum import bbcode as bbcode_module
from tinypier.forum.bbcode import (
    MAX_NESTING,
    LinearParser,
    add_board_tags,
    render_bbcode,
    sanitize_html,
)

BODY_CHARS = 60_000
BOUND_SECONDS = 0.5
PUNCTUATION = "`!()[]{};:'\".,<>?-=/*#@&"


def filled(pattern: str) -> str:
    """``pattern`` repeated to a 60 KB body."""
    return pattern * (BODY_CHARS // len(pattern))


class RenderTooSlow(Exception):
    pass


@contextmanager
def cpu_time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` of CPU time (the regex engine checks signals)."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise RenderTooSlow(f"still rendering after {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, interrupt)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def render_seconds(body: str, limit: float) -> float:
    """CPU seconds to render ``body``; fails the test past four times ``limit``."""
    with cpu_time_limit(4 * limit):
        started = time.process_time()
        render_bbcode(body)
        return time.process_time() - started


HOSTILE_BODIES = {
    "punctuation after http://": filled("http://" + "!?.,;:'\"" * 6 + " "),
    "punctuation after www.": filled("www." + ".,;:!?" * 7 + " "),
    "a- run before .com/": "a-" * 30_000 + ".com/",
    "a. run without a slash": filled("a."),
    "many short links": filled("http://ab "),
    "unbalanced parentheses in links": filled("http://a(b"),
    "deep nesting": "[b]" * 10_000 + "x" + "[/b]" * 7_000,
    "deep quote nesting": filled("[quote=a]"),
    "many unclosed tags": filled("[b][i][u][s][quote][spoiler][color=red][size=3]x"),
    "stray closing tags": filled("[/quote][/b]"),
    "long run of [": "[" * BODY_CHARS,
    "alternating [ and text": filled("[a"),
    "[url= with a huge spaced value": "[url=" + "a " * 29_990 + "]x[/url]",
    "[url= with a huge link": "[url=http://" + "a" * 59_980 + "]x[/url]",
    "unclosed quoted options": filled('[quote="a]b'),
    "list items": "[list]" + filled("[*]x\n") + "[/list]",
    "code blocks": filled("[code]"),
    "newlines": "\n" * BODY_CHARS,
    "characters to escape": filled("<&>\"'"),
    "cosmetic replacements": filled("(c)--..."),
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_each_hostile_class_renders_60_kb_within_the_bound(body: str) -> None:
    assert render_seconds(body, BOUND_SECONDS) < BOUND_SECONDS


async def test_posts_render_on_a_worker_thread_not_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Even a bounded render should not hold the loop the tracker answers on."""
    threads: list[int] = []

    def recording_render(text: str) -> str:
        threads.append(threading.get_ident())
        return render_bbcode(text)

    monkeypatch.setattr(bbcode_module, "render_bbcode", recording_render)

    html = await bbcode_module.render_bbcode_off_loop("[b]bold[/b]")

    assert html == "<strong>bold</strong>"
    assert threads and threading.get_ident() not in threads


def test_a_unicode_digit_size_is_text_not_an_error() -> None:
    assert render_bbcode("[size=²]x[/size]") == "x"


ATOMS = st.one_of(
    st.sampled_from(
        [
            "http://",
            "https://",
            "www.",
            "www1.",
            "a.com/",
            "[b]",
            "[/b]",
            "[url=",
            "[url]",
            "[/url]",
            "[*]",
            "[list]",
            "[quote=",
            "[code]",
            "\n",
            " ",
            "a-",
            "x",
        ]
    ),
    st.text(alphabet=PUNCTUATION + "ab1", max_size=60),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ATOMS, max_size=200))
def test_generated_bodies_render_within_the_bound(atoms: list[str]) -> None:
    """Bodies up to about 12 KB of BBCode and URL punctuation: tens of milliseconds."""
    assert render_seconds("".join(atoms), 0.2) < 0.2


# The library's output is the reference on bodies small enough for its linkifier.
# Not "&": the library put a link's text into the HTML unescaped, so "&amp;" in a URL
# became "&"; LinearParser escapes it.
ORDINARY_ATOMS = [
    *["[b]", "[/b]", "[i]", "[/i]", "[s]", "[/s]", "[*]", "[/*]", "[list]", "[list=1]"],
    *["[/list]", "[code]", "[/code]", "[quote]", '[quote="a]b"]', "[/quote]", "[url]"],
    *["[url=http://a.co/x]", "[/url]", "[img]", "[/img]", "[color=red]", "[/color]"],
    *["[size=3]", "[/size]", "[spoiler]", "[/spoiler]", "[hr]", "[center]", "[/center]"],
    *["http://", "https://", "www.", "a.com/", "x", "ab", "Q9", " ", "\n", ".", "-", "("],
    *[")", "[", "]", "=", '"', "'", "!", "/", ":", "<", ">", "(c)", "?", ",", "_"],
]


def library_parser() -> bbcode.Parser:
    return add_board_tags(
        bbcode.Parser(replace_links=True, drop_unrecognized=False, max_tag_depth=MAX_NESTING)
    )


def library_without_winks() -> bbcode.Parser:
    """The stock library replaces pair by pair, so its ``;)`` also matches the end of its
    own escapes and entities (``&quot;)``, ``&copy;)``), which the board's marks prevent.
    The atoms below never type a ``;``: without that one face, the library's output is
    what the board's should be."""
    parser = library_parser()
    parser.REPLACE_COSMETIC = tuple(
        (face, html) for face, html in parser.REPLACE_COSMETIC if not face.startswith(";")
    )
    assert all(";" not in atom for atom in ORDINARY_ATOMS)
    return parser


LIBRARY = library_parser()
LIBRARY_WITHOUT_WINKS = library_without_winks()
LINEAR = add_board_tags(
    LinearParser(replace_links=True, drop_unrecognized=False, max_tag_depth=MAX_NESTING)
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ORDINARY_ATOMS), max_size=14))
@example(['"', ")"])  # an escaped quote before a parenthesis is no wink
@example(["(c)", ")"])  # nor a copyright sign before one
def test_output_matches_the_library_on_ordinary_posts(atoms: list[str]) -> None:
    body = "".join(atoms)

    assert sanitize_html(LINEAR.format(body)) == sanitize_html(LIBRARY_WITHOUT_WINKS.format(body))


@pytest.mark.parametrize(
    "body",
    [
        "See http://example.org/a_(b) and www.example.com, or example.net/x?y=1.",
        "[quote=bob]Look: https://example.org/path/[/quote]\nThanks -- great (c) work...",
        "[list]\n[*]one http://a.example/1\n[*]two\n[/list]\nafter",
        "[code]http://not.linked/ [b]raw[/b][/code]\n[url=https://x.org]x[/url]",
    ],
)
def test_typical_posts_render_as_the_library_did(body: str) -> None:
    assert sanitize_html(LINEAR.format(body)) == sanitize_html(LIBRARY.format(body))
