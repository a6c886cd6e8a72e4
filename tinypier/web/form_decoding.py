"""One guard for every form body the site reads: UTF-8 text, or a clear 400.

Litestar decodes form fields leniently in one place and not at all in another: a
urlencoded body's raw bytes are read as Latin-1 and bad percent-escapes become U+FFFD
(what the member typed is silently changed), while a multipart text field that is not
UTF-8, or that declares a charset Python does not know, raises deep inside the parser
and answers 500, before any handler runs, even on ``/login`` for a stranger.

This middleware parses each form body once, strictly, before the CSRF check and the
handler read it, and stores the result where Litestar's ``request.form()`` finds it.
Files in a multipart body stay bytes: only text fields must be UTF-8.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import parse_qsl

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from tinypier.i18n import N_, _

NOT_UTF8 = N_("The form could not be read: its text fields must be UTF-8, as browsers send them.")
TOO_MANY_FIELDS = N_("The form has too many fields.")


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Fields as Litestar keeps them: one value as is, a repeated field as a list."""
    grouped: defaultdict[str, list[str]] = defaultdict(list)
    for name, value in pairs:
        grouped[name].append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in grouped.items()}


def urlencoded_fields(body: bytes, max_fields: int) -> dict[str, str | list[str]]:
    """A urlencoded body's fields, refused unless the body and every escape are UTF-8."""
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=max_fields,
        )
    except UnicodeDecodeError:
        raise ClientException(_(NOT_UTF8)) from None
    except ValueError:
        # parse_qsl's only other refusal: more than max_num_fields fields.
        raise ClientException(_(TOO_MANY_FIELDS)) from None
    return _grouped(pairs)


async def read_multipart(request: Request[Any, Any, Any]) -> None:
    """Let Litestar parse the multipart body (it keeps the result for the handler), turning
    a text field it cannot decode into a refusal."""
    try:
        await request.form()
    except UnicodeDecodeError:
        raise ClientException(_(NOT_UTF8)) from None
    except LookupError as error:
        # A part may declare any charset; codecs.lookup raises a bare LookupError for one
        # it does not know. Its subclasses (KeyError, IndexError) are ordinary bugs.
        if type(error) is not LookupError:
            raise
        raise ClientException(_(NOT_UTF8)) from None


class StrictFormMiddleware(ASGIMiddleware):
    """Parses form bodies strictly before anything else reads them."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request: Request[Any, Any, Any] = scope["litestar_app"].request_class(scope, receive)
        content_type, _parameters = request.content_type
        max_fields = request.app.multipart_form_part_limit
        if content_type == RequestEncodingType.URL_ENCODED:
            fields = urlencoded_fields(await request.body(), max_fields)
            ScopeState.from_scope(scope).form = fields  # type: ignore[assignment]
        elif content_type == RequestEncodingType.MULTI_PART:
            await read_multipart(request)
        await next_app(scope, receive, send)
