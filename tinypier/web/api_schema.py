"""Where the API describes itself: the OpenAPI schema documents under ``/api/schema``.

Why no viewer: every viewer Litestar ships (Swagger UI, ReDoc, Elements, RapiDoc,
Scalar) loads its scripts, styles and favicon from a CDN. The Content-Security-Policy
blocks them, and the board never makes a browser fetch from a third-party host (a CDN
learns who reads the board, and can change what runs on it). So only the documents are
served, and ``/api/schema`` itself is a plain page that links them; any viewer a reader
runs on their own machine can open them.
"""

from __future__ import annotations

import html
from typing import Any

from litestar import Request
from litestar.enums import MediaType
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, OpenAPIRenderPlugin, YamlRenderPlugin

from tinypier import __version__

SCHEMA_PATH = "/api/schema"
JSON_DOCUMENT = "/openapi.json"
YAML_DOCUMENT = "/openapi.yaml"


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
        render_plugins=[
            SchemaIndex(),
            JsonRenderPlugin(path=JSON_DOCUMENT),
            YamlRenderPlugin(path=[YAML_DOCUMENT, "/openapi.yml"]),
        ],
    )
