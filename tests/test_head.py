"""``HEAD`` wherever ``GET`` is allowed, on every GET route the app declares.

Uptime monitors and link checkers ask ``HEAD``; a 405 reads as "the board is down". Each
HEAD must answer as its GET does (status, content type, a Content-Length where the GET
has one) with no body. The routes come from the app, so a new GET route is covered the
day it is added.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.roles import Endpoint, RoleBoard, app_endpoints, build_role_board, client_as, fill_path
from tinypier.app import STATIC_DIR

GET_ENDPOINTS = [endpoint for endpoint in app_endpoints() if endpoint.method == "GET"]
# A conversation no role takes part in (``tests.roles``): only its members read it, so
# the admin's GET and HEAD are both 404, which still compares the two.
PRIVATE_TO_OTHERS = "{conversation_id:int}"
# TorrentPier's addresses (tinypier.legacy) name their target in the query: without one
# they are 404s. dl.php's attachment ids are mapped by the importer only, so it stays one.
LEGACY_QUERIES = {
    "/viewtopic.php": {"t": "{topic_id}"},
    "/viewtopic": {"p": "{post_id}"},
    "/viewforum.php": {"f": "{forum_id}"},
    "/viewforum": {"f": "{forum_id}"},
    "/profile.php": {"mode": "viewprofile", "u": "{member_id}"},
}
UNMAPPED = "/dl.php"
STATIC_FILE = min(path.name for path in STATIC_DIR.iterdir() if path.is_file())


def concrete_path(endpoint: Endpoint, board: RoleBoard) -> str:
    """A path that names something real: the public forum's ids, a shipped static file,
    the schema's JSON."""
    if "file_path" in endpoint.params:
        return f"/static/{STATIC_FILE}"
    path = fill_path(endpoint, board, board.public)
    return path.replace("/missing-page", "/openapi.json") if "path" in endpoint.params else path


def legacy_query(endpoint: Endpoint, board: RoleBoard) -> dict[str, str]:
    """The query naming the public forum's things, for an address that takes one."""
    target = board.public
    ids = {"topic_id": target.topic_id, "post_id": target.post_id}
    ids |= {"forum_id": target.forum_id, "member_id": board.author.id}
    query = LEGACY_QUERIES.get(endpoint.path, {})
    return {name: value.format(**ids) for name, value in query.items()}


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> RoleBoard:
    return build_role_board(tmp_path_factory.mktemp("head") / "data")


@pytest.fixture(scope="module")
def admin(board: RoleBoard) -> Iterator[TestClient[Litestar]]:
    """An admin reaches every page, so each HEAD is compared with a real page's GET."""
    with client_as(board, "admin") as client:
        client.headers["Authorization"] = f"Bearer {board.api_tokens['admin']}"
        yield client


def test_the_app_declares_get_routes_to_check() -> None:
    assert {"/", "/api/torrents", "/feeds/releases.atom"} <= {e.path for e in GET_ENDPOINTS}


@pytest.mark.parametrize("endpoint", GET_ENDPOINTS, ids=lambda endpoint: endpoint.path)
def test_head_answers_as_get_without_a_body(
    endpoint: Endpoint, board: RoleBoard, admin: TestClient[Litestar]
) -> None:
    path = concrete_path(endpoint, board)
    params = {"token": board.feed_tokens["admin"]} if path.startswith("/feeds/") else {}
    params |= legacy_query(endpoint, board)

    got = admin.get(path, params=params)
    head = admin.head(path, params=params)

    assert head.status_code == got.status_code != 405, path
    expected_refusal = PRIVATE_TO_OTHERS in endpoint.path or endpoint.path == UNMAPPED
    assert (got.status_code == 404) if expected_refusal else (got.status_code < 400), (
        path,
        got.status_code,
    )
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")
    assert ("content-length" in head.headers) == ("content-length" in got.headers)


def test_head_of_the_front_page_is_200_with_headers_and_no_body(
    admin: TestClient[Litestar],
) -> None:
    head = admin.head("/")

    assert head.status_code == 200
    assert head.headers["content-type"].startswith("text/html")
    assert int(head.headers["content-length"]) > 0
    assert head.content == b""


def test_a_route_without_get_still_refuses_head(admin: TestClient[Litestar]) -> None:
    assert admin.head("/logout").status_code == 405
