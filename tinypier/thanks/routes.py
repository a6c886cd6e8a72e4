"""Thanking a release: a form button on its topic, and ``POST /api/torrents/{id}/thanks``.

Both answer the same way for a second thanks: nothing changes, and the member is told so
(the API's 200 instead of 201), so a retried call is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, Router, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from tinypier.accounts.guards import require_member
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import _
from tinypier.permissions.rules import can_thank
from tinypier.thanks.queries import thank, thanks_count
from tinypier.thanks.topic_part import THANKS_BOX
from tinypier.torrents.releases import visible_release
from tinypier.web.api_schema import MEMBER_TOKEN, error_responses
from tinypier.web.extensions import Feature
from tinypier.web.pages import redirect, route

ViewerRequest = Request[Viewer, Any, Any]


@dataclass
class ApiThanks:
    thanks: int
    thanked: bool


async def _thank_release(db: Database, viewer: Viewer, torrent_id: int) -> tuple[int, bool]:
    """(the release's topic, whether this thanks is new): 404 for a release the member may
    not view, 403 for its uploader."""
    release = await visible_release(db, viewer, torrent_id)
    if not can_thank(viewer, release) or viewer.id is None:
        raise PermissionDeniedException(_("You cannot thank your own release."))
    return release["topic_id"], await thank(db, torrent_id, viewer.id)


@post("/torrents/{torrent_id:int}/thanks", name="thanks:thank", guards=[require_member])
async def thank_release(
    request: ViewerRequest, db: NamedDependency[Database], torrent_id: FromPath[int]
) -> Redirect:
    topic_id, new = await _thank_release(db, request.user, torrent_id)
    topic = route(request, "forum:topic", topic_id=topic_id)
    if new:
        return redirect(topic, _("Thank you: the uploader will see it."), "success")
    return redirect(topic, _("You have already thanked this release."))


@post(
    "/torrents/{torrent_id:int}/thanks",
    summary="Thank a release",
    guards=[require_member],
    security=MEMBER_TOKEN,
    responses=error_responses(401, 403, 404),
)
async def api_thank_release(
    request: ViewerRequest, db: NamedDependency[Database], torrent_id: FromPath[int]
) -> Response[ApiThanks]:
    """Thank a release: 201 when this is the caller's first thanks, 200 when it was not."""
    _topic_id, new = await _thank_release(db, request.user, torrent_id)
    count = await thanks_count(db, torrent_id)
    return Response(
        ApiThanks(thanks=count, thanked=True),
        status_code=HTTP_201_CREATED if new else HTTP_200_OK,
    )


# Documented in the API's OpenAPI schema, as the releases' API is (``torrents.api``).
API_ROUTER = Router(
    path="/api", route_handlers=[api_thank_release], include_in_schema=True, tags=["Releases"]
)

FEATURE = Feature("thanks", (thank_release, API_ROUTER), topic_extensions=(THANKS_BOX,))
