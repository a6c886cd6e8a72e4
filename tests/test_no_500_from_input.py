"""No input makes the site answer 500: every route, as a guest and as members.

The routes come from the app, like the permission and CSRF suites, so a new route is
covered the day it is added. Hypothesis generates what an attacker would send: query
strings, urlencoded and multipart bodies with the field names the app's forms and query
parameters really use (and others), holding Unicode digits, numbers beyond 64 bits,
empty, repeated and non-UTF-8 fields, parts declaring charsets Python does not know, and
uploaded files from random bytes to a .torrent claiming more bytes than SQLite can hold.

Requests carry the CSRF token in its header, so they reach the handlers (or, drawn at
random, no token, so the CSRF check reads the form itself); a fresh session per example
keeps a generated ``POST /logout`` from quietly turning a member into a guest.
Whatever a route answers (a page, a refusal, a redirect), it must not be a 5xx.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from tests.roles import (
    Endpoint,
    RoleBoard,
    app_endpoints,
    build_role_board,
    client_as,
    csrf_token,
    fill_path,
    session_for,
)
from tests.samples import sample
from tests.torrents.test_upload_size import torrent_claiming
from tinypier.accounts.sessions import API_PREFIX, SESSION_COOKIE
from tinypier.app import create_app
from tinypier.settings import load_settings

pytestmark = pytest.mark.slow

FUZZED_ROLES = ("guest", "user", "admin")
# Static files are plain bytes from the package; the tracker answers in front of the app.
ENDPOINTS = [e for e in app_endpoints() if not e.path.startswith("/static/")]
# The /tracker page and its API read these straight from the query string.
RELEASE_FILTERS = (
    "forum",
    "category",
    "status",
    "freeleech",
    "seeded",
    "mine",
    "snatched",
    "days",
    "sort",
    "order",
    "page",
)
CSRF_HEADER = "x-csrftoken"
FEED_PREFIX = "/feeds/"


def declared_names() -> tuple[str, ...]:
    """Every form field and query parameter the app's handlers declare."""
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(load_settings(Path(scratch) / "data", environ={}))
    names: set[str] = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for name, field in handler.parsed_fn_signature.parameters.items():
                if name == "data" and dataclasses.is_dataclass(field.annotation):
                    names |= {
                        form_field.name for form_field in dataclasses.fields(field.annotation)
                    }
                elif name not in route.path_parameters:
                    names.add(name)
    return tuple(sorted(names | set(RELEASE_FILTERS)))


NAMES = declared_names()

NASTY_TEXT = (
    "²",  # str.isdigit() says yes, int() says no
    "١٢",  # Arabic-Indic digits: int() reads 12
    "\N{MATHEMATICAL BOLD DIGIT NINE}",
    "1_000",
    "-1",
    "0",
    str(2**63),
    str(2**64),
    "9" * 30,
    "9" * 5000,  # beyond int()'s 4,300-digit limit
    "1e999",
    "NaN",
    "last",
    "",
    " ",
    "\x00",
    "%",
    "a" * 300,
)
NOT_UTF8 = (b"\xff\xfe", "café".encode("latin-1"), b"\xc3", b"\xed\xa0\x80")


HUGE_TORRENT = torrent_claiming(2**64, 2**64)


texts = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=12))
values = st.one_of(
    texts.map(str.encode),
    st.sampled_from(NOT_UTF8),
    st.binary(max_size=12),
)
names = st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=8))
Fields = list[tuple[str, bytes]]
fields = st.lists(st.tuples(names, values), max_size=6).map(lambda drawn: drawn + drawn[:1])
uploads = st.one_of(
    st.sampled_from([HUGE_TORRENT, sample("v1-mktorrent-single.torrent"), b""]),
    st.binary(max_size=64),
)


@dataclass(frozen=True)
class Body:
    content_type: str
    content: bytes


def urlencoded(pairs: Fields, escape: bool = True) -> bytes:
    """``escape=False`` sends the bytes raw, as a careless script would."""
    if escape:
        return b"&".join(
            quote_from_bytes(name.encode()).encode() + b"=" + quote_from_bytes(value).encode()
            for name, value in pairs
        )
    return b"&".join(name.encode() + b"=" + value for name, value in pairs)


