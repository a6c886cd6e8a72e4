"""Whole numbers as people type them into query strings and forms.

Python's ``str.isdigit()`` and ``int()`` disagree with each other and with a reader:
``"²".isdigit()`` is true yet ``int("²")`` raises, while ``int("١٢")`` is 12 and
``int("1_000")`` is 1000. A page number or an id from the outside world is therefore
read here and only here: ASCII digits ``0``-``9``, nothing else, never longer than the
largest value allowed, so a hostile value can neither crash a handler nor cost a
4,300-digit conversion.
"""

from __future__ import annotations

# SQLite's integers are signed 64-bit: a larger id names no row, and binding one raises.
LARGEST_SQL_INTEGER = 2**63 - 1


def whole_number(text: str | None, largest: int = LARGEST_SQL_INTEGER) -> int | None:
    """The number ``text`` spells in ASCII digits (spaces around it allowed), or None
    when it spells none or one above ``largest``."""
    if text is None:
        return None
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(largest)):
        return None
    number = int(digits)
    return number if number <= largest else None
