"""Reading, checking and rewriting .torrent files (BEP 3, 47 and 52).

The site accepts .torrent files from members and serves them back to other members, so a
file is untrusted input twice over: its names end up on pages, and its info hash is what the
tracker admits. Every rule here exists so that the hash the site registers is the hash
every client computes, and so that nothing a hostile file holds costs unbounded work.

Nothing here touches the web, the database or the filesystem.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import bencodepy

from tinypier.i18n import _

MAX_DEPTH: int = bencodepy.DEFAULT_MAX_DEPTH
MAX_FILES = 100_000

# Wider than any 64-bit value a client can hold; a longer integer is an attack, not a torrent.
_MAX_INT_DIGITS = 20
_MAX_LENGTH_DIGITS = 20
# Sizes are stored in SQLite's signed 64-bit integers; no real content comes near 8 EiB,
# and a larger claim could not be registered (binding it raises), so it is refused here.
LARGEST_SIZE = 2**63 - 1
_V2_BLOCK_SIZE = 16 * 1024
_SHA1_SIZE = 20
_SHA256_SIZE = 32
_FORBIDDEN_IN_COMPONENT = ("/", "\\", "\x00")
# The top-level keys a member's copy keeps from the uploaded file, each with the kind of
# bencoded value it must hold ('i' integer, 's' string, 'd' dictionary). Every other key
# is dropped, known or not: a key this list does not name might make a downloader's
# client contact a host the uploader chose.
#   info           the content itself, spliced byte for byte (the info hash);
#   piece layers   BEP 52 hashes of the content, which v2 clients need;
#   creation date, created by, encoding
#                  descriptive text and a number that no client uses to go online.
# The site then sets 'announce' (its tracker, with the member's passkey) and 'comment'.
# Dropped on purpose: 'announce-list' (other trackers see the swarm), 'nodes' (DHT
# bootstrap hosts), 'comment.utf-8' (clients prefer it over the site's 'comment'), and
# the web seeds 'url-list' (BEP 19) and 'httpseeds' (BEP 17), which a release keeps only
# when its uploader enabled web seeds for it (then as checked http(s) URLs only).
_KEPT_WHEN_PERSONALISED = {
    b"info": "d",
    b"piece layers": "d",
    b"creation date": "i",
    b"created by": "s",
    b"encoding": "s",
}
WEB_SEED_KEYS = (b"url-list", b"httpseeds")
_WEB_SEED_SCHEMES = ("http", "https")


class InvalidTorrent(ValueError):
    """A .torrent the site refuses; the message is shown to the member who uploaded it."""


@dataclass(frozen=True)
class TorrentFile:
    """One file of the content; `path` is display data only, never a filesystem path."""

    path: str
    size: int


@dataclass(frozen=True)
class ParsedTorrent:
    """What the site needs to know about a .torrent once it has been checked."""

    info_hash_v1: bytes | None
    info_hash_v2: bytes | None
    name: str
    total_size: int
    files: tuple[TorrentFile, ...]
    piece_length: int
    private: bool
    raw: bytes = field(repr=False)

    @property
    def info_hash_v2_short(self) -> bytes | None:
        """BEP 52 clients announce the v2 hash cut to 20 bytes; the tracker looks it up so."""
        return None if self.info_hash_v2 is None else self.info_hash_v2[:_SHA1_SIZE]

    @property
    def info_hash_v1_hex(self) -> str | None:
        return None if self.info_hash_v1 is None else self.info_hash_v1.hex()

    @property
    def info_hash_v2_hex(self) -> str | None:
        return None if self.info_hash_v2 is None else self.info_hash_v2.hex()


def parse_torrent(data: bytes, max_size: int | None = None) -> ParsedTorrent:
    """Check a .torrent strictly and describe it, or raise InvalidTorrent saying why not.

    The info hashes are taken over the info dictionary's bytes exactly as the file holds
    them: re-encoding would "fix" unsorted keys and register a hash no client uses.
    """
    if max_size is not None and len(data) > max_size:
        raise InvalidTorrent(
            _(
                "The .torrent file is %(size)s bytes; the largest accepted is %(limit)s bytes.",
                size=f"{len(data):,}",
                limit=f"{max_size:,}",
            )
        )
    spans = _top_level_spans(data)
    if b"info" not in spans:
        raise InvalidTorrent(_("The .torrent has no 'info' dictionary."))
    info_start, info_end = spans[b"info"]
    info_bytes = data[info_start:info_end]
    info = bencodepy.decode(info_bytes)
    if not isinstance(info, dict):
        raise InvalidTorrent(_("The .torrent's 'info' is not a dictionary."))

    piece_length = info.get(b"piece length")
    if not isinstance(piece_length, int) or piece_length <= 0:
        raise InvalidTorrent(_("The .torrent's 'piece length' must be a positive integer."))
    _refuse_beyond_largest(piece_length, _("The .torrent's 'piece length'"))
    name = _checked_path([_utf8_field(info, b"name", _("The torrent's name"))], _("Torrent name"))
    private = _private_flag(info)

    has_v1 = any(key in info for key in (b"pieces", b"length", b"files"))
    has_v2 = b"meta version" in info or b"file tree" in info
    v1_files = _v1_files(info, name, piece_length) if has_v1 else None
    if has_v2:
        layers = None
        if b"piece layers" in spans:
            layers_start, layers_end = spans[b"piece layers"]
            layers = bencodepy.decode(data[layers_start:layers_end])
        files = _v2_files(info, piece_length, layers)
        if v1_files is not None and v1_files != files:
            raise InvalidTorrent(
                _(
                    "The .torrent is a hybrid whose v1 file list and v2 file tree describe "
                    "different files."
                )
            )
    elif v1_files is not None:
        files = v1_files
    else:
        raise InvalidTorrent(
            _(
                "The .torrent's 'info' describes no files: it has neither v1 'pieces' nor a v2 "
                "'file tree'."
            )
        )
    total_size = sum(file.size for file in files)
    _refuse_beyond_largest(total_size, _("The .torrent's files together"))
    return ParsedTorrent(
        # SHA-1 here names the torrent as BEP 3 defines it; it protects nothing.
        info_hash_v1=hashlib.sha1(info_bytes, usedforsecurity=False).digest() if has_v1 else None,
        info_hash_v2=hashlib.sha256(info_bytes).digest() if has_v2 else None,
        name=name,
        total_size=total_size,
        files=tuple(files),
        piece_length=piece_length,
        private=private,
        raw=data,
    )


def make_private(data: bytes) -> bytes:
    """Set the private flag so clients keep the swarm off DHT and PEX.

    The info dictionary is re-encoded, so the info hash changes on purpose: the site
    registers the new hash. A file that is already private is returned untouched, so its
    hash stays the one the uploader's client is already seeding.
    """
    if parse_torrent(data).private:
        return data
    metainfo = bencodepy.decode(data)
    metainfo[b"info"][b"private"] = 1
    encoded: bytes = bencodepy.encode(metainfo)
    return encoded


def personalise(data: bytes, announce_url: str, comment: str, *, web_seeds: bool = False) -> bytes:
    """Build the copy of a registered .torrent that one member downloads.

    The info dictionary is spliced in byte for byte, never re-encoded, so the member's client
    announces the hash the tracker registered. Only the bencoding is scanned, not the whole
    torrent re-checked: the file was checked when it was registered, and this runs on every
    download. ``web_seeds``: the release keeps its http(s) web seeds.
    """
    spans = _top_level_spans(data)
    if b"info" not in spans:
        raise InvalidTorrent(_("The .torrent has no 'info' dictionary."))
    values = {
        key: data[start:end]
        for key, (start, end) in spans.items()
        if _bencoded_kind(data[start : start + 1]) == _KEPT_WHEN_PERSONALISED.get(key)
    }
    if web_seeds:
        for key in WEB_SEED_KEYS:
            urls = [url for url in _web_seed_entries(data, spans, key) if _is_http_url(url)]
            if urls:
                values[key] = b"l" + b"".join(_bencoded_string(url) for url in urls) + b"e"
    values[b"announce"] = _bencoded_string(announce_url.encode())
    values[b"comment"] = _bencoded_string(comment.encode())
    body = b"".join(_bencoded_string(key) + values[key] for key in sorted(values))
    return b"d" + body + b"e"


def check_web_seeds(data: bytes) -> None:
    """Refuse a web seed that is not an http(s) URL: an uploader who enables web seeds is
    told which one will not do. (Their number is bounded by the upload size limit.)"""
    spans = _top_level_spans(data)
    for key in WEB_SEED_KEYS:
        if key in spans and _bencoded_kind(data[spans[key][0] : spans[key][0] + 1]) not in "sl":
            raise InvalidTorrent(
                _("The .torrent's '%(key)s' is not a URL or a list of URLs.", key=key.decode())
            )
        for entry in _web_seed_entries(data, spans, key):
            if not _is_http_url(entry):
                shown = repr(_shown(entry)) if isinstance(entry, bytes) else _("a non-text value")
                raise InvalidTorrent(
                    _(
                        "The .torrent's '%(key)s' holds %(value)s, which is not "
                        "an http:// or https:// URL: web seeds must be web addresses.",
                        key=key.decode(),
                        value=shown,
                    )
                )


def _web_seed_entries(data: bytes, spans: dict[bytes, tuple[int, int]], key: bytes) -> list[Any]:
    """The entries of a web seed key: BEP 19 allows one URL or a list of them."""
    if key not in spans:
        return []
    start, end = spans[key]
    value = bencodepy.decode(data[start:end])
    return list(value) if isinstance(value, list) else [value]


def _is_http_url(entry: object) -> bool:
    """An absolute http(s) URL with a host, in UTF-8, without spaces or control characters."""
    if not isinstance(entry, bytes):
        return False
    try:
        text = entry.decode("utf-8")
        parts = urlsplit(text)
    except ValueError:
        return False
    printable = all(0x20 < ord(character) != 0x7F for character in text)
    return printable and parts.scheme in _WEB_SEED_SCHEMES and bool(parts.hostname)


def magnet_link(parsed: ParsedTorrent, display_name: str, tracker_url: str) -> str:
    """A magnet link that reaches the swarm through the site's tracker only."""
    params = []
    if parsed.info_hash_v1 is not None:
        params.append("xt=urn:btih:" + parsed.info_hash_v1.hex())
    if parsed.info_hash_v2 is not None:
        # 0x12 is the multihash code of SHA-256, 0x20 its 32-byte length.
        params.append("xt=urn:btmh:1220" + parsed.info_hash_v2.hex())
    params.append("dn=" + quote(display_name, safe=""))
    params.append(f"xl={parsed.total_size}")
    params.append("tr=" + quote(tracker_url, safe=""))
    return "magnet:?" + "&".join(params)


