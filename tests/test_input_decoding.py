"""Malformed input gets a clear refusal, never a 500 nor a silently altered value."""

from __future__ import annotations

import html

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.helpers import csrf_token
from tinypier.web.form_decoding import NOT_UTF8
from tinypier.web.numbers import whole_number

Client = TestClient[Litestar]


def login_token(client: Client) -> str:
    return csrf_token(client.get("/login").text)


def multipart_login(token: str, name: bytes, charset: str = "") -> tuple[bytes, str]:
    declared = f"Content-Type: text/plain; charset={charset}\r\n" if charset else ""
    body = (
        b'--b\r\nContent-Disposition: form-data; name="_csrf_token"\r\n\r\n'
        + token.encode()
        + b'\r\n--b\r\nContent-Disposition: form-data; name="name"\r\n'
        + declared.encode()
        + b"\r\n"
        + name
        + b"\r\n--b--\r\n"
    )
    return body, "multipart/form-data; boundary=b"


@pytest.mark.parametrize(
    ("name", "charset"), [(b"\xff\xfe", ""), (b"\xc3", "utf-8"), (b"x", "no-such-charset")]
)
def test_a_stranger_posting_undecodable_multipart_text_is_told_why(
    client: Client, name: bytes, charset: str
) -> None:
    body, content_type = multipart_login(login_token(client), name, charset)

    response = client.post("/login", content=body, headers={"Content-Type": content_type})

    assert response.status_code == 400
    assert NOT_UTF8 in html.unescape(response.text)


@pytest.mark.parametrize("body", [b"name=%ff%fe&password=x", b"name=caf\xe9&password=x"])
def test_a_urlencoded_form_that_is_not_utf8_is_refused_not_altered(
    client: Client, body: bytes
) -> None:
    """Before, %ff became U+FFFD and a raw Latin-1 byte became another letter."""
    token = login_token(client).encode()

    response = client.post(
        "/login",
        content=body + b"&_csrf_token=" + token,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 400
    assert NOT_UTF8 in html.unescape(response.text)


def test_a_file_in_a_multipart_body_may_hold_any_bytes(client: Client) -> None:
    """Only text fields must be UTF-8: an uploaded .torrent is binary."""
    token = login_token(client)
    body = (
        b'--b\r\nContent-Disposition: form-data; name="_csrf_token"\r\n\r\n'
        + token.encode()
        + b'\r\n--b\r\nContent-Disposition: form-data; name="torrent"; filename="a.torrent"\r\n'
        b"Content-Type: application/x-bittorrent\r\n\r\n\xff\xfe\x00\r\n--b--\r\n"
    )

    response = client.post(
        "/login", content=body, headers={"Content-Type": "multipart/form-data; boundary=b"}
    )

    assert NOT_UTF8 not in html.unescape(response.text)
    assert response.status_code == 400  # the login itself fails: no name, no password


@pytest.mark.parametrize(
    "page", ["²", "١٢", "\N{MATHEMATICAL BOLD DIGIT NINE}", "1_0", "9" * 5000, "-1", str(2**64)]
)
@pytest.mark.parametrize("path", ["/tracker", "/api/torrents", "/moderation"])
def test_an_unreadable_page_number_shows_the_first_page_or_a_clear_api_error(
    client: Client, path: str, page: str
) -> None:
    """A page shows its first page; the API, whose schema declares ``page`` a whole number
    from 1, says which parameter is wrong, without echoing the hostile value."""
    response = client.get(path, params={"page": page})

    if path == "/api/torrents":
        assert response.status_code == 400
        assert response.json()["error"] == (
            "Not a valid value for page: see the API schema at /api/schema for what it takes."
        )
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("text", "number"),
    [("7", 7), (" 12 ", 12), ("0", 0), (str(2**63 - 1), 2**63 - 1), ("0012", 12)],
)
def test_whole_numbers_are_ascii_digits(text: str, number: int) -> None:
    assert whole_number(text) == number


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "²",
        "١٢",
        "\N{MATHEMATICAL BOLD DIGIT NINE}",
        "1_000",
        "+1",
        "-1",
        "1.0",
        "1e3",
        str(2**63),
        "9" * 5000,
    ],
)
def test_anything_else_is_no_number(text: str | None) -> None:
    assert whole_number(text) is None


def test_a_bound_below_the_largest_integer_is_kept() -> None:
    assert whole_number("1000", largest=1000) == 1000
    assert whole_number("1001", largest=1000) is None


@pytest.mark.parametrize("forum", ["\N{ARABIC-INDIC DIGIT ONE}", "²", "0", str(2**63)])
def test_the_search_forum_filter_takes_ascii_ids_only(client: Client, forum: str) -> None:
    response = client.get("/search", params={"q": "word", "forum": forum})

    assert response.status_code == 400
    assert "Choose a forum from the list." in response.text
