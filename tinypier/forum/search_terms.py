"""What the searcher asked for: FTS5 terms to find posts with, and the words they mark.

The searcher's text is cut into terms here, and FTS5 only ever sees terms built from
folded words and stems (letters and digits, always quoted), so no operator can be typed:

* a plain word matches every form of it, through the stemmed columns;
* ``word*`` matches the words starting so, and ``"a closed phrase"`` those words in that
  order, both as written (folded), through the folded columns.

The same terms then mark the matched words of each hit's original text, in Python: the
index holds one folded word and one stem per word written (``tinypier.word_forms``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from tinypier.word_forms import Word, stem, words

WORDS_COLUMNS = "{title_words body_words}"
STEMS_COLUMNS = "{title_stems body_stems}"
# A closed pair of quotes (a phrase), or a run of anything but spaces and quotes.
_QUERY_PART = re.compile(r'"[^"]*"|[^\s"]+')


class TermKind(Enum):
    ANY_FORM = "any form"
    PREFIX = "prefix"
    PHRASE = "phrase"


@dataclass(frozen=True)
class Term:
    kind: TermKind
    forms: tuple[str, ...]
    """The stem for ANY_FORM; the folded prefix, or the phrase's folded words, otherwise."""

    def fts(self) -> str:
        quoted = '"' + " ".join(self.forms) + '"'
        if self.kind is TermKind.ANY_FORM:
            return f"{STEMS_COLUMNS} : {quoted}"
        if self.kind is TermKind.PREFIX:
            return f"{WORDS_COLUMNS} : {quoted} *"
        return f"{WORDS_COLUMNS} : {quoted}"

    def ends(self, text_words: Sequence[Word], last_stem: str) -> bool:
        """Whether this term matches the last of ``text_words`` (whose stem is given)."""
        if self.kind is TermKind.ANY_FORM:
            return last_stem == self.forms[0]
        if self.kind is TermKind.PREFIX:
            return text_words[-1].form.startswith(self.forms[0])
        tail = text_words[-len(self.forms) :]
        return tuple(word.form for word in tail) == self.forms

    def positions(self, forms: Sequence[str], stems: Sequence[str]) -> set[int]:
        """Where in a text (its folded words and their stems) this term matches."""
        if self.kind is TermKind.ANY_FORM:
            return {place for place, word_stem in enumerate(stems) if word_stem == self.forms[0]}
        if self.kind is TermKind.PREFIX:
            return {place for place, form in enumerate(forms) if form.startswith(self.forms[0])}
        size = len(self.forms)
        starts = (place for place in range(len(forms) - size + 1) if forms[place] == self.forms[0])
        return {
            place + offset
            for place in starts
            if tuple(forms[place : place + size]) == self.forms
            for offset in range(size)
        }


def _part_terms(part: str, found: list[Word]) -> list[Term]:
    if len(part) > 1 and part.startswith('"') and part.endswith('"'):
        return [Term(TermKind.PHRASE, tuple(word.form for word in found))]
    terms = [Term(TermKind.ANY_FORM, (stem(word.form),)) for word in found]
    if part.endswith("*") and found[-1].end == len(part) - 1:
        terms[-1] = Term(TermKind.PREFIX, (found[-1].form,))
    return terms


def parse_terms(text: str, max_words: int) -> list[Term]:
    """The terms of the searcher's ``text``, at most ``max_words`` words in all."""
    terms: list[Term] = []
    room = max_words
    for part in _QUERY_PART.findall(text):
        found = words(part)[:room]
        if found:
            terms.extend(_part_terms(part, found))
            room -= len(found)
    return terms


def first_match(terms: Sequence[Term], text_words: Iterator[Word], after: int) -> list[Word]:
    """The words of a text up to ``after`` words past the start of its first match (or all
    of them if none matches): a snippet needs no more, however long the post."""
    seen: list[Word] = []
    for word in text_words:
        seen.append(word)
        word_stem = stem(word.form)
        starts = [len(seen) - len(term.forms) for term in terms if term.ends(seen, word_stem)]
        if starts:
            seen.extend(itertools.islice(text_words, max(0, min(starts) + after - len(seen))))
            break
    return seen


def matched_words(terms: Sequence[Term], text_words: Sequence[Word]) -> set[int]:
    """The positions of ``text_words`` that any term matches."""
    forms = [word.form for word in text_words]
    any_form = any(term.kind is TermKind.ANY_FORM for term in terms)
    stems = [stem(form) for form in forms] if any_form else []
    return set().union(*(term.positions(forms, stems) for term in terms))