# --- bencoding scanner ---------------------------------------------------------------------
#
# bencodepy decodes values but cannot say where they lie in the file, and it accepts what
# Python's int() accepts ("i 1_0e"). This scanner checks the canonical grammar and records
# byte spans, so the info hash covers exactly the bytes a client hashes.


def _malformed(pos: int) -> InvalidTorrent:
    return InvalidTorrent(
        _(
            "The file is not a valid .torrent: its bencoded data is malformed or cut short "
            "at byte %(pos)s.",
            pos=pos,
        )
    )


def _integer_end(data: bytes, pos: int) -> int:
    """End of the integer at `pos`; rejects '-0', leading zeros and anything not a digit."""
    end = data.find(b"e", pos + 1, pos + 3 + _MAX_INT_DIGITS)
    if end < 0:
        raise _malformed(pos)
    text = data[pos + 1 : end]
    negative = text.startswith(b"-")
    digits = text[1:] if negative else text
    if not digits.isdigit() or (digits.startswith(b"0") and (negative or len(digits) > 1)):
        raise _malformed(pos)
    return end + 1


def _string_span(data: bytes, pos: int) -> tuple[int, int]:
    """Start and end of the content of the string whose length prefix begins at `pos`."""
    colon = data.find(b":", pos, pos + 1 + _MAX_LENGTH_DIGITS)
    if colon < 0:
        raise _malformed(pos)
    digits = data[pos:colon]
    if not digits.isdigit() or (digits.startswith(b"0") and len(digits) > 1):
        raise _malformed(pos)
    start = colon + 1
    end = start + int(digits)
    if end > len(data):
        raise _malformed(pos)
    return start, end


