"""Every response of the web side carries the security headers: pages, redirects,
refusals, 404 and 500 pages, static files and the API, for guests and members.

The routes come from the app itself (as in the permission matrix), so a new route is
covered without anyone remembering to add it here.
"""

from __future__ import annotations

import re

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.helpers import add_member, login
from tests.roles import Endpoint, app_endpoints
from tinypier.forum import queries
from tinypier.settings import Settings
from tinypier.web.security_headers import CONTENT_SECURITY_POLICY

Client = TestClient[Litestar]

EXPECTED = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
}
# A value for each kind of path parameter: ids of nothing (404 pages), a static file.
PARAMETER_VALUES = {"int": "1", "str": "x.atom", "path": "style.css"}
PARAMETER = re.compile(r"\{(\w+):(\w+)\}")


def concrete(endpoint: Endpoint) -> str:
    return PARAMETER.sub(lambda found: PARAMETER_VALUES[found.group(2)], endpoint.path)


def security_headers(response: httpx.Response) -> dict[str, str]:
    return {name: response.headers.get(name, "(missing)") for name in EXPECTED}


ENDPOINTS = app_endpoints()


def test_the_policy_allows_only_the_board_itself_and_post_images() -> None:
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))

    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["style-src"]


@pytest.mark.parametrize("role", ["guest", "admin"])
def test_every_route_answers_with_the_security_headers(
    client: Client, settings: Settings, role: str
) -> None:
    if role != "guest":
        member = add_member(settings, "headers", role)
        assert login(client, member.name, member.password).status_code == 303
    missing = {}
    for endpoint in ENDPOINTS:
        response = client.request(endpoint.method, concrete(endpoint), follow_redirects=False)
        if security_headers(response) != EXPECTED:
            missing[f"{endpoint.key} ({response.status_code})"] = security_headers(response)

    assert missing == {}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/no/such/page", 404),
        ("/api/no-such-thing", 404),
        ("/static/style.css", 200),
        ("/static/missing.css", 404),
        ("/topics/99999999999999999999", 404),
    ],
)
def test_errors_and_static_files_carry_them(client: Client, path: str, status: int) -> None:
    response = client.get(path)

    assert response.status_code == status
    assert security_headers(response) == EXPECTED


def test_a_500_page_carries_them(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*_arguments: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(queries, "index_forums", broken)

    response = client.get("/")

    assert response.status_code == 500
    assert security_headers(response) == EXPECTED


# Paths Litestar's OpenAPI viewers answer at, by default, under the schema path.
VIEWERS = ("swagger", "redoc", "elements", "rapidoc", "scalar", "stoplight", "oauth2-redirect.html")
SCHEMA_PATHS = sorted(
    {e.path for e in ENDPOINTS if e.path.startswith("/api/schema") and "{" not in e.path}
    | {f"/api/schema/{viewer}" for viewer in VIEWERS}
)
ANY_HOST = re.compile(r"(?:https?:)?//[\w.-]+")


@pytest.mark.parametrize("path", SCHEMA_PATHS)
def test_nothing_under_api_schema_loads_from_another_host(client: Client, path: str) -> None:
    """The policy would block a CDN's viewer scripts, and the board never sends a reader's
    browser to a third party: what is served here works offline."""
    response = client.get(path, follow_redirects=False)

    assert ANY_HOST.findall(response.text) == []
    assert response.status_code in {200, 404}


def test_api_schema_links_the_schema_documents(client: Client) -> None:
    page = client.get("/api/schema")

    assert page.status_code == 200
    for document in ("/api/schema/openapi.json", "/api/schema/openapi.yaml"):
        assert f'href="{document}"' in page.text
        assert client.get(document).status_code == 200
