"""Member names in any script, without look-alikes.

A name is stored as typed after NFKC normalisation (so full-width letters and
ligatures become the letters they look like), and compared by its *key*: the
normalised name case-folded, so ``Вася`` and ``ВАСЯ`` are one name. Letters of one
script only (Latin, Cyrillic, Greek, ...; Japanese and Korean may mix with Han), so a
Latin ``admin`` with a Cyrillic ``а`` cannot pass for the real one; and nothing
invisible (zero-width spaces, direction overrides, control characters), which would let
two names that look identical differ.
"""

from __future__ import annotations

import unicodedata

from tinypier.i18n import _

NAME_MIN_CHARS = 2
NAME_MAX_CHARS = 32
PUNCTUATION = frozenset("_.-")

# Unicode categories with nothing to see: controls, formats (zero-width spaces and
# joiners, bidi overrides), line and paragraph separators, private use, unassigned.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_LETTER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lo"})
# Scripts that one language writes together: their mix is no look-alike trick.
_WRITTEN_TOGETHER = (
    frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    frozenset({"CJK", "HANGUL"}),
)


def normalized_name(name: str) -> str:
    """The name as stored and shown: NFKC, without surrounding white space."""
    return unicodedata.normalize("NFKC", name.strip())


def name_key(name: str) -> str:
    """What two names are compared by (``users.name_key``): NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", normalized_name(name).casefold())


def _script(letter: str) -> str:
    """The script of a letter, from its Unicode name ("CYRILLIC SMALL LETTER A")."""
    return unicodedata.name(letter, "UNKNOWN").split(" ", 1)[0].split("-", 1)[0]


def _scripts(name: str) -> list[str]:
    found = {_script(char) for char in name if unicodedata.category(char) in _LETTER_CATEGORIES}
    return sorted(found)


def _one_writing(scripts: list[str]) -> bool:
    return len(scripts) <= 1 or any(set(scripts) <= together for together in _WRITTEN_TOGETHER)


def _allowed(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd" or char in PUNCTUATION


def name_problem(name: str) -> str | None:
    """Why a name cannot be a member's, in words; None when it can."""
    name = normalized_name(name)
    if any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in name):
        return _(
            "Names cannot contain invisible or control characters"
            " (such as zero-width spaces or text direction marks)."
        )
    if not NAME_MIN_CHARS <= len(name) <= NAME_MAX_CHARS or not all(map(_allowed, name)):
        return _(
            "Names are %(min)s to %(max)s letters, digits, dots, dashes or underscores.",
            min=NAME_MIN_CHARS,
            max=NAME_MAX_CHARS,
        )
    scripts = _scripts(name)
    if not _one_writing(scripts):
        return _(
            "A name must be written in one alphabet, so that nobody can imitate another"
            " member with look-alike letters; this one mixes %(scripts)s.",
            scripts=", ".join(script.title() for script in scripts),
        )
    return None
