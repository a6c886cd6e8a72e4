"""Words as the full-text indexes see them: folded for exact search, stemmed for word forms.

SQLite's own tokenizer knows no morphology, and a custom FTS5 tokenizer cannot be written
in Python. So the text is cut into words here, and two SQL functions hand FTS5 text it
only has to split on spaces:

* ``tinypier_words(text)``: every word case-folded, Latin accents dropped, and ``ё``
  written ``е`` (Russian print mostly omits the dots). Exact phrases and prefixes are
  searched in this form.
* ``tinypier_stems(text)``: the same words reduced to their Snowball stem, Russian for a
  Cyrillic word and English for a Latin one, so ``фильма`` and ``Фильм`` (or ``running``
  and ``run``) index alike. Plain words are searched in this form.

The result page folds and stems a hit's original text the same way to mark the words
the member wrote, whichever form was searched. The functions are registered on every
connection (``tinypier.db.connection``), because the index triggers and views call them.
Post bodies reach them as readers see them (``tinypier_post_text``, from
``tinypier.post_text``): the stored HTML as text, no BBCode tag among the words.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterator
from typing import NamedTuple

import Stemmer

from tinypier.post_text import post_text_sql

# Letters and digits, with any combining marks written after them (a decomposed "é").
_COMBINING_MARKS = r"\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
_WORD = re.compile(rf"[^\W_]+(?:[{_COMBINING_MARKS}]+[^\W_]*)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
_LATIN_ACCENTED = re.compile(r"[\u00c0-\u024f]")
_stemmers = threading.local()
STEM_CACHE_WORDS = 100_000


class Word(NamedTuple):
    """One word of a text: where it stands in the original, and its folded form."""

    start: int
    end: int
    form: str


def fold(word: str) -> str:
    """Case-folded, composed, combining marks dropped, ``ё`` as ``е``, Latin accents removed.

    Marks left after composition (a dotted capital I folds to "i" plus a dot) would be
    separators to FTS5 and split the word, so they go. Latin letters lose their accents as
    FTS5's ``remove_diacritics`` would, so the result page marks the same words FTS5 finds
    (``cafe`` finds and marks "Café"); Cyrillic ``й`` stays a letter of its own."""
    folded = word.casefold()
    if folded.isascii():  # the common case, and nothing to compose there
        return folded
    composed = unicodedata.normalize("NFC", folded)
    if not composed.isalnum():  # a word's other characters are marks
        composed = "".join(char for char in composed if unicodedata.category(char)[0] != "M")
    return _LATIN_ACCENTED.sub(_unaccented, composed).replace("ё", "е")


def _unaccented(letter: re.Match[str]) -> str:
    return unicodedata.normalize("NFD", letter.group())[0]


def iter_words(text: str) -> Iterator[Word]:
    """The words of ``text`` in order, read as they are asked for; a word that folds to
    nothing is no word."""
    matches = _WORD.finditer(text)
    found = (Word(match.start(), match.end(), fold(match.group())) for match in matches)
    return (word for word in found if word.form)


def words(text: str) -> list[Word]:
    return list(iter_words(text))


FOLD_CACHE_WORDS = 100_000
_folded: dict[str, str] = {}
_last_forms = threading.local()


def _forms(text: str) -> list[str]:
    """The folded forms of ``words(text)``, without their places (the indexes' fast path).

    Both indexes ask for the same text in turn (``tinypier_words`` then ``tinypier_stems``
    of one row), so each thread keeps its last answer; and a board's vocabulary repeats,
    so folded words are remembered (a plain dict, emptied when full: cheaper than an LRU
    here). Together they halve the search index's rebuild after an import."""
    last: tuple[str, list[str]] | None = getattr(_last_forms, "value", None)
    if last is not None and last[0] == text:
        return last[1]
    folded = _folded
    forms = []
    for word in _WORD.findall(text):
        form = folded.get(word)
        if form is None:
            if len(folded) >= FOLD_CACHE_WORDS:
                folded.clear()
            form = folded[word] = fold(word)
        if form:
            forms.append(form)
    _last_forms.value = (text, forms)
    return forms


def _stemmer(language: str) -> Stemmer.Stemmer:
    """One stemmer per language and thread: a PyStemmer object must not be shared
    between threads, and every aiosqlite connection calls the functions from its own."""
    stemmer: Stemmer.Stemmer | None = getattr(_stemmers, language, None)
    if stemmer is None:
        stemmer = Stemmer.Stemmer(language)
        setattr(_stemmers, language, stemmer)
    return stemmer


@functools.lru_cache(maxsize=STEM_CACHE_WORDS)
def stem(form: str) -> str:
    """The Snowball stem of a folded word: Russian if it has Cyrillic letters, else English
    if it has Latin ones; other scripts and numbers are kept as they are.

    A board's vocabulary repeats, so remembered stems make indexing several times faster."""
    if _CYRILLIC.search(form):
        language = "russian"
    elif _LATIN.search(form):
        language = "english"
    else:
        return form
    return str(_stemmer(language).stemWord(form)) or form


def words_text(text: str | None) -> str | None:
    """``tinypier_words``: the folded words, one space apart."""
    return None if text is None else " ".join(_forms(text))


def stems_text(text: str | None) -> str | None:
    """``tinypier_stems``: the stems of the folded words, one space apart."""
    return None if text is None else " ".join(map(stem, _forms(text)))


SQL_FUNCTIONS: dict[str, Callable[[str | None], str | None]] = {
    "tinypier_words": words_text,
    "tinypier_stems": stems_text,
    "tinypier_post_text": post_text_sql,
}


def register_search_functions(connection: sqlite3.Connection) -> None:
    """Give a blocking connection the functions the search triggers and views call."""
    for name, function in SQL_FUNCTIONS.items():
        connection.create_function(name, 1, function, deterministic=True)


def refill_search_indexes(connection: sqlite3.Connection) -> None:
    """Re-read and re-stem every post and release title, inside the caller's transaction."""
    connection.execute("INSERT INTO post_search (post_search) VALUES ('rebuild')")
    connection.execute("INSERT INTO release_titles (release_titles) VALUES ('rebuild')")


def rebuild_search_index(connection: sqlite3.Connection) -> None:
    """Index every post and release title again from scratch, in one transaction.

    The indexes are external-content FTS5 tables over views that call the functions above,
    so FTS5's ``rebuild`` re-reads and re-stems every row: the repair for an index that no
    longer matches its posts, and what the migration to word forms does."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        refill_search_indexes(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
