"""The OpenAPI schema describes exactly the JSON API, as the app really serves it.

The routes and their parameters are read from the app itself, so a new API route or
query parameter that the schema misses fails here, and so does an HTML page or form
that leaks into the schema.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from tests.helpers import add_member
from tests.torrents.releases import api_token, bearer, post_release_api, release_forum
from tests.torrents.releases import shared_torrent as torrent_file
from tinypier.app import create_app
from tinypier.settings import Settings, load_settings
from tinypier.web.api_schema import SCHEMA_PATH

Client = TestClient[Litestar]
API_PREFIX = "/api/"
# Operations a guest may call: listing and reading what guests may see.
OPEN_TO_GUESTS = {("GET", "/api/torrents"), ("GET", "/api/torrents/{torrent_id}")}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    """As OpenAPI writes it: ``{torrent_id}``, without Litestar's ``:int``."""
    parameters: frozenset[tuple[str, str]]
    """(where, name): ``("query", "page")``, ``("path", "torrent_id")``."""


def _app_operations(app: Litestar) -> Iterator[Operation]:
    """Every method of every route the app serves, with the parameters its handler takes."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        path = route.path_format
        for method, (_handler, kwargs) in route.route_handler_map.items():
            if method == "OPTIONS":
                continue
            expected = {
                "query": kwargs.expected_query_params,
                "path": kwargs.expected_path_params,
                "header": kwargs.expected_header_params,
                "cookie": kwargs.expected_cookie_params,
            }
            parameters = frozenset(
                (where, parameter.field_alias)
                for where, found in expected.items()
                for parameter in found
            )
            yield Operation(method, path, parameters)


def _is_api(path: str) -> bool:
    return path.startswith(API_PREFIX) and not path.startswith(SCHEMA_PATH)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[list[Operation], dict[str, Any]]]:
    """The app's operations, and the schema document it serves."""
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(load_settings(Path(scratch) / "data", environ={}))
        with TestClient(app) as client:
            schema = client.get(f"{SCHEMA_PATH}/openapi.json").json()
        yield list(_app_operations(app)), schema


def _schema_operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def test_every_route_in_the_schema_is_an_api_route(
    served: tuple[list[Operation], dict[str, Any]],
) -> None:
    _operations, schema = served

    assert schema["paths"], "the schema documents nothing"
    assert [path for path in schema["paths"] if not _is_api(path)] == []


def test_every_api_route_is_in_the_schema_with_all_its_parameters(
    served: tuple[list[Operation], dict[str, Any]],
) -> None:
    operations, schema = served
    documented = _schema_operations(schema)
    api_operations = [operation for operation in operations if _is_api(operation.path)]

    assert len(api_operations) >= 5
    for operation in api_operations:
        key = (operation.method, operation.path)
        assert key in documented, f"{key} is served but not documented"
        listed = {
            (parameter["in"], parameter["name"])
            for parameter in documented[key].get("parameters", [])
        }
        assert listed == operation.parameters, key


def test_the_release_listing_documents_its_filters(
    served: tuple[list[Operation], dict[str, Any]],
) -> None:
    """The /tracker page's filters, which scripts used to have to guess."""
    _operations, schema = served
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/torrents"]["get"]["parameters"]
    }

    assert {"q", "forum", "category", "status", "freeleech", "sort", "order", "page"} <= set(
        parameters
    )
    assert parameters["sort"]["schema"]["enum"][0] == "added"
    assert "needs_editing" in parameters["status"]["schema"]["enum"]
    assert all(not parameter["required"] for parameter in parameters.values())


def test_the_bearer_scheme_is_declared_and_applied(
    served: tuple[list[Operation], dict[str, Any]],
) -> None:
    _operations, schema = served
    scheme = schema["components"]["securitySchemes"]["bearer"]

    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for key, operation in _schema_operations(schema).items():
        requirements = operation["security"]
        assert {"bearer": []} in requirements, key
        assert ({} in requirements) is (key in OPEN_TO_GUESTS), key


def test_the_download_is_documented_as_a_torrent_file_not_json(
    served: tuple[list[Operation], dict[str, Any]],
) -> None:
    _operations, schema = served
    download = schema["paths"]["/api/torrents/{torrent_id}/download"]["get"]

    assert set(download["responses"]["200"]["content"]) == {"application/x-bittorrent"}


def test_the_upload_form_requires_what_the_board_requires(
    served: tuple[list[Operation], dict[str, Any]],
) -> None:
    _operations, schema = served
    form = schema["components"]["schemas"]["ApiReleaseForm"]

    assert set(form["required"]) == {"forum_id", "torrent", "title", "description"}


def test_documented_errors_have_the_shape_the_api_answers_with(
    client: Client, served: tuple[list[Operation], dict[str, Any]]
) -> None:
    _operations, schema = served
    error_schema = schema["components"]["schemas"]["ApiError"]
    me = schema["paths"]["/api/me"]["get"]["responses"]["401"]["content"]["application/json"]

    answer = client.get("/api/me")

    assert me["schema"] == {"$ref": "#/components/schemas/ApiError"}
    assert answer.status_code == 401
    assert set(answer.json()) == set(error_schema["required"]) == set(error_schema["properties"])


def test_the_download_answers_with_the_documented_media_type(
    client: Client, settings: Settings
) -> None:
    member = add_member(settings, "script")
    token = api_token(settings, member)
    posted = post_release_api(
        client, token, release_forum(settings), torrent_file("hybrid-libtorrent-multi.torrent")
    )

    torrent_id = posted.json()["torrent_id"]

    download = client.get(f"/api/torrents/{torrent_id}/download", headers=bearer(token))

    assert download.status_code == 200
    assert download.headers["content-type"] == "application/x-bittorrent"