def _value_end(data: bytes, pos: int, depth: int) -> int:
    """End of the value at `pos`, nested `depth` containers deep.

    Iterative, so hostile nesting costs no Python stack. Duplicate keys are refused because
    clients disagree on which copy wins, which would let two info hashes hide in one file.
    """
    # One entry per open container: the keys seen so far for a dictionary, None for a list.
    open_containers: list[set[bytes] | None] = []
    while True:
        if open_containers:
            if data[pos : pos + 1] == b"e":
                open_containers.pop()
                pos += 1
                if not open_containers:
                    return pos
                continue
            seen_keys = open_containers[-1]
            if seen_keys is not None:
                key, pos = _new_key(data, pos, seen_keys)
                seen_keys.add(key)
        kind = data[pos : pos + 1]
        if kind == b"i":
            pos = _integer_end(data, pos)
        elif kind.isdigit():
            pos = _string_span(data, pos)[1]
        elif kind in (b"l", b"d"):
            if depth + len(open_containers) >= MAX_DEPTH:
                raise InvalidTorrent(
                    _("The .torrent is nested more than %(num)s levels deep.", num=MAX_DEPTH)
                )
            open_containers.append(set() if kind == b"d" else None)
            pos += 1
            continue
        else:
            raise _malformed(pos)
        if not open_containers:
            return pos


