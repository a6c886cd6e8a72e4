"""The wire format on its own: query parsing to bytes, bencoded replies, client names."""

from __future__ import annotations

import re
from urllib.parse import quote_from_bytes, unquote_to_bytes

import bencodepy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.tracker.wire import announce_fields, info_hash, peer_id, query
from tinypier.tracker.protocol import (
    Bencodable,
    Event,
    ProtocolError,
    bencode,
    compact_reply,
    failure,
    parse_announce,
    parse_scrape,
    percent_decode,
)
from tinypier.tracker.rules import client_allowed, client_name

BINARY_HASH = bytes(range(20))
NON_UTF8_PEER = b"-TR4050-" + bytes(
    [0xFF, 0xFE, 0x00, 0x80, 0x25, 0x26, 0x3D, 0x2B, 0x20, 0xC3, 0x28, 0x7F]
)


def raw(**fields: object) -> bytes:
    return query(**fields).encode()


def test_binary_hash_and_peer_id_are_percent_decoded_to_exact_bytes() -> None:
    parsed = parse_announce(raw(**announce_fields(BINARY_HASH, NON_UTF8_PEER, left=7)), 100)
    assert parsed.info_hash == BINARY_HASH
    assert parsed.peer_id == NON_UTF8_PEER
    assert (parsed.port, parsed.uploaded, parsed.downloaded, parsed.left) == (6881, 0, 0, 7)


def test_unescaped_bytes_outside_percent_escapes_are_taken_as_they_are() -> None:
    # Some clients leave unreserved characters (letters, digits, -._~) unescaped.
    mixed = b"info_hash=abcdefghij%00%01%02%03%04%05%06%07%08%09&peer_id=-UT3550-abcdefghijkl" + (
        b"&port=1&uploaded=0&downloaded=0&left=0"
    )
    parsed = parse_announce(mixed, 100)
    assert parsed.info_hash == b"abcdefghij" + bytes(range(10))
    assert parsed.peer_id == b"-UT3550-abcdefghijkl"


def test_defaults_compact_no_event_and_fifty_peers() -> None:
    parsed = parse_announce(raw(**announce_fields(BINARY_HASH, NON_UTF8_PEER)), 100)
    assert parsed.compact is True
    assert parsed.no_peer_id is False
    assert parsed.event is Event.NONE
    assert parsed.numwant == 50


@pytest.mark.parametrize(
    ("value", "expected"), [("empty", Event.NONE), ("", Event.NONE), ("paused", Event.PAUSED),
                            ("started", Event.STARTED), ("completed", Event.COMPLETED),
                            ("stopped", Event.STOPPED)],
)  # fmt: skip
def test_every_event_of_the_specs_is_understood(value: str, expected: Event) -> None:
    fields = announce_fields(BINARY_HASH, NON_UTF8_PEER, event=value)
    assert parse_announce(raw(**fields), 100).event is expected


@pytest.mark.parametrize(
    ("numwant", "expected"), [("0", 0), ("7", 7), ("500", 80), ("-1", 0), ("-50", 0)]
)
def test_numwant_is_clamped_between_zero_and_the_cap(numwant: str, expected: int) -> None:
    fields = announce_fields(BINARY_HASH, NON_UTF8_PEER, numwant=numwant)
    assert parse_announce(raw(**fields), 80).numwant == expected


def test_default_numwant_never_exceeds_a_smaller_cap() -> None:
    assert parse_announce(raw(**announce_fields(BINARY_HASH, NON_UTF8_PEER)), 20).numwant == 20


def test_compact_zero_and_no_peer_id_flags() -> None:
    fields = announce_fields(BINARY_HASH, NON_UTF8_PEER, compact=0, no_peer_id=1)
    parsed = parse_announce(raw(**fields), 100)
    assert parsed.compact is False
    assert parsed.no_peer_id is True


def test_parameters_real_clients_add_are_ignored() -> None:
    fields = announce_fields(
        BINARY_HASH, NON_UTF8_PEER, key="1A2B3C", corrupt=0, supportcrypto=1, requirecrypto=0,
        redundant=0, trackerid="xyz", ipv4=["1.2.3.4", "5.6.7.8"], ipv6="2001:db8::9",
        ip="9.9.9.9", event="started",
    )  # fmt: skip
    parsed = parse_announce(raw(**fields), 100)
    assert parsed.info_hash == BINARY_HASH
    assert parsed.event is Event.STARTED


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"info_hash": b"short"}, "info_hash must be 20 bytes"),
        ({"info_hash": BINARY_HASH + b"x"}, "info_hash must be 20 bytes"),
        ({"peer_id": b"-qB4620-"}, "peer_id must be 20 bytes"),
        ({"port": 0}, "invalid port"),
        ({"port": 65536}, "invalid port"),
        ({"port": "http"}, "invalid port"),
        ({"uploaded": -1}, "invalid uploaded"),
        ({"downloaded": "1e9"}, "invalid downloaded"),
        ({"left": " 5"}, "invalid left"),
        ({"left": 2**63}, f"left is impossibly large (the tracker accepts at most {2**53} bytes)"),
        ({"event": "finished"}, "invalid event"),
        ({"numwant": "lots"}, "invalid numwant"),
    ],
)
def test_a_bad_parameter_is_named(change: dict[str, object], reason: str) -> None:
    fields = {**announce_fields(BINARY_HASH, NON_UTF8_PEER), **change}
    with pytest.raises(ProtocolError, match=f"^{re.escape(reason)}$"):
        parse_announce(raw(**fields), 100)


