"""The interface words a post shows but does not store: quote headers and spoiler labels.

A post's stored HTML is the same for every reader (see ``tinypier.forum.bbcode``): a
quote names its author in ``<cite class="bb-quote-author">`` and an untitled spoiler has
an empty ``<summary class="bb-spoiler-untitled">``. ``with_post_words`` fills in the
words in the reader's language when the post is shown. It is the ONE place that does:
templates reach it as the ``post_html`` filter (registered once in
``tinypier.app.template_environment``; topic pages and previews), the Atom feeds call it
directly, and search snippets are the stored HTML as text, which never held the words.

The words come from ``quote_header`` and ``spoiler_label``, in the request's language
(``tinypier.i18n``).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from tinypier.forum.bbcode import QUOTE_AUTHOR_CLASS, UNTITLED_SPOILER_CLASS
from tinypier.i18n import gettext as _


def quote_header(author: Markup) -> Markup:
    """What heads a quote: the author's name (already escaped HTML) and "wrote:"."""
    return escape(_("%(author)s wrote:")) % {"author": author}


def spoiler_label() -> Markup:
    """The summary of a spoiler its author gave no title."""
    return escape(_("Spoiler"))


# The sanitizer escapes every "<" of member text, so a cite's content holds none, and
# only the renderer can have written these exact tags (see tinypier.forum.bbcode).
_QUOTE_AUTHOR = re.compile(f'<cite class="{QUOTE_AUTHOR_CLASS}">([^<]*)</cite>')
_UNTITLED_SPOILER = f'<summary class="{UNTITLED_SPOILER_CLASS}"></summary>'


def _headed_quote(match: re.Match[str]) -> str:
    author = Markup(match.group(1))  # noqa: S704 - sanitized post HTML, escaped by nh3
    return f'<cite class="{QUOTE_AUTHOR_CLASS}">{quote_header(author)}</cite>'


def with_post_words(post_html: str) -> Markup:
    """Stored (sanitized) post HTML with its quote headers and spoiler labels filled in."""
    filled = _QUOTE_AUTHOR.sub(_headed_quote, post_html).replace(
        _UNTITLED_SPOILER,
        f'<summary class="{UNTITLED_SPOILER_CLASS}">{spoiler_label()}</summary>',
    )
    return Markup(filled)  # noqa: S704 - sanitized post HTML plus escaped interface words
