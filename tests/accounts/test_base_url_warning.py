"""The admin pages say when the board is reached elsewhere than its base_url.

Every downloaded .torrent announces to ``base_url``: an admin who reaches the board at
another address is about to hand out torrents that point at a dead port or a host
members cannot reach, and must be told, with both addresses named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.accounts.conftest import board_with
from tests.helpers import Member, login
from tests.tracker.conftest import ChosenAddress
from tests.tracker.wire import ADDRESS_HEADER
from tinypier.web.reached import origin

WARNING = "but you reached this board at"
PROXY = "10.0.0.2"
FROM = ADDRESS_HEADER.decode()
# An http:// base_url: a https:// one makes the session cookie Secure, which the test
# client (plain http) would not send back.
FORWARDED = {"X-Forwarded-Proto": "http", "X-Forwarded-Host": "pier.example"}


@pytest.fixture
def admin_client(app: Litestar, admin: Member) -> Iterator[TestClient[Any]]:
    with TestClient(ChosenAddress(app), base_url="http://testserver.local") as client:
        login(client, admin.name, admin.password)
        yield client


@board_with(base_url="http://pier.example")
@pytest.mark.parametrize("path", ["/admin", "/admin/users", "/admin/forums", "/admin/cheats"])
def test_admin_pages_name_both_addresses_when_they_differ(
    admin_client: TestClient[Any], path: str
) -> None:
    page = admin_client.get(path).text

    assert WARNING in page
    assert "http://pier.example" in page and "http://testserver.local" in page


@board_with(base_url="http://TestServer.local:80/")
def test_no_warning_when_the_board_is_reached_at_its_base_url(
    admin_client: TestClient[Any],
) -> None:
    assert WARNING not in admin_client.get("/admin").text


@board_with(base_url="http://pier.example")
def test_pages_outside_the_admin_area_carry_no_warning(admin_client: TestClient[Any]) -> None:
    assert WARNING not in admin_client.get("/").text


@board_with(base_url="http://pier.example", trusted_proxies=[PROXY])
def test_behind_a_trusted_proxy_the_forwarded_address_counts(
    admin_client: TestClient[Any],
) -> None:
    through_proxy = admin_client.get("/admin", headers={**FORWARDED, FROM: PROXY})

    assert WARNING not in through_proxy.text


@board_with(base_url="http://pier.example", trusted_proxies=[PROXY])
def test_forwarded_headers_from_anyone_else_are_not_believed(
    admin_client: TestClient[Any],
) -> None:
    direct = admin_client.get("/admin", headers={**FORWARDED, FROM: "10.0.0.9"})

    assert WARNING in direct.text
    assert "http://testserver.local" in direct.text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Pier.Example:80/board", "http://pier.example"),
        ("https://pier.example:8443", "https://pier.example:8443"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("ftp://pier.example", None),
        ("http://pier.example:notaport", None),
    ],
)
def test_origins_are_compared_in_one_spelling(url: str, expected: str | None) -> None:
    assert origin(url) == expected
