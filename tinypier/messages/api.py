"""Private messages in the JSON API: the same rules as the pages, for bots and scripts.

``POST /api/messages`` takes a JSON object ``{"to": [names], "subject", "body"}``: a
body of any other shape is refused with a 400 that says what is wrong, and nothing is
stored. Reading a conversation marks it read, as the page does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.params import FromPath, FromQuery
from litestar.status_codes import HTTP_201_CREATED
from litestar.types import ControllerRouterHandler

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import _
from tinypier.messages import store
from tinypier.messages.access import may_message
from tinypier.messages.reading import inbox_page, read_conversation
from tinypier.messages.sending import MessageRefused, send_new
from tinypier.web.api_schema import MEMBER_TOKEN, error_responses

ViewerRequest = Request[Viewer, Any, Any]
CONVERSATIONS_PER_PAGE = 50
MESSAGES_PER_PAGE = 100


@dataclass
class ApiCreatedMessage:
    id: int


@dataclass
class ApiConversation:
    id: int
    subject: str
    unread: int
    participants: list[str]
    last_message_at: int


@dataclass
class ApiInbox:
    conversations: list[ApiConversation]
    page: int
    has_next: bool


@dataclass
class ApiMessage:
    id: int
    author: str
    body: str
    created_at: int


@dataclass
class ApiConversationDetail:
    id: int
    subject: str
    participants: list[str]
    messages: list[ApiMessage]
    page: int
    has_next: bool


@dataclass(frozen=True)
class NewMessageRequest:
    to: list[str]
    subject: str
    body: str


def parse_new_message(raw: bytes) -> NewMessageRequest:
    """The request's JSON object, or a 400 naming what is missing or of the wrong kind."""
    try:
        decoded = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ClientException(_("The request body must be a JSON object.")) from None
    if not isinstance(decoded, dict):
        raise ClientException(_("The request body must be a JSON object."))
    to = decoded.get("to")
    if not isinstance(to, list) or not all(isinstance(name, str) for name in to):
        raise ClientException(_('"to" must be a list of member names.'))
    for field in ("subject", "body"):
        if not isinstance(decoded.get(field), str):
            raise ClientException(_('"%(field)s" must be a string.', field=field))
    return NewMessageRequest(to, decoded["subject"], decoded["body"])


@post(
    "/messages",
    summary="Start a conversation",
    guards=[may_message],
    status_code=HTTP_201_CREATED,
    security=MEMBER_TOKEN,
    responses=error_responses(400, 401, 403, 404, 429),
)
async def api_send_message(request: ViewerRequest) -> ApiCreatedMessage:
    """Start a conversation: ``{"to": ["name", ...], "subject": "...", "body": "..."}``."""
    if request.content_type[0] == RequestEncodingType.MULTI_PART:
        # The form middleware has read a multipart body as a form: it is no JSON object.
        raise ClientException(_("The request body must be a JSON object."))
    wanted = parse_new_message(await request.body())
    try:
        new = await send_new(request, wanted.to, wanted.subject, wanted.body)
    except MessageRefused as refusal:
        raise ClientException(str(refusal), status_code=refusal.status_code) from None
    return ApiCreatedMessage(new.conversation_id)


@get(
    "/messages",
    summary="List the caller's conversations",
    guards=[may_message],
    security=MEMBER_TOKEN,
    responses=error_responses(400, 401, 403),
)
async def api_inbox(
    request: ViewerRequest, db: NamedDependency[Database], page: FromQuery[str | None] = None
) -> ApiInbox:
    """The caller's conversations, the latest activity first, 50 a page (``?page=N``)."""
    shown = await inbox_page(db, request.user.id or 0, page, CONVERSATIONS_PER_PAGE)
    return ApiInbox(
        conversations=[
            ApiConversation(
                id=row["id"],
                subject=row["subject"],
                unread=row["unread"],
                participants=shown.participants[row["id"]],
                last_message_at=row["last_message_at"],
            )
            for row in shown.conversations
        ],
        page=shown.pagination.number,
        has_next=shown.pagination.next is not None,
    )


@get(
    "/messages/{conversation_id:int}",
    summary="Read a conversation",
    guards=[may_message],
    security=MEMBER_TOKEN,
    responses=error_responses(400, 401, 403, 404),
)
async def api_conversation(
    request: ViewerRequest,
    db: NamedDependency[Database],
    conversation_id: FromPath[int],
    page: FromQuery[str | None] = None,
) -> ApiConversationDetail:
    """A conversation and a page of its messages (100, oldest first); marks it read."""
    shown = await read_conversation(db, request.user, conversation_id, page, MESSAGES_PER_PAGE)
    members = await store.participants(db, [conversation_id])
    return ApiConversationDetail(
        id=conversation_id,
        subject=shown.place.conversation["subject"],
        participants=members[conversation_id],
        messages=[
            ApiMessage(row["id"], row["author_name"], row["body"], row["created_at"])
            for row in shown.messages
        ],
        page=shown.pagination.number,
        has_next=shown.pagination.next is not None,
    )


API_ROUTES: list[ControllerRouterHandler] = [
    Router(
        path="/api",
        route_handlers=[api_send_message, api_inbox, api_conversation],
        include_in_schema=True,
        tags=["Messages"],
    )
]
"""Documented in the API's OpenAPI schema, as the releases' API is (``torrents.api``)."""