def _new_key(data: bytes, pos: int, seen: Container[bytes]) -> tuple[bytes, int]:
    """The dictionary key at ``pos`` and where its value starts; a key the dictionary
    already had is refused."""
    key_start, pos = _string_span(data, pos)
    key = data[key_start:pos]
    if key in seen:
        raise InvalidTorrent(
            _(
                "The .torrent is not valid: the key %(key)r appears twice in one dictionary.",
                key=_shown(key),
            )
        )
    return key, pos


def _top_level_spans(data: bytes) -> dict[bytes, tuple[int, int]]:
    """Byte span of each top-level value, after checking the whole file's bencoding."""
    if not data:
        raise InvalidTorrent(_("The .torrent file is empty."))
    if not data.startswith(b"d"):
        _value_end(data, 0, 0)
        raise InvalidTorrent(_("The .torrent is not a bencoded dictionary at its top level."))
    spans: dict[bytes, tuple[int, int]] = {}
    pos = 1
    while data[pos : pos + 1] != b"e":
        key, pos = _new_key(data, pos, spans)
        value_start = pos
        pos = _value_end(data, pos, 1)
        spans[key] = (value_start, pos)
    if pos + 1 != len(data):
        raise InvalidTorrent(_("The .torrent file has extra data after its end."))
    return spans


def _bencoded_kind(first_byte: bytes) -> str:
    """'i', 's', 'l' or 'd': the kind of the bencoded value that starts with this byte."""
    return "s" if first_byte.isdigit() else first_byte.decode("latin-1")


def _bencoded_string(value: bytes) -> bytes:
    return str(len(value)).encode() + b":" + value


# --- field checks --------------------------------------------------------------------------


def _shown(raw: bytes) -> str:
    """A byte string as a member can read it in an error message, whatever it holds."""
    return raw.decode("utf-8", "backslashreplace")


def _utf8_field(container: dict[bytes, Any], key: bytes, what: str) -> bytes:
    """The field's bytes, preferring its '.utf-8' twin that older clients wrote beside it."""
    value = container.get(key)
    if not isinstance(value, bytes):
        raise InvalidTorrent(_("%(what)s is missing or not a byte string.", what=what))
    twin = key + b".utf-8"
    if twin in container:
        value = container[twin]
        if not isinstance(value, bytes):
            raise InvalidTorrent(
                _("%(what)s in '%(key)s' is not a byte string.", what=what, key=_shown(twin))
            )
    return value


def _checked_path(components: list[bytes], what: str) -> str:
    """Join path components with '/' after refusing anything that could escape a folder.

    The site never writes these names to disk, but clients do, and a member's client must
    not be steered outside its download folder by a file from this site.
    """
    shown = "/".join(_shown(component) for component in components)
    try:
        texts = [component.decode("utf-8") for component in components]
    except UnicodeDecodeError:
        # Not repr(): it would double the backslashes that mark the undecodable bytes.
        raise InvalidTorrent(
            _("%(what)s '%(path)s' is not valid UTF-8.", what=what, path=shown)
        ) from None
    for text in texts:
        if text in ("", ".", ".."):
            raise InvalidTorrent(
                _(
                    "%(what)s %(path)r is not allowed: path components must not be '..', '.' "
                    "or empty.",
                    what=what,
                    path=shown,
                )
            )
        if any(character in text for character in _FORBIDDEN_IN_COMPONENT):
            raise InvalidTorrent(
                _(
                    "%(what)s %(path)r is not allowed: a path component must not contain "
                    "'/', '\\' or a NUL character.",
                    what=what,
                    path=shown,
                )
            )
    return "/".join(texts)


