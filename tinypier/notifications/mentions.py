"""Whom a post names: the authors it quotes and the members it mentions with ``@name``.

Both are read from the rendered post (``body_html``), as readers see it: a quote's author
is the ``<cite class="bb-quote-author">`` the BBCode renderer writes, and a mention is an
``@name`` in the post's own words, outside quotes and code (quoting someone's post that
mentions a member does not mention them again). Names are compared by their Unicode key
(``tinypier.accounts.names.name_key``), so ``@ВАСЯ`` reaches Вася.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape

from tinypier.accounts.names import NAME_MAX_CHARS, NAME_MIN_CHARS, name_key
from tinypier.forum.bbcode import QUOTE_AUTHOR_CLASS

_QUOTE_AUTHOR = re.compile(rf'<cite class="{QUOTE_AUTHOR_CLASS}">(.*?)</cite>', re.DOTALL)
# An innermost quote or code block: removed one level at a time, so nested ones go too.
_INNERMOST_QUOTED = re.compile(
    r"<(blockquote|pre)\b[^>]*>(?:(?!<blockquote\b|<pre\b).)*?</\1>", re.DOTALL
)
_MENTION = re.compile(rf"(?<![\w@])@([\w.\-]{{{NAME_MIN_CHARS},{NAME_MAX_CHARS + 1}}})")


def quoted_keys(body_html: str, limit: int) -> list[str]:
    """The name keys of the authors a post quotes, first quoted first, at most ``limit``."""
    keys = (name_key(unescape(author)) for author in _QUOTE_AUTHOR.findall(body_html))
    return _first_distinct(keys, limit)


def _own_words(body_html: str) -> str:
    previous = None
    while previous != body_html:
        previous, body_html = body_html, _INNERMOST_QUOTED.sub(" ", body_html)
    return unescape(body_html)


def mentioned_keys(body_html: str, limit: int) -> list[str]:
    """The name keys a post mentions as ``@name`` in its own words, at most ``limit``
    (``mentions_per_post``: a post naming a thousand members notifies the first few)."""
    names = (match.rstrip(".-") for match in _MENTION.findall(_own_words(body_html)))
    return _first_distinct((name_key(name) for name in names if name), limit)


def _first_distinct(keys: Iterable[str], limit: int) -> list[str]:
    found: list[str] = []
    for key in keys:
        if key and key not in found:
            found.append(key)
            if len(found) >= limit:
                break
    return found
