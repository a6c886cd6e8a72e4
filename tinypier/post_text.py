"""A post as readers see it, as plain text: what search indexes and its snippets show.

Members write BBCode, and readers see its rendering, so search reads the rendering too:
the stored, sanitized HTML (``tinypier.forum.bbcode``) with its tags taken out. A
``[color=red]`` or ``[quote]`` tag is then no word of the post, while what the reader
sees stays: a quote's author and text, a spoiler's title and hidden text, a link's
visible text (not its address), code. Images show no text, so they add none.

Tags that start a new block on the page (a quote, a list item, a line break) part the
words on either side; inline ones (bold, colour, a link) do not, so ``[b]sun[/b]day``
stays the one word "sunday" a reader sees.

The stored HTML holds no interface words ("wrote:", "Spoiler", see
``tinypier.forum.post_words``), so none is indexed, in any language.
"""

from __future__ import annotations

import functools
import re
from html import unescape

# A tag, its quoted attribute values allowed to hold ">" (the sanitizer's output never
# does, but rows written by hand or by an importer might).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
BLOCK_TAGS = frozenset(
    {
        "blockquote",
        "br",
        "cite",
        "details",
        "div",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "summary",
        "ul",
    }
)
# Search calls this twice per post (folded words and stems) with the same HTML.
RECENT_POSTS = 8


def _tag_gap(tag: re.Match[str]) -> str:
    return " " if tag.group(2).lower() in BLOCK_TAGS else ""


@functools.lru_cache(maxsize=RECENT_POSTS)
def post_text(post_html: str) -> str:
    """The text a reader sees in stored post HTML: tags out, entities decoded."""
    without_tags = _TAG.sub(_tag_gap, _COMMENT.sub("", post_html))
    return unescape(without_tags)


def post_text_sql(post_html: str | None) -> str | None:
    """``tinypier_post_text``: ``post_text`` for the search index's SQL."""
    return None if post_html is None else post_text(post_html)