BOUNDARY = "fuzzboundary"


def multipart(pairs: Fields, charset: str | None, upload: bytes | None) -> Body:
    declared = f"; charset={charset}" if charset else ""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n'
        f"Content-Type: text/plain{declared}\r\n\r\n".encode()
        + value
        + b"\r\n"
        for name, value in pairs
        if '"' not in name and "\r" not in name and "\n" not in name
    ]
    if upload is not None:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="torrent";'
            ' filename="x.torrent"\r\nContent-Type: application/x-bittorrent\r\n\r\n'.encode()
            + upload
            + b"\r\n"
        )
    content = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return Body(f"multipart/form-data; boundary={BOUNDARY}", content)


bodies = st.one_of(
    st.none(),
    st.builds(lambda pairs: Body("application/x-www-form-urlencoded", urlencoded(pairs)), fields),
    st.builds(
        lambda pairs: Body("application/x-www-form-urlencoded", urlencoded(pairs, escape=False)),
        fields,
    ),
    st.builds(
        multipart,
        fields,
        st.sampled_from([None, "utf-8", "latin-1", "no-such-charset"]),
        st.none() | uploads,
    ),
)

# The attacks that answered 500 before, always tried, on every route.
UNICODE_DIGIT_PAGE = urlencoded([("page", "²".encode()), ("days", "²".encode())])
NON_UTF8_MULTIPART = multipart([("name", b"\xff\xfe"), ("title", b"\xff")], None, None)
UNKNOWN_CHARSET = multipart([("name", b"x")], "no-such-charset", None)
OVERSIZED_TORRENT = multipart([("title", b"Huge"), ("forum_id", b"1")], None, HUGE_TORRENT)


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> RoleBoard:
    return build_role_board(tmp_path_factory.mktemp("no500") / "data")


@pytest.fixture(scope="module", params=FUZZED_ROLES)
def browser(request: pytest.FixtureRequest, board: RoleBoard) -> Iterator[Browser]:
    role: str = request.param
    with client_as(board, role) as client:
        yield Browser(board, role, client, csrf_token(client))


@dataclass
class Browser:
    board: RoleBoard
    role: str
    client: TestClient[Litestar]
    token: str

    def fresh_session(self) -> None:
        """A new session for the member (a generated POST /logout ends the last one)."""
        if self.role in self.board.members:
            member = self.board.members[self.role]
            self.client.cookies.set(SESSION_COOKIE, session_for(self.board.settings, member))

    def send(self, endpoint: Endpoint, query: bytes, body: Body | None, token: bool) -> int:
        self.fresh_session()
        path = fill_path(endpoint, self.board, self.board.public)
        headers = {CSRF_HEADER: self.token} if token else {}
        if path.startswith(API_PREFIX) and self.role in self.board.api_tokens:
            headers["Authorization"] = f"Bearer {self.board.api_tokens[self.role]}"
        if path.startswith(FEED_PREFIX) and self.role in self.board.feed_tokens:
            # Feeds know members by their feed token: fuzz the filters of a member's feed.
            token_pair = urlencoded([("token", self.board.feed_tokens[self.role].encode())])
            query = token_pair + (b"&" + query if query else b"")
        if body is not None:
            headers["Content-Type"] = body.content_type
        response = self.client.request(
            endpoint.method,
            f"{path}?{query.decode()}" if query else path,
            content=body.content if body else None,
            headers=headers,
        )
        return response.status_code


@pytest.mark.parametrize("endpoint", [pytest.param(e, id=e.key) for e in ENDPOINTS])
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@example(query=UNICODE_DIGIT_PAGE, body=None, token=True)
@example(query=b"", body=NON_UTF8_MULTIPART, token=False)
@example(query=b"", body=UNKNOWN_CHARSET, token=True)
@example(query=b"", body=OVERSIZED_TORRENT, token=True)
@given(query=fields.map(urlencoded), body=bodies, token=st.booleans())
def test_no_input_answers_500(
    browser: Browser, endpoint: Endpoint, query: bytes, body: Body | None, token: bool
) -> None:
    status = browser.send(endpoint, query, body, token)

    assert status < 500, f"{endpoint.key} as {browser.role}: {status}"
