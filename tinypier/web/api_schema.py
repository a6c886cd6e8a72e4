"""Where the API describes itself: the OpenAPI schema documents under ``/api/schema``.

Why no viewer: every viewer Litestar ships (Swagger UI, ReDoc, Elements, RapiDoc,
Scalar) loads its scripts, styles and favicon from a CDN. The Content-Security-Policy
blocks them, and the board never makes a browser fetch from a third-party host (a CDN
learns who reads the board, and can change what runs on it). So only the documents are
served, and ``/api/schema`` itself is a plain page that links them; any viewer a reader
runs on their own machine can open them.

What the schema holds: the routes of the ``/api`` routers (``tinypier.torrents.api``,
``tinypier.messages.api``), which turn the schema back on, and nothing else (the app
sets ``include_in_schema=False`` for all the HTML pages and forms), the bearer scheme
those routes take, and for each operation who may call it, its parameters, the media
type of its answer and the JSON errors it can answer with (``ApiError``, the
shape ``tinypier.web.errors`` gives every refusal under ``/api/``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.enums import MediaType
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin, OpenAPIRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme

from tinypier import __version__

SCHEMA_PATH = "/api/schema"
JSON_DOCUMENT = "/openapi.json"
YAML_DOCUMENT = "/openapi.yaml"
BITTORRENT_MEDIA_TYPE = "application/x-bittorrent"

BEARER = "bearer"
BEARER_SCHEME = SecurityScheme(
    type="http",
    scheme="bearer",
    description=(
        "An API token a member creates on their settings page, sent as"
        " `Authorization: Bearer <token>`. The session cookie is not accepted here."
    ),
)
MEMBER_TOKEN: list[SecurityRequirement] = [{BEARER: []}]
"""Operations that need a member's token."""
GUEST_OR_MEMBER: list[SecurityRequirement] = [{BEARER: []}, {}]
"""Operations a guest may call too (``{}``: no credentials); a token shows more."""


@dataclass
class ApiError:
    """Every refusal under ``/api/``: the message, in the member's language, and the status."""

    error: str
    status_code: int


ERROR_MEANINGS: dict[int, str] = {
    400: "A field or parameter is missing or refused; `error` says which and why.",
    401: "No valid bearer token: missing, unknown, revoked, or its member is disabled.",
    403: "The member may not do this here (their role, the forum's rules, a frozen release).",
    404: "No such release, or one in a forum the caller may not see.",
    409: "The torrent is already on the board; `error` ends with its topic's address.",
    413: "The upload is larger than the board accepts.",
    429: "Too many posts in a short time; `error` says when to try again.",
}


def error_responses(*status_codes: int) -> dict[int, ResponseSpec]:
    """The JSON errors an operation can answer with, as its schema lists them."""
    return {
        status: ResponseSpec(data_container=ApiError, description=ERROR_MEANINGS[status])
        for status in status_codes
    }


class SchemaIndex(OpenAPIRenderPlugin):
    """``/api/schema``: a page without scripts, styles or icons that links the schema
    documents, so it is useful offline and under the board's Content-Security-Policy."""

    def __init__(self) -> None:
        super().__init__(path="/", media_type=MediaType.HTML, favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        info = openapi_schema["info"]
        title = html.escape(f"{info['title']} {info['version']}")
        links = "".join(
            f'<li><a href="{SCHEMA_PATH}{document}">{document.lstrip("/")}</a></li>'
            for document in (JSON_DOCUMENT, YAML_DOCUMENT)
        )
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body><h1>{title}</h1><p>The OpenAPI schema of this board's JSON API;"
            f" open it in any OpenAPI viewer.</p><ul>{links}</ul></body></html>"
        ).encode()


def api_schema_config() -> OpenAPIConfig:
    """The schema documents and the index page, and no viewer that loads from a CDN."""
    return OpenAPIConfig(
        title="TinyPier API",
        version=__version__,
        path=SCHEMA_PATH,
        components=Components(security_schemes={BEARER: BEARER_SCHEME}),
        render_plugins=[
            SchemaIndex(),
            JsonRenderPlugin(path=JSON_DOCUMENT),
            YamlRenderPlugin(path=[YAML_DOCUMENT, "/openapi.yml"]),
        ],
    )
