"""What the site accepts as a .torrent, and how it rewrites one for a member."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import bencodepy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.samples import MANIFEST, sample
from tinypier.torrents import metainfo
from tinypier.torrents.metainfo import (
    InvalidTorrent,
    ParsedTorrent,
    TorrentFile,
    magnet_link,
    make_private,
    parse_torrent,
    personalise,
)

# --- the shared torrents made by real tools ------------------------------------------------


def shared(file_name: str) -> bytes:
    return sample(file_name)


# --- a builder for hand-made torrents ------------------------------------------------------

BLOCK = 16 * 1024
DELETE = object()


def content(size: int, seed: int = 1) -> bytes:
    return bytes((i * 31 + seed) % 251 for i in range(size))


def merkle(leaves: list[bytes], width: int) -> bytes:
    layer = leaves + [bytes(32)] * (width - len(leaves))
    while len(layer) > 1:
        layer = [hashlib.sha256(layer[i] + layer[i + 1]).digest() for i in range(0, len(layer), 2)]
    return layer[0]


def next_power_of_two(n: int) -> int:
    return 1 << (max(n, 1) - 1).bit_length()


def v2_hashes(data: bytes, piece_length: int) -> tuple[bytes, bytes]:
    """The pieces root over all 16 KiB blocks, and the piece layer (BEP 52)."""
    blocks = [hashlib.sha256(data[i : i + BLOCK]).digest() for i in range(0, len(data), BLOCK)]
    root = merkle(blocks, next_power_of_two(len(blocks)))
    per_piece = piece_length // BLOCK
    if len(blocks) <= per_piece:
        return root, b""
    layer = [merkle(blocks[i : i + per_piece], per_piece) for i in range(0, len(blocks), per_piece)]
    return root, b"".join(layer)


def build(
    files: dict[str, bytes],
    *,
    kind: str = "v1",
    name: bytes = b"release",
    piece_length: int = BLOCK,
    single: bool = False,
    private: bool = True,
) -> dict[bytes, Any]:
    """A complete, valid metainfo dictionary for `files` ("dir/file" -> content)."""
    info: dict[bytes, Any] = {b"name": name, b"piece length": piece_length}
    if private:
        info[b"private"] = 1
    metainfo: dict[bytes, Any] = {b"announce": b"http://tracker.invalid/announce", b"info": info}
    ordered = sorted(files.items())
    if kind in ("v1", "hybrid"):
        stream = b""
        entries: list[dict[bytes, Any]] = []
        for index, (path, data) in enumerate(ordered):
            entries.append({b"length": len(data), b"path": path.encode().split(b"/")})
            stream += data
            gap = -len(data) % piece_length
            if kind == "hybrid" and gap and index < len(ordered) - 1:
                entries.append(
                    {b"attr": b"p", b"length": gap, b"path": [b".pad", str(gap).encode()]}
                )
                stream += bytes(gap)
        if single:
            info[b"length"] = len(ordered[0][1])
        else:
            info[b"files"] = entries
        info[b"pieces"] = b"".join(
            hashlib.sha1(stream[i : i + piece_length]).digest()
            for i in range(0, len(stream), piece_length)
        )
    if kind in ("v2", "hybrid"):
        info[b"meta version"] = 2
        tree: dict[bytes, Any] = {}
        layers: dict[bytes, bytes] = {}
        for path, data in ordered:
            node = tree
            for component in path.encode().split(b"/"):
                node = node.setdefault(component, {})
            properties: dict[bytes, Any] = {b"length": len(data)}
            if data:
                root, layer = v2_hashes(data, piece_length)
                properties[b"pieces root"] = root
                if layer:
                    layers[root] = layer
            node[b""] = properties
        info[b"file tree"] = tree
        metainfo[b"piece layers"] = layers
    return metainfo


def encode(metainfo: dict[bytes, Any]) -> bytes:
    encoded: bytes = bencodepy.encode(metainfo)
    return encoded


def with_info(metainfo: dict[bytes, Any], **changes: Any) -> bytes:
    """Encode after changing info keys (underscores stand for spaces); DELETE drops a key."""
    for key, value in changes.items():
        raw_key = key.replace("_", " ").replace(" utf8", ".utf-8").encode()
        if value is DELETE:
            del metainfo[b"info"][raw_key]
        else:
            metainfo[b"info"][raw_key] = value
    return encode(metainfo)


def rejected(data: bytes, **kwargs: Any) -> str:
    with pytest.raises(InvalidTorrent) as caught:
        parse_torrent(data, **kwargs)
    return str(caught.value)


TWO_FILES = {"a.bin": content(40_000), "sub/b.txt": content(100, seed=2)}


# --- real torrents -------------------------------------------------------------------------


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["file"] for entry in MANIFEST])
def test_every_shared_torrent_parses_as_libtorrent_reads_it(entry: dict[str, Any]) -> None:
    parsed = parse_torrent(shared(entry["file"]))

    assert parsed.info_hash_v1_hex == entry["info_hash_v1"]
    assert parsed.info_hash_v2_hex == entry["info_hash_v2"]
    assert parsed.name == entry["name"]
    assert parsed.total_size == entry["total_size"]
    assert len(parsed.files) == entry["file_count"]
    assert parsed.piece_length == entry["piece_length"]
    assert parsed.private is entry["private"]
    assert parsed.raw == shared(entry["file"])


def test_hybrid_leaves_pad_files_out_of_the_listing() -> None:
    parsed = parse_torrent(shared("hybrid-libtorrent-multi.torrent"))

    assert parsed.files == (
        TorrentFile("info.txt", 6),
        TorrentFile("track 1.flac", 400_017),
        TorrentFile("track 2.flac", 800_017),
        TorrentFile("track 3.flac", 1_200_017),
    )
    assert parsed.info_hash_v2 is not None
    assert parsed.info_hash_v2_short == parsed.info_hash_v2[:20]


def test_make_private_sets_the_flag_and_so_changes_the_hash() -> None:
    public = shared("v1-mktorrent-multi-public.torrent")

    private = make_private(public)
    parsed = parse_torrent(private)

    assert parsed.private is True
    assert parsed.info_hash_v1 != parse_torrent(public).info_hash_v1
    assert make_private(public) == private
    assert make_private(private) is private
    assert (parsed.name, parsed.total_size) == ("album", 2_400_057)


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["file"] for entry in MANIFEST])
def test_make_private_leaves_a_private_torrent_byte_for_byte(entry: dict[str, Any]) -> None:
    data = shared(entry["file"])
    if entry["private"]:
        assert make_private(data) is data


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["file"] for entry in MANIFEST])
def test_personalise_keeps_the_info_hash_and_sets_the_tracker(entry: dict[str, Any]) -> None:
    original = bencodepy.decode(shared(entry["file"]))
    original[b"announce-list"] = [[b"http://elsewhere.invalid/announce"]]
    original[b"comment.utf-8"] = b"old comment"
    data = encode(original)

    served = personalise(data, "https://pier.example/announce/p4ssk3y", "Topic #12 — enjoy")

    parsed = parse_torrent(served)
    assert parsed.info_hash_v1_hex == entry["info_hash_v1"]
    assert parsed.info_hash_v2_hex == entry["info_hash_v2"]
    top = bencodepy.Bencode(dict_ordered=True).decode(served)
    assert list(top) == sorted(top)
    assert top[b"announce"] == b"https://pier.example/announce/p4ssk3y"
    assert top[b"comment"] == "Topic #12 — enjoy".encode()
    assert b"announce-list" not in top
    assert b"comment.utf-8" not in top
    assert top[b"creation date"] == original[b"creation date"]


def test_personalise_splices_unsorted_info_bytes_untouched() -> None:
    info = b"d4:name1:x6:lengthi0e12:piece lengthi16384e6:pieces0:e"
    data = b"d4:info" + info + b"8:announce3:olde"

    served = personalise(data, "http://t/a", "c")

    assert served == b"d8:announce10:http://t/a7:comment1:c4:info" + info + b"e"
    assert parse_torrent(served).info_hash_v1 == hashlib.sha1(info).digest()


def test_personalise_refuses_a_file_without_info() -> None:
    with pytest.raises(InvalidTorrent, match="no 'info' dictionary"):
        personalise(b"d8:announce1:xe", "http://t/a", "c")


def test_magnet_link_names_both_hashes_and_encodes_every_field() -> None:
    parsed = parse_torrent(shared("hybrid-libtorrent-multi.torrent"))

    link = magnet_link(parsed, "Album & friends/2024 #1", "https://pier.example/announce/k?x=1")

    assert link.startswith("magnet:?xt=urn:btih:fb2b937dfe9d88492da68549ca12e6ed608d3340&")
    query = urlsplit(link).query
    assert "&dn=Album%20%26%20friends%2F2024%20%231&" in link
    assert parse_qs(query) == {
        "xt": [
            "urn:btih:fb2b937dfe9d88492da68549ca12e6ed608d3340",
            "urn:btmh:1220" + "28f2880dcd5e2376b950f13406d3293d08daf28e52af0d870408bac03c50a23a",
        ],
        "dn": ["Album & friends/2024 #1"],
        "xl": ["2400057"],
        "tr": ["https://pier.example/announce/k?x=1"],
    }


def test_magnet_link_of_a_v2_only_torrent_has_only_the_btmh_hash() -> None:
    parsed = parse_torrent(encode(build(TWO_FILES, kind="v2")))

    link = magnet_link(parsed, "x", "http://t/a")

    assert "urn:btih:" not in link
    assert f"xt=urn:btmh:1220{parsed.info_hash_v2_hex}&" in link


# --- the builder makes torrents the parser accepts ------------------------------------------


@pytest.mark.parametrize("kind", ["v1", "v2", "hybrid"])
def test_hand_built_torrents_parse(kind: str) -> None:
    data = encode(build(TWO_FILES, kind=kind))

    parsed = parse_torrent(data)

    info = bencodepy.encode(bencodepy.decode(data)[b"info"])
    assert parsed == ParsedTorrent(
        info_hash_v1=hashlib.sha1(info).digest() if kind != "v2" else None,
        info_hash_v2=hashlib.sha256(info).digest() if kind != "v1" else None,
        name="release",
        total_size=40_100,
        files=(TorrentFile("a.bin", 40_000), TorrentFile("sub/b.txt", 100)),
        piece_length=BLOCK,
        private=True,
        raw=data,
    )
    assert parsed.info_hash_v1_hex == (None if kind == "v2" else hashlib.sha1(info).hexdigest())
    assert parsed.info_hash_v2_short == (
        None if kind == "v1" else hashlib.sha256(info).digest()[:20]
    )


@pytest.mark.parametrize("kind", ["v1", "v2", "hybrid"])
def test_single_file_torrents_are_named_by_their_file(kind: str) -> None:
    parsed = parse_torrent(
        encode(build({"movie.mkv": content(50_000)}, kind=kind, name=b"movie.mkv", single=True))
    )

    assert parsed.files == (TorrentFile("movie.mkv", 50_000),)


# --- bencoding -----------------------------------------------------------------------------


def test_an_empty_file_is_refused() -> None:
    assert rejected(b"") == "The .torrent file is empty."


@pytest.mark.parametrize(
    "data",
    [
        b"<html>not a torrent</html>",
        b"d4:info",  # cut short
        b"d4:infod4:name5:abe",  # string longer than the file
        b"d4:infoi03ee",  # leading zero
        b"d4:infoi-0ee",  # negative zero
        b"d4:infoi 5ee",  # Python's int() would accept this
        b"d4:infoi1_0ee",
        b"d4:info05:abcdee",  # leading zero in a string length
        b"di1e4:infoe",  # a key that is not a string
        b"d4:infoi" + b"9" * 30 + b"ee",  # wider than any client's integer
        b"d4:info" + b"9" * 30 + b":e",  # a string length no file could reach
    ],
)
def test_malformed_bencoding_is_refused(data: bytes) -> None:
    assert "is not a valid .torrent: its bencoded data is malformed or cut short" in rejected(data)


def test_trailing_data_is_refused() -> None:
    data = encode(build(TWO_FILES)) + b"junk"

    assert rejected(data) == "The .torrent file has extra data after its end."


@pytest.mark.parametrize("data", [b"le", b"i42e", b"4:spam"])
def test_the_top_level_must_be_a_dictionary(data: bytes) -> None:
    assert rejected(data) == "The .torrent is not a bencoded dictionary at its top level."


def test_a_file_without_info_is_refused() -> None:
    assert rejected(b"d8:announce3:urle") == "The .torrent has no 'info' dictionary."


def test_info_must_be_a_dictionary() -> None:
    assert rejected(b"d4:info4:spame") == "The .torrent's 'info' is not a dictionary."


@pytest.mark.parametrize(
    ("data", "key"),
    [(b"d4:infode4:infodee", "info"), (b"d4:infod4:name1:a4:name1:bee", "name")],
)
def test_duplicate_keys_are_refused_because_clients_disagree_on_the_winner(
    data: bytes, key: str
) -> None:
    assert rejected(data) == (
        f"The .torrent is not valid: the key {key!r} appears twice in one dictionary."
    )


def test_deep_nesting_is_refused_without_exhausting_the_stack() -> None:
    data = b"d4:info" + b"l" * 100_000 + b"e" * 100_000 + b"e"

    assert rejected(data) == f"The .torrent is nested more than {metainfo.MAX_DEPTH} levels deep."


def test_hashes_cover_the_info_bytes_as_the_file_holds_them_even_unsorted() -> None:
    info = b"d6:pieces0:4:name1:x12:piece lengthi16384e6:lengthi0ee"
    data = b"d4:info" + info + b"e"

    parsed = parse_torrent(data)

    assert parsed.info_hash_v1 == hashlib.sha1(info).digest()
    assert parsed.info_hash_v1 != hashlib.sha1(bencodepy.encode(bencodepy.decode(info))).digest()


def test_a_file_larger_than_the_limit_is_refused() -> None:
    data = encode(build(TWO_FILES))

    assert parse_torrent(data, max_size=len(data)).raw == data
    assert rejected(data, max_size=len(data) - 1) == (
        f"The .torrent file is {len(data):,} bytes; the largest accepted is "
        f"{len(data) - 1:,} bytes."
    )


# --- common fields -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -16384, b"16384", DELETE])
def test_piece_length_must_be_a_positive_integer(value: object) -> None:
    data = with_info(build(TWO_FILES), piece_length=value)

    assert rejected(data) == "The .torrent's 'piece length' must be a positive integer."


def test_name_must_be_present() -> None:
    data = with_info(build(TWO_FILES), name=DELETE)

    assert rejected(data) == "The torrent's name is missing or not a byte string."


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (b"", "Torrent name '' is not allowed: path components must not be '..', '.' or empty."),
        (
            b"..",
            "Torrent name '..' is not allowed: path components must not be '..', '.' or empty.",
        ),
        (
            b"a/b",
            "Torrent name 'a/b' is not allowed: a path component must not contain "
            "'/', '\\' or a NUL character.",
        ),
        (b"caf\xe9", "Torrent name 'caf\\xe9' is not valid UTF-8."),
    ],
)
def test_name_must_be_one_safe_utf8_component(name: bytes, message: str) -> None:
    assert rejected(with_info(build(TWO_FILES), name=name)) == message


def test_name_utf8_is_preferred_over_a_legacy_name() -> None:
    data = with_info(build(TWO_FILES), name=b"caf\xe9", name_utf8="café".encode())

    assert parse_torrent(data).name == "café"


def test_name_utf8_must_be_a_byte_string() -> None:
    data = with_info(build(TWO_FILES), name_utf8=5)

    assert rejected(data) == "The torrent's name in 'name.utf-8' is not a byte string."


@pytest.mark.parametrize(("value", "expected"), [(1, True), (0, False), (DELETE, False)])
def test_private_is_read_as_a_flag(value: object, expected: bool) -> None:
    assert parse_torrent(with_info(build(TWO_FILES), private=value)).private is expected


@pytest.mark.parametrize("value", [2, -1, b"1"])
def test_private_must_be_0_or_1_so_every_client_reads_it_the_same(value: object) -> None:
    data = with_info(build(TWO_FILES), private=value)

    assert rejected(data) == "The .torrent's 'private' flag must be 0 or 1."


def test_info_must_describe_files() -> None:
    data = encode({b"info": {b"name": b"x", b"piece length": BLOCK}})

    assert rejected(data) == (
        "The .torrent's 'info' describes no files: it has neither v1 'pieces' nor a v2 'file tree'."
    )


# --- v1 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "reason"),
    [
        (b"..", "path components must not be '..', '.' or empty."),
        (b".", "path components must not be '..', '.' or empty."),
        (b"", "path components must not be '..', '.' or empty."),
        (b"x/y", "a path component must not contain '/', '\\' or a NUL character."),
        (b"x\\y", "a path component must not contain '/', '\\' or a NUL character."),
        (b"x\x00y", "a path component must not contain '/', '\\' or a NUL character."),
    ],
)
def test_v1_path_components_must_be_safe(component: bytes, reason: str) -> None:
    metainfo = build(TWO_FILES)
    metainfo[b"info"][b"files"][1][b"path"] = [b"a", component, b"b"]
    shown = "a/" + component.decode() + "/b"

    assert rejected(encode(metainfo)) == f"File name {shown!r} is not allowed: {reason}"


def test_v1_file_name_from_the_example_is_refused() -> None:
    metainfo = build(TWO_FILES)
    metainfo[b"info"][b"files"][0][b"path"] = [b"a", b"..", b"b"]

    assert rejected(encode(metainfo)) == (
        "File name 'a/../b' is not allowed: path components must not be '..', '.' or empty."
    )


def test_v1_path_must_be_utf8_unless_path_utf8_is_given() -> None:
    metainfo = build(TWO_FILES)
    metainfo[b"info"][b"files"][1][b"path"] = [b"caf\xe9"]
    assert rejected(encode(metainfo)) == "File name 'caf\\xe9' is not valid UTF-8."

    metainfo[b"info"][b"files"][1][b"path.utf-8"] = ["café".encode()]
    assert parse_torrent(encode(metainfo)).files[1] == TorrentFile("café", 100)


@pytest.mark.parametrize("path", [[], b"a.bin", [b"a", 1]])
def test_v1_path_must_be_a_list_of_names(path: object) -> None:
    metainfo = build(TWO_FILES)
    metainfo[b"info"][b"files"][0][b"path"] = path

    assert rejected(encode(metainfo)) == (
        "A file's 'path' in the .torrent must be a non-empty list of names."
    )


def test_v1_needs_length_or_files() -> None:
    data = with_info(build(TWO_FILES), files=DELETE)

    assert rejected(data) == "The .torrent has 'pieces' but neither 'length' nor 'files'."


def test_v1_cannot_have_both_length_and_files() -> None:
    data = with_info(build(TWO_FILES), length=5)

    assert rejected(data) == "The .torrent has both 'length' and 'files'; it must have one."


@pytest.mark.parametrize("files", [[], b"files", {}])
def test_v1_files_must_be_a_non_empty_list(files: object) -> None:
    data = with_info(build(TWO_FILES), files=files)

    assert rejected(data) == "The .torrent's 'files' must be a non-empty list."


def test_v1_files_entries_must_be_dictionaries() -> None:
    data = with_info(build(TWO_FILES), files=[b"a.bin"])

    assert rejected(data) == "An entry in the .torrent's 'files' is not a dictionary."


@pytest.mark.parametrize("length", [-1, b"10", DELETE])
def test_v1_file_length_must_be_a_non_negative_integer(length: object) -> None:
    metainfo = build(TWO_FILES)
    if length is DELETE:
        del metainfo[b"info"][b"files"][0][b"length"]
    else:
        metainfo[b"info"][b"files"][0][b"length"] = length

    assert rejected(encode(metainfo)) == (
        "The .torrent's 'length' of 'a.bin' must be a non-negative integer."
    )


def test_v1_single_file_length_must_be_a_non_negative_integer() -> None:
    metainfo = build({"x": content(10)}, name=b"x", single=True)

    assert rejected(with_info(metainfo, length=-10)) == (
        "The .torrent's 'length' of 'x' must be a non-negative integer."
    )


def test_v1_pieces_must_be_whole_sha1_hashes() -> None:
    metainfo = build(TWO_FILES)

    assert rejected(with_info(metainfo, pieces=metainfo[b"info"][b"pieces"][:-1])) == (
        "The .torrent's 'pieces' length is not a multiple of 20 bytes."
    )


def test_v1_pieces_must_match_the_total_size() -> None:
    metainfo = build(TWO_FILES)

    assert rejected(with_info(metainfo, pieces=metainfo[b"info"][b"pieces"] + bytes(20))) == (
        "The .torrent's 'pieces' holds 4 piece hashes, but its files need 3."
    )


@pytest.mark.parametrize("pieces", [DELETE, 20])
def test_v1_pieces_must_be_a_byte_string(pieces: object) -> None:
    assert rejected(with_info(build(TWO_FILES), pieces=pieces)) == (
        "The .torrent's 'pieces' is missing or not a byte string."
    )


def test_v1_empty_content_has_no_pieces() -> None:
    parsed = parse_torrent(encode(build({"empty": b""}, name=b"empty", single=True)))

    assert (parsed.total_size, parsed.files) == (0, (TorrentFile("empty", 0),))


def test_v1_pad_files_are_counted_in_pieces_but_not_listed() -> None:
    metainfo = build(TWO_FILES)
    info = metainfo[b"info"]
    a_gap = -40_000 % BLOCK
    info[b"files"].insert(1, {b"length": a_gap, b"path": [b".pad", b"x"]})
    info[b"files"].insert(1, {b"attr": b"xp", b"length": 0, b"path": [b"flagged"]})
    stream = content(40_000) + bytes(a_gap) + content(100, seed=2)
    info[b"pieces"] = b"".join(
        hashlib.sha1(stream[i : i + BLOCK]).digest() for i in range(0, len(stream), BLOCK)
    )

    parsed = parse_torrent(encode(metainfo))

    assert parsed.files == (TorrentFile("a.bin", 40_000), TorrentFile("sub/b.txt", 100))
    assert parsed.total_size == 40_100


def test_attr_must_be_a_byte_string() -> None:
    metainfo = build(TWO_FILES)
    metainfo[b"info"][b"files"][0][b"attr"] = 1

    assert rejected(encode(metainfo)) == "The 'attr' of file 'a.bin' is not a byte string."


def test_the_number_of_files_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metainfo, "MAX_FILES", 1)

    assert rejected(encode(build(TWO_FILES))) == "The .torrent lists more than 1 files."
    assert rejected(encode(build(TWO_FILES, kind="v2"))) == "The .torrent lists more than 1 files."


# --- v2 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [1, 3, b"2", DELETE])
def test_v2_meta_version_must_be_2(version: object) -> None:
    data = with_info(build(TWO_FILES, kind="v2"), meta_version=version)

    assert rejected(data) == "The .torrent's 'meta version' must be 2."


@pytest.mark.parametrize("piece_length", [8192, 3 * BLOCK])
def test_v2_piece_length_must_be_a_power_of_two_of_at_least_16_kib(piece_length: int) -> None:
    data = with_info(build(TWO_FILES, kind="v2"), piece_length=piece_length)

    assert rejected(data) == (
        "The .torrent's 'piece length' must be a power of two of at least 16 KiB for BitTorrent v2."
    )


@pytest.mark.parametrize("tree", [{}, b"tree", DELETE])
def test_v2_file_tree_must_be_a_non_empty_dictionary(tree: object) -> None:
    data = with_info(build(TWO_FILES, kind="v2"), file_tree=tree)

    assert rejected(data) == "The .torrent's 'file tree' is missing or empty."


@pytest.mark.parametrize("node", [{}, 5])
def test_v2_file_tree_nodes_must_be_files_or_directories(node: object) -> None:
    metainfo = build(TWO_FILES, kind="v2")
    metainfo[b"info"][b"file tree"][b"sub"][b"c"] = node

    assert rejected(encode(metainfo)) == (
        "The .torrent's 'file tree' entry 'sub/c' is neither a file nor a directory."
    )


def test_v2_file_tree_node_cannot_be_a_file_and_a_directory() -> None:
    metainfo = build(TWO_FILES, kind="v2")
    metainfo[b"info"][b"file tree"][b"sub"][b"b.txt"][b"c"] = {b"": {b"length": 0}}

    assert rejected(encode(metainfo)) == (
        "The .torrent's 'file tree' entry 'sub/b.txt' is both a file and a directory."
    )


def test_v2_file_properties_must_be_a_dictionary() -> None:
    metainfo = build(TWO_FILES, kind="v2")
    metainfo[b"info"][b"file tree"][b"sub"][b"b.txt"][b""] = 100

    assert rejected(encode(metainfo)) == (
        "The .torrent's 'file tree' entry 'sub/b.txt' is not a dictionary."
    )


@pytest.mark.parametrize("component", [b"..", b"a\\b"])
def test_v2_names_must_be_safe(component: bytes) -> None:
    metainfo = build(TWO_FILES, kind="v2")
    tree = metainfo[b"info"][b"file tree"]
    tree[component] = tree.pop(b"sub")

    assert rejected(encode(metainfo)).startswith(
        f"File name {component.decode() + '/b.txt'!r} is not allowed:"
    )


@pytest.mark.parametrize("root", [DELETE, bytes(31), 7])
def test_v2_non_empty_files_need_a_32_byte_pieces_root(root: object) -> None:
    metainfo = build(TWO_FILES, kind="v2")
    properties = metainfo[b"info"][b"file tree"][b"sub"][b"b.txt"][b""]
    if root is DELETE:
        del properties[b"pieces root"]
    else:
        properties[b"pieces root"] = root

    assert rejected(encode(metainfo)) == (
        "File 'sub/b.txt' in the .torrent has no 32-byte 'pieces root'."
    )


def test_v2_empty_files_need_no_pieces_root() -> None:
    parsed = parse_torrent(encode(build({**TWO_FILES, "empty": b""}, kind="v2")))

    assert TorrentFile("empty", 0) in parsed.files


def test_v2_files_larger_than_a_piece_need_a_piece_layer() -> None:
    metainfo = build(TWO_FILES, kind="v2")
    metainfo[b"piece layers"] = {}

    assert rejected(encode(metainfo)) == (
        "The .torrent's 'piece layers' has no entry for file 'a.bin'."
    )


def test_v2_piece_layers_may_be_absent_when_no_file_needs_one() -> None:
    metainfo = build({"small": content(BLOCK)}, kind="v2")
    del metainfo[b"piece layers"]

    assert parse_torrent(encode(metainfo)).total_size == BLOCK


def test_v2_piece_layers_must_be_a_dictionary() -> None:
    metainfo = build(TWO_FILES, kind="v2")
    metainfo[b"piece layers"] = [b"layer"]

    assert rejected(encode(metainfo)) == "The .torrent's 'piece layers' is not a dictionary."


def test_v2_piece_layer_must_hold_one_hash_per_piece() -> None:
    metainfo = build(TWO_FILES, kind="v2")
    layers = metainfo[b"piece layers"]
    (root,) = layers
    layers[root] += bytes(32)

    assert rejected(encode(metainfo)) == (
        "The .torrent's piece layer for file 'a.bin' must hold 3 hashes of 32 bytes."
    )


def test_v2_piece_layer_must_hash_to_the_pieces_root() -> None:
    metainfo = build(TWO_FILES, kind="v2")
    layers = metainfo[b"piece layers"]
    (root,) = layers
    layers[root] = bytes(32) + layers[root][32:]

    assert rejected(encode(metainfo)) == (
        "The .torrent's piece layer for file 'a.bin' does not match its 'pieces root'."
    )


@pytest.mark.parametrize("piece_length", [BLOCK, 4 * BLOCK])
def test_v2_piece_layers_are_checked_for_any_piece_size(piece_length: int) -> None:
    files = {"big": content(9 * piece_length + 5), "exact": content(4 * piece_length)}

    parsed = parse_torrent(encode(build(files, kind="v2", piece_length=piece_length)))

    assert parsed.total_size == 13 * piece_length + 5


# --- hybrid --------------------------------------------------------------------------------


def test_hybrid_file_lists_must_agree() -> None:
    metainfo = build(TWO_FILES, kind="hybrid")
    metainfo[b"info"][b"files"][-1][b"path"] = [b"sub", b"other.txt"]

    assert rejected(encode(metainfo)) == (
        "The .torrent is a hybrid whose v1 file list and v2 file tree describe different files."
    )


def test_hybrid_has_both_hashes_over_the_same_bytes() -> None:
    data = encode(build(TWO_FILES, kind="hybrid"))
    info = bencodepy.encode(bencodepy.decode(data)[b"info"])

    parsed = parse_torrent(data)

    assert parsed.info_hash_v1 == hashlib.sha1(info).digest()
    assert parsed.info_hash_v2 == hashlib.sha256(info).digest()


# --- hostile input -------------------------------------------------------------------------

CORPUS = [
    encode(build(TWO_FILES, kind=kind, private=private))
    for kind in ("v1", "v2", "hybrid")
    for private in (True, False)
] + [shared(entry["file"]) for entry in MANIFEST]


@st.composite
def mutated_torrents(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(CORPUS)))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        if operation == "flip" and position < len(data):
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif operation == "truncate":
            del data[position:]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[position : position + draw(st.integers(1, 8))]
    return bytes(data)


def check_consistent(data: bytes) -> None:
    try:
        parsed = parse_torrent(data)
    except InvalidTorrent as error:
        assert str(error)
        return
    assert parsed.raw is data
    assert parsed.total_size == sum(file.size for file in parsed.files)
    assert parsed.info_hash_v1 is not None or parsed.info_hash_v2 is not None
    assert parsed.info_hash_v1 is None or len(parsed.info_hash_v1) == 20
    assert parsed.info_hash_v2 is None or len(parsed.info_hash_v2) == 32
    served = parse_torrent(personalise(data, "http://t/a", "c"))
    assert (served.info_hash_v1, served.info_hash_v2) == (parsed.info_hash_v1, parsed.info_hash_v2)
    assert parse_torrent(make_private(data)).private is True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_arbitrary_bytes_only_ever_raise_invalid_torrent(data: bytes) -> None:
    check_consistent(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_torrents())
def test_mutated_torrents_only_ever_raise_invalid_torrent(data: bytes) -> None:
    check_consistent(data)


def test_files_that_together_exceed_64_bits_are_refused() -> None:
    """Each file fits a signed 64-bit integer, their total (stored as the release's size)
    does not."""
    metainfo = build(TWO_FILES, piece_length=2**62)
    for entry in metainfo[b"info"][b"files"]:
        entry[b"length"] = 2**62
    metainfo[b"info"][b"pieces"] = bytes(40)

    assert rejected(encode(metainfo)) == (
        "The .torrent's files together claims 9,223,372,036,854,775,808 bytes; "
        "the largest size accepted is 9,223,372,036,854,775,807 bytes."
    )