@pytest.mark.parametrize(
    "missing", ["info_hash", "peer_id", "port", "uploaded", "downloaded", "left"]
)
def test_a_missing_parameter_is_named(missing: str) -> None:
    fields = announce_fields(BINARY_HASH, NON_UTF8_PEER)
    del fields[missing]
    with pytest.raises(ProtocolError, match=f"^missing {missing}$"):
        parse_announce(raw(**fields), 100)


def test_scrape_takes_several_hashes_once_each_in_order() -> None:
    hashes = [info_hash("a"), BINARY_HASH, info_hash("a")]
    assert parse_scrape(raw(info_hash=hashes), 10) == [info_hash("a"), BINARY_HASH]


def test_scrape_refuses_no_hash_too_many_and_bad_lengths() -> None:
    with pytest.raises(ProtocolError, match="at least one info_hash"):
        parse_scrape(b"", 10)
    with pytest.raises(ProtocolError, match="at most 2 per scrape"):
        parse_scrape(raw(info_hash=[info_hash("a"), info_hash("b"), info_hash("c")]), 2)
    with pytest.raises(ProtocolError, match="20 bytes"):
        parse_scrape(raw(info_hash=b"abc"), 10)


def test_bencode_sorts_keys_and_encodes_nested_values() -> None:
    value: Bencodable = {b"z": [1, b"x", "\u00e9"], b"a": {b"n": -3}}
    assert bencode(value) == b"d1:ad1:ni-3ee1:zli1e1:x2:\xc3\xa9ee"
    assert bencodepy.decode(bencode(value)) == {
        b"z": [1, b"x", "\u00e9".encode()],
        b"a": {b"n": -3},
    }


def test_the_hand_written_compact_reply_is_valid_bencode() -> None:
    reply = compact_reply((3, 4, 5), 1800, 300, b"\x01\x02\x03\x04\x1a\xe1", b"")
    assert reply == bencode(
        {
            b"complete": 3,
            b"incomplete": 4,
            b"downloaded": 5,
            b"interval": 1800,
            b"min interval": 300,
            b"peers": b"\x01\x02\x03\x04\x1a\xe1",
            b"peers6": b"",
        }
    )


def test_failure_is_a_dictionary_with_a_readable_reason() -> None:
    assert bencodepy.decode(failure("unregistered torrent")) == {
        b"failure reason": b"unregistered torrent"
    }


@pytest.mark.parametrize(
    ("peer", "name"),
    [
        (peer_id(b"-qB4620-"), "qBittorrent 4.6.2"),
        (peer_id(b"-TR4050-"), "Transmission 4.0.5"),
        (peer_id(b"-LT2090-"), "libtorrent 2.0.9"),
        (b"A2-1-37-0-" + bytes(10), "aria2 1.37.0"),
        (peer_id(b"M7-2-3--"), ""),
    ],
)
def test_client_name_from_peer_id_prefix(peer: bytes, name: str) -> None:
    assert client_name(peer) == name


def test_deny_rules_win_and_an_allow_list_admits_only_what_it_names() -> None:
    qbit, transmission = peer_id(b"-qB4620-"), peer_id(b"-TR4050-")
    assert client_allowed(qbit, (), ())
    assert not client_allowed(qbit, (), (b"-qB",))
    assert client_allowed(transmission, (b"-TR",), ())
    assert not client_allowed(qbit, (b"-TR",), ())
    assert not client_allowed(transmission, (b"-TR",), (b"-TR4050",))


@given(
    st.lists(st.sampled_from([b"%", b"\\", b"x", b"4", b"1", b"f", b"G", b"+", b"\x00", b"\xff"]))
)
def test_fast_percent_decoding_agrees_with_the_standard_library(pieces: list[bytes]) -> None:
    value = b"".join(pieces)
    assert percent_decode(value) == unquote_to_bytes(value)


@given(st.binary(min_size=20, max_size=20), st.sampled_from(["", "-._~", "abcdefghij0123456789"]))
def test_any_hash_survives_the_way_clients_escape_it(raw_hash: bytes, safe: str) -> None:
    escaped = quote_from_bytes(raw_hash, safe=safe).encode()
    assert percent_decode(escaped) == raw_hash