def _private_flag(info: dict[bytes, Any]) -> bool:
    """Only 0 or 1: a flag that some clients read as private and others not would leak peers."""
    private = info.get(b"private", 0)
    if not isinstance(private, int) or private not in (0, 1):
        raise InvalidTorrent(_("The .torrent's 'private' flag must be 0 or 1."))
    return private == 1


def _size(entry: dict[bytes, Any], what: str) -> int:
    size = entry.get(b"length")
    if not isinstance(size, int) or size < 0:
        raise InvalidTorrent(
            _("The .torrent's 'length' of %(file)s must be a non-negative integer.", file=what)
        )
    _refuse_beyond_largest(size, _("The .torrent's 'length' of %(file)s", file=what))
    return size


def _refuse_beyond_largest(size: int, what: str) -> None:
    if size > LARGEST_SIZE:
        raise InvalidTorrent(
            _(
                "%(what)s claims %(size)s bytes; the largest size accepted is %(limit)s bytes.",
                what=what,
                size=f"{size:,}",
                limit=f"{LARGEST_SIZE:,}",
            )
        )


def _pieces_needed(total_size: int, piece_length: int) -> int:
    return -(-total_size // piece_length)


def _v1_files(info: dict[bytes, Any], name: str, piece_length: int) -> list[TorrentFile]:
    """The v1 files, pad files left out; the pieces are counted over pad files too."""
    if b"length" in info and b"files" in info:
        raise InvalidTorrent(_("The .torrent has both 'length' and 'files'; it must have one."))
    if b"length" in info:
        files = [TorrentFile(name, _size(info, repr(name)))]
        padded_size = files[0].size
    elif b"files" in info:
        entries = info[b"files"]
        if not isinstance(entries, list) or not entries:
            raise InvalidTorrent(_("The .torrent's 'files' must be a non-empty list."))
        if len(entries) > MAX_FILES:
            raise InvalidTorrent(
                _("The .torrent lists more than %(num)s files.", num=f"{MAX_FILES:,}")
            )
        files = []
        padded_size = 0
        for entry in entries:
            if not isinstance(entry, dict):
                raise InvalidTorrent(_("An entry in the .torrent's 'files' is not a dictionary."))
            path = _v1_path(entry)
            size = _size(entry, repr(path))
            padded_size += size
            attr = entry.get(b"attr", b"")
            if not isinstance(attr, bytes):
                raise InvalidTorrent(
                    _("The 'attr' of file %(path)r is not a byte string.", path=path)
                )
            if b"p" not in attr and path.split("/")[0] != ".pad":
                files.append(TorrentFile(path, size))
    else:
        raise InvalidTorrent(_("The .torrent has 'pieces' but neither 'length' nor 'files'."))

    pieces = info.get(b"pieces")
    if not isinstance(pieces, bytes):
        raise InvalidTorrent(_("The .torrent's 'pieces' is missing or not a byte string."))
    if len(pieces) % _SHA1_SIZE:
        raise InvalidTorrent(_("The .torrent's 'pieces' length is not a multiple of 20 bytes."))
    expected = _pieces_needed(padded_size, piece_length)
    if len(pieces) // _SHA1_SIZE != expected:
        raise InvalidTorrent(
            _(
                "The .torrent's 'pieces' holds %(held)s piece hashes, but its files need "
                "%(needed)s.",
                held=len(pieces) // _SHA1_SIZE,
                needed=expected,
            )
        )
    return files


def _v1_path(entry: dict[bytes, Any]) -> str:
    key = b"path.utf-8" if b"path.utf-8" in entry else b"path"
    components = entry.get(key)
    if (
        not isinstance(components, list)
        or not components
        or not all(isinstance(component, bytes) for component in components)
    ):
        raise InvalidTorrent(
            _(
                "A file's '%(key)s' in the .torrent must be a non-empty list of names.",
                key=key.decode(),
            )
        )
    return _checked_path(components, _("File name"))


def _v2_files(info: dict[bytes, Any], piece_length: int, layers: object) -> list[TorrentFile]:
    if info.get(b"meta version") != 2:
        raise InvalidTorrent(_("The .torrent's 'meta version' must be 2."))
    if piece_length < _V2_BLOCK_SIZE or piece_length & (piece_length - 1):
        raise InvalidTorrent(
            _(
                "The .torrent's 'piece length' must be a power of two of at least 16 KiB for "
                "BitTorrent v2."
            )
        )
    tree = info.get(b"file tree")
    if not isinstance(tree, dict) or not tree:
        raise InvalidTorrent(_("The .torrent's 'file tree' is missing or empty."))
    if layers is not None and not isinstance(layers, dict):
        raise InvalidTorrent(_("The .torrent's 'piece layers' is not a dictionary."))

    files: list[TorrentFile] = []
    # Depth-first in the order the tree holds its entries, which is the order of the files
    # in the v1 list of a hybrid. One iterator per open directory.
    open_directories: list[tuple[list[bytes], Iterator[tuple[bytes, Any]]]] = [
        ([], iter(tree.items()))
    ]
    while open_directories:
        prefix, entries = open_directories[-1]
        entry = next(entries, None)
        if entry is None:
            open_directories.pop()
            continue
        component, node = entry
        path = [*prefix, component]
        if not isinstance(node, dict) or not node:
            raise InvalidTorrent(
                _(
                    "The .torrent's 'file tree' entry %(path)r is neither a file nor a directory.",
                    path=_shown(b"/".join(path)),
                )
            )
        if b"" not in node:
            open_directories.append((path, iter(node.items())))
            continue
        shown = _checked_path(path, _("File name"))
        if len(node) != 1:
            raise InvalidTorrent(
                _(
                    "The .torrent's 'file tree' entry %(path)r is both a file and a directory.",
                    path=shown,
                )
            )
        files.append(_v2_file(shown, node[b""], piece_length, layers))
        if len(files) > MAX_FILES:
            raise InvalidTorrent(
                _("The .torrent lists more than %(num)s files.", num=f"{MAX_FILES:,}")
            )
    return files


def _v2_file(
    path: str, properties: object, piece_length: int, layers: dict[bytes, Any] | None
) -> TorrentFile:
    if not isinstance(properties, dict):
        raise InvalidTorrent(
            _("The .torrent's 'file tree' entry %(path)r is not a dictionary.", path=path)
        )
    size = _size(properties, repr(path))
    if size == 0:
        return TorrentFile(path, size)
    root = properties.get(b"pieces root")
    if not isinstance(root, bytes) or len(root) != _SHA256_SIZE:
        raise InvalidTorrent(
            _("File %(path)r in the .torrent has no 32-byte 'pieces root'.", path=path)
        )
    if size > piece_length:
        layer = None if layers is None else layers.get(root)
        if not isinstance(layer, bytes):
            raise InvalidTorrent(
                _("The .torrent's 'piece layers' has no entry for file %(path)r.", path=path)
            )
        expected = _pieces_needed(size, piece_length)
        if len(layer) != expected * _SHA256_SIZE:
            raise InvalidTorrent(
                _(
                    "The .torrent's piece layer for file %(path)r must hold %(num)s hashes "
                    "of 32 bytes.",
                    path=path,
                    num=expected,
                )
            )
        if _merkle_root(layer, piece_length) != root:
            raise InvalidTorrent(
                _(
                    "The .torrent's piece layer for file %(path)r does not match its "
                    "'pieces root'.",
                    path=path,
                )
            )
    return TorrentFile(path, size)


def _merkle_root(layer: bytes, piece_length: int) -> bytes:
    """Root of the BEP 52 hash tree above a piece layer.

    Clients check the layer against the root and drop a torrent that fails, so the site
    must not register one.
    """
    # The tree is padded with pieces of all-zero blocks whose block hashes are zero.
    padding = bytes(_SHA256_SIZE)
    blocks_per_piece = piece_length // _V2_BLOCK_SIZE
    while blocks_per_piece > 1:
        padding = hashlib.sha256(padding + padding).digest()
        blocks_per_piece //= 2
    hashes = [layer[i : i + _SHA256_SIZE] for i in range(0, len(layer), _SHA256_SIZE)]
    width = 1 << (len(hashes) - 1).bit_length()
    hashes += [padding] * (width - len(hashes))
    while len(hashes) > 1:
        hashes = [
            hashlib.sha256(hashes[i] + hashes[i + 1]).digest() for i in range(0, len(hashes), 2)
        ]
    return hashes[0]
