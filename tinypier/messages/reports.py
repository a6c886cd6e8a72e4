"""Reported messages, for moderators: the one way staff read anything private.

While a report is open, moderators and admins read the reported message and at most
``store.REPORT_CONTEXT_MESSAGES`` messages before it in its conversation: enough to
judge it, and never what follows. A closed report shows nothing any more. Admins can
remove a member from the reported conversation from here, without reading the rest.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath
from litestar.response import Redirect, Template

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import _
from tinypier.messages import store
from tinypier.permissions.lookup import NotVisible
from tinypier.permissions.messages import can_read_reported_messages
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]


def may_read_reports(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    """The policy's answer as a guard: guests log in, other members are refused."""
    viewer: Viewer = connection.user
    if not viewer.is_member:
        raise NotAuthorizedException(_("Log in to continue."))
    if not can_read_reported_messages(viewer):
        raise PermissionDeniedException(_("You do not have permission to do that."))


class ReportsController(Controller):
    path = "/moderation/message-reports"
    guards = [may_read_reports]

    @get(name="messages:reports")
    async def reports(self, request: ViewerRequest, db: NamedDependency[Database]) -> Template:
        return render(request, "messages/reports.html", reports=await store.open_reports(db))

    @get("/{report_id:int}", name="messages:report_detail")
    async def report(
        self, request: ViewerRequest, db: NamedDependency[Database], report_id: FromPath[int]
    ) -> Template:
        row = await store.open_report(db, report_id)
        if row is None:
            raise NotVisible(_("There is no such open report."))
        return render(
            request,
            "messages/report.html",
            report=row,
            context=await store.report_context(db, row["conversation_id"], row["message_id"]),
            members=await store.member_list(db, row["conversation_id"]),
        )

    @post("/{report_id:int}/close", name="messages:close_report")
    async def close(
        self, request: ViewerRequest, db: NamedDependency[Database], report_id: FromPath[int]
    ) -> Redirect:
        """Close a report: its message is private again."""
        if not await store.close_report(db, report_id, request.user.id or 0):
            raise NotVisible(_("There is no such open report."))
        return redirect(route(request, "messages:reports"), _("The report is closed."), "success")
