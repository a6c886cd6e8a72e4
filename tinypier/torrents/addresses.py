"""A release's readable address, as engine-v1 scripts and links expect: ``/torrents/{id}-{slug}``.

The id finds the release; the slug only makes the address readable, so it is made from
the title every time and never stored. A Cyrillic title is transliterated to Latin
letters ("Тихий Дон" -> ``tikhiy-don``), other letters lose their accents, and anything
else between words becomes one hyphen. A title with nothing left gives ``release``.
When a title changes, its old address (or one without a slug) still finds the release,
and is redirected to the current one.
"""

from __future__ import annotations

import re
import unicodedata

# A readable address, not a copy of the title: a slug is cut at a word boundary here.
MAX_SLUG_CHARS = 80
EMPTY_SLUG = "release"

# Russian, Ukrainian and Belarusian letters, romanised as in BGN/PCGN (as in passports and
# most web addresses); the hard and soft signs are silent.
_CYRILLIC_TO_LATIN = {
    **dict(
        zip(
            "абвгдезийклмнопрстуфыэ",
            "abvgdeziyklmnoprstufye",
            strict=True,
        )
    ),
    "ё": "yo",
    "ж": "zh",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ь": "",
    "ю": "yu",
    "я": "ya",
    "\u0456": "i",  # Ukrainian and Belarusian i
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "ў": "w",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ADDRESS = re.compile(r"(?P<id>[1-9][0-9]{0,17})(?:-(?P<slug>[^/]*))?")


def release_slug(title: str) -> str:
    """The readable part of a release's address, from its title."""
    latin = "".join(_CYRILLIC_TO_LATIN.get(letter, letter) for letter in title.casefold())
    unaccented = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", unaccented).strip("-")
    if len(slug) > MAX_SLUG_CHARS:
        slug = slug[: MAX_SLUG_CHARS + 1].rsplit("-", 1)[0]
    return slug or EMPTY_SLUG


def release_address(torrent_id: int, title: str) -> str:
    """The last segment of the release's address: ``{id}-{slug}``."""
    return f"{torrent_id}-{release_slug(title)}"


def address_id(address: str) -> int | None:
    """The release id an address segment names (the slug is not checked here), or None."""
    found = _ADDRESS.fullmatch(address)
    return None if found is None else int(found["id"])
