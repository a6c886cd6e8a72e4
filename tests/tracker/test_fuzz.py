"""Whatever a client (or anyone) sends under /announce and /scrape, the answer is HTTP 200
with one bencoded dictionary: never a 500, never an HTML page, never half a reply."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, quote_from_bytes

import bencodepy
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from tests.helpers import Member
from tests.tracker.wire import ADDRESS_HEADER, peer_id, register_torrent
from tinypier.settings import Settings

NAMES = ["info_hash", "peer_id", "port", "uploaded", "downloaded", "left", "event", "numwant",
         "compact", "no_peer_id", "key", "ip", "ipv6", "corrupt", "trackerid"]  # fmt: skip
NUMBERS = st.integers(min_value=-(2**70), max_value=2**70).map(str)
EVENTS = st.sampled_from(["started", "completed", "stopped", "paused", "empty", "", "STARTED"])
ADDRESSES = st.sampled_from(["127.0.0.1", "10.1.2.3", "2001:db8::1", "::ffff:1.2.3.4", "nonsense"])


def encoded(value: bytes) -> str:
    return quote_from_bytes(value, safe="")


def pair(names: st.SearchStrategy[str], values: st.SearchStrategy[bytes]) -> st.SearchStrategy[str]:
    return st.builds(lambda n, v: f"{quote(n, safe='')}={encoded(v)}", names, values)


def queries(known_hash: bytes) -> st.SearchStrategy[str]:
    values = st.one_of(
        st.binary(max_size=40),
        st.just(known_hash),
        st.just(peer_id()),
        NUMBERS.map(str.encode),
        EVENTS.map(str.encode),
    )
    names = st.one_of(st.sampled_from(NAMES), st.text(max_size=12))
    structured = st.lists(pair(names, values), max_size=12).map("&".join)
    garbage = st.text(alphabet="%&=+;:/?abcf019 \u00e9", max_size=60).map(
        lambda t: quote(t, safe="%&=+;")
    )
    return st.one_of(structured, garbage)


def paths(passkey: str) -> st.SearchStrategy[str]:
    tails = st.one_of(
        st.just(""),
        st.just("/"),
        st.just("/" + passkey),
        st.text(max_size=40).map(lambda t: "/" + quote(t, safe="")),
        st.text(alphabet="/%.-abc", max_size=20).map(lambda t: "/" + passkey + t),
    )
    return st.builds(
        lambda root, tail: root + tail, st.sampled_from(["/announce", "/scrape"]), tails
    )


@pytest.fixture
def known_hash(settings: Settings, alice: Member) -> bytes:
    """A registered torrent, so that some fuzzed announces get as far as the swarm."""
    return register_torrent(settings, alice.id, "fuzz").key


@hypothesis_settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_answer_is_a_bencoded_dictionary(
    data: st.DataObject, tracker_client: TestClient[Any], alice: Member, known_hash: bytes
) -> None:
    path = data.draw(paths(alice.passkey), label="path")
    query = data.draw(queries(known_hash), label="query")
    address = data.draw(ADDRESSES, label="address")
    user_agent = data.draw(st.sampled_from(["qBittorrent/4.6.2", "Mozilla/5.0", ""]), label="ua")
    response = tracker_client.get(
        f"{path}?{query}" if query else path,
        headers={ADDRESS_HEADER.decode(): address, "user-agent": user_agent},
    )
    assert response.status_code == 200
    decoded = bencodepy.decode(response.content)
    assert isinstance(decoded, dict)
    assert {b"failure reason", b"interval", b"files"} & set(decoded)
