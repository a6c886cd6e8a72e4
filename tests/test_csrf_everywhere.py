"""No state changes without a form the site itself served, and none at all from a GET.

Every route is read from the app. A route whose method can change state must refuse a
request without the CSRF token (403) and change nothing; the JSON API is exempt from
tokens by design, so there a browser's cookie session must count for nothing. Then
every GET route is requested by every role, and the database must be as it was, except
sessions and the read markers (opening a topic marks it read: the one documented GET
side effect).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.roles import (
    ROLES,
    TARGETS,
    Endpoint,
    RoleBoard,
    app_endpoints,
    become,
    board_checksum,
    build_role_board,
    client_as,
    fill_path,
)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
API_PREFIX = "/api/"
# Static files are plain bytes; the tracker's /announce and /scrape are answered in front
# of the app (not in app.routes) and have their own suite.
EXCLUDED_PREFIXES = ("/static/",)
ANY_FORM = {
    "name": "csrf probe",
    "title": "csrf probe",
    "body": "csrf probe body",
    "confirm": "yes",
}

ENDPOINTS = [e for e in app_endpoints() if not e.path.startswith(EXCLUDED_PREFIXES)]
UNSAFE = [e for e in ENDPOINTS if e.method not in SAFE_METHODS]
FORM_POSTS = [pytest.param(e, id=e.key) for e in UNSAFE if not e.path.startswith(API_PREFIX)]
GETS = [e for e in ENDPOINTS if e.method == "GET"]


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> RoleBoard:
    return build_role_board(tmp_path_factory.mktemp("csrf") / "data")


@pytest.fixture(scope="module")
def admin(board: RoleBoard) -> Iterator[TestClient[Litestar]]:
    """The strongest browser there is: if it cannot skip the token, no one can."""
    with client_as(board, "admin") as client:
        yield client


def test_the_app_has_state_changing_routes_to_check() -> None:
    assert len(UNSAFE) >= 10


@pytest.mark.parametrize("endpoint", FORM_POSTS)
def test_a_state_changing_request_without_the_token_is_refused(
    board: RoleBoard, admin: TestClient[Litestar], endpoint: Endpoint
) -> None:
    path = fill_path(endpoint, board, board.public)
    become(admin, board, "admin")
    admin.get("/login")
    assert admin.cookies.get("tinypier_csrf"), "the site should have set its CSRF cookie"
    before = board_checksum(board.settings, ignored=())
    for token in ({}, {"_csrf_token": "forged"}):
        response = admin.request(endpoint.method, path, data={**ANY_FORM, **token})
        assert response.status_code == 403, (
            f"{endpoint.key} without a valid token: {response.status_code}"
        )
    assert board_checksum(board.settings, ignored=()) == before


@pytest.mark.parametrize(
    "endpoint", [pytest.param(e, id=e.key) for e in ENDPOINTS if e.path.startswith(API_PREFIX)]
)
def test_the_api_ignores_a_cookie_session(
    board: RoleBoard, admin: TestClient[Litestar], tmp_path: Path, endpoint: Endpoint
) -> None:
    """Without CSRF tokens, an ambient cookie must not act: the admin's cookie alone gets
    exactly the answer an anonymous script gets, and changes nothing."""
    path = fill_path(endpoint, board, board.public)
    before = board_checksum(board.settings, ignored=())
    become(admin, board, "admin")
    with_cookie = admin.request(endpoint.method, path, data=ANY_FORM)
    become(admin, board, "guest")
    anonymous = admin.request(endpoint.method, path, data=ANY_FORM)
    assert with_cookie.status_code == anonymous.status_code
    assert with_cookie.text == anonymous.text
    assert board_checksum(board.settings, ignored=()) == before


@pytest.mark.parametrize("role", ROLES)
def test_no_get_changes_the_board(board: RoleBoard, admin: TestClient[Litestar], role: str) -> None:
    assert len(GETS) >= 10
    become(admin, board, role)
    headers = (
        {"Authorization": f"Bearer {board.api_tokens[role]}"} if role in board.api_tokens else {}
    )
    before = board_checksum(board.settings)
    for endpoint in GETS:
        for target in TARGETS:
            path = fill_path(endpoint, board, board.target(target))
            response = admin.get(path, headers=headers if path.startswith(API_PREFIX) else {})
            assert response.status_code < 500, f"GET {path} as {role}: {response.status_code}"
            assert board_checksum(board.settings) == before, (
                f"GET {path} as {role} changed the board"
            )
