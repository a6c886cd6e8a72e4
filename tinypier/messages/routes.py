"""The private messages' pages: inbox, conversations, writing, leaving, blocking, reporting.

Every route needs a member who may message (``access.may_message``); each asks the policy
(``tinypier.permissions.messages``) through ``access`` before it reads or writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from tinypier.accounts.forms import Form
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.pagination import page_of
from tinypier.i18n import _
from tinypier.messages import store
from tinypier.messages.access import (
    Place,
    may_message,
    readable_conversation,
    readable_message,
    writable_conversation,
)
from tinypier.messages.badge import count_as_read
from tinypier.messages.forms import (
    BlockForm,
    NewMessageForm,
    ParticipantForm,
    ReplyForm,
    ReportForm,
)
from tinypier.messages.reading import inbox_page, read_conversation
from tinypier.messages.reports import ReportsController
from tinypier.messages.sending import (
    MessageRefused,
    check_reason,
    member_to_block,
    recipient_names,
    send_new,
    send_reply,
)
from tinypier.notifications.badge import count_notices_read
from tinypier.permissions.lookup import NotVisible
from tinypier.permissions.messages import can_remove_participant, can_report_message
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]
CONVERSATIONS_PER_PAGE = 50
MESSAGES_PER_PAGE = 25
FORM_TEMPLATE = "messages/form.html"


def quote_markup(author_name: str, body: str) -> str:
    return f"[quote={author_name}]{body.strip()}[/quote]\n"


def message_url(
    request: ViewerRequest, conversation_id: int, message_id: int, page: int | str = "last"
) -> str:
    """Where a message is read: its conversation's page (the last, for a new message)."""
    path = route(request, "messages:conversation", conversation_id=conversation_id)
    return f"{path}?page={page}#message-{message_id}"


@dataclass(frozen=True)
class MessageForm:
    """The one writing form: a new conversation (with recipients and subject) or a reply."""

    heading: str
    action: str
    with_recipients: bool

    def render(
        self,
        request: ViewerRequest,
        form: NewMessageForm,
        problem: str | None = None,
        status: int = 200,
    ) -> Template:
        return render(
            request,
            FORM_TEMPLATE,
            status_code=status,
            heading=self.heading,
            action=self.action,
            with_recipients=self.with_recipients,
            form=form,
            problems=[problem] if problem else [],
        )


def new_message_form(request: ViewerRequest) -> MessageForm:
    return MessageForm(_("New message"), route(request, "messages:send"), True)


def reply_form(request: ViewerRequest, place: Place) -> MessageForm:
    conversation = place.conversation
    action = route(request, "messages:reply", conversation_id=conversation["id"])
    return MessageForm(_("Reply to %(subject)s", subject=conversation["subject"]), action, False)


class MessagesController(Controller):
    path = "/messages"
    guards = [may_message]

    @get(name="messages:inbox")
    async def inbox(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        page: FromQuery[str | None] = None,
    ) -> Template:
        shown = await inbox_page(db, request.user.id or 0, page, CONVERSATIONS_PER_PAGE)
        return render(
            request,
            "messages/inbox.html",
            conversations=shown.conversations,
            members=shown.participants,
            pagination=shown.pagination,
        )

    @get("/new", name="messages:new_form")
    async def new_form(self, request: ViewerRequest, to: FromQuery[str] = "") -> Template:
        return new_message_form(request).render(request, NewMessageForm(to=to))

    @post("/new", name="messages:send")
    async def send(self, request: ViewerRequest, data: Form[NewMessageForm]) -> Template | Redirect:
        try:
            new = await send_new(request, recipient_names(data.to), data.subject, data.body)
        except MessageRefused as refusal:
            form = new_message_form(request)
            return form.render(request, data, str(refusal), refusal.status_code)
        return redirect(
            message_url(request, new.conversation_id, new.message_id),
            _("Your message is sent."),
            "success",
        )

    @get("/{conversation_id:int}", name="messages:conversation")
    async def conversation(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        conversation_id: FromPath[int],
        page: FromQuery[str | None] = None,
    ) -> Template:
        """A page of the conversation, oldest first; reading it marks it read."""
        viewer = request.user
        shown = await read_conversation(db, viewer, conversation_id, page, MESSAGES_PER_PAGE)
        if shown.marked_read:
            count_as_read(request.scope)
            count_notices_read(request.scope, shown.notices_read)
        place = shown.place
        starter = place.conversation["starter_id"]
        return render(
            request,
            "messages/conversation.html",
            conversation=place.conversation,
            messages=shown.messages,
            members=await store.member_list(db, conversation_id),
            pagination=shown.pagination,
            removed=place.up_to is not None,
            may_remove=can_remove_participant(viewer, starter, place.membership),
            may_report=lambda author_id: can_report_message(viewer, author_id),
        )

    @get("/{conversation_id:int}/reply", name="messages:reply_form")
    async def reply_form(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        conversation_id: FromPath[int],
        quote: FromQuery[int | None] = None,
    ) -> Template:
        """The reply form, prefilled with ``[quote=author]...[/quote]`` when quoting."""
        place = await writable_conversation(db, request.user, conversation_id)
        body = ""
        if quote is not None:
            quoted, _place = await readable_message(db, request.user, quote, conversation_id)
            body = quote_markup(quoted["author_name"], quoted["body"])
        return reply_form(request, place).render(request, NewMessageForm(body=body))

    @post("/{conversation_id:int}/reply", name="messages:reply")
    async def reply(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        conversation_id: FromPath[int],
        data: Form[ReplyForm],
    ) -> Template | Redirect:
        place = await writable_conversation(db, request.user, conversation_id)
        try:
            message_id = await send_reply(request, conversation_id, data.body)
        except MessageRefused as refusal:
            form = NewMessageForm(body=data.body)
            return reply_form(request, place).render(
                request, form, str(refusal), refusal.status_code
            )
        return redirect(
            message_url(request, conversation_id, message_id), _("Your reply is sent."), "success"
        )

    @post("/{conversation_id:int}/leave", name="messages:leave")
    async def leave(
        self, request: ViewerRequest, db: NamedDependency[Database], conversation_id: FromPath[int]
    ) -> Redirect:
        """Delete the conversation for oneself: it leaves the inbox, and new messages in
        it no longer arrive. The others keep it."""
        await readable_conversation(db, request.user, conversation_id)
        await store.leave(db, conversation_id, request.user.id or 0)
        return redirect(
            route(request, "messages:inbox"), _("The conversation is deleted for you."), "success"
        )

    @post("/{conversation_id:int}/remove", name="messages:remove")
    async def remove(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        conversation_id: FromPath[int],
        data: Form[ParticipantForm],
    ) -> Redirect:
        """The starter (or an admin) removes a member, who reads nothing written after."""
        viewer = request.user
        conversation = await store.conversation(db, conversation_id)
        membership = await store.membership(db, conversation_id, viewer.id or 0)
        if conversation is None or (membership is None and not viewer.is_admin):
            raise NotVisible(_("There is no such conversation."))
        if not can_remove_participant(viewer, conversation["starter_id"], membership):
            raise PermissionDeniedException(
                _("Only the member who started the conversation can remove others.")
            )
        back = (
            route(request, "messages:conversation", conversation_id=conversation_id)
            if membership is not None
            else route(request, "messages:reports")
        )
        if data.member_id == viewer.id:
            return redirect(
                back, _("Leave the conversation instead of removing yourself."), "error"
            )
        if not await store.remove_participant(db, conversation_id, data.member_id):
            return redirect(
                back, _("That member is not taking part in this conversation."), "error"
            )
        return redirect(back, _("The member is removed from the conversation."), "success")

    @post("/report/{message_id:int}", name="messages:report")
    async def report(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        message_id: FromPath[int],
        data: Form[ReportForm],
    ) -> Redirect:
        """A reader reports a message someone else wrote: moderators may then read it."""
        viewer = request.user
        row, place = await readable_message(db, viewer, message_id)
        conversation_id = place.conversation["id"]
        position = await store.messages_before(db, conversation_id, message_id)
        back = message_url(
            request, conversation_id, message_id, page_of(position, MESSAGES_PER_PAGE)
        )
        if not can_report_message(viewer, row["author_id"]):
            return redirect(back, _("You cannot report your own message."), "error")
        try:
            check_reason(data.reason)
        except MessageRefused as refusal:
            return redirect(back, str(refusal), "error")
        if not await store.report(db, message_id, viewer.id or 0, data.reason):
            return redirect(back, _("You have already reported this message."), "info")
        return redirect(back, _("The message is reported to the moderators."), "success")

    @get("/blocked", name="messages:blocked")
    async def blocked(self, request: ViewerRequest, db: NamedDependency[Database]) -> Template:
        return self._blocked_page(request, await store.blocked_members(db, request.user.id or 0))

    def _blocked_page(
        self,
        request: ViewerRequest,
        blocked: list[Any],
        problem: str | None = None,
        status: int = 200,
    ) -> Template:
        return render(
            request,
            "messages/blocked.html",
            status_code=status,
            blocked=blocked,
            problems=[problem] if problem else [],
        )

    @post("/blocked", name="messages:block")
    async def block(
        self, request: ViewerRequest, db: NamedDependency[Database], data: Form[BlockForm]
    ) -> Template | Redirect:
        """Block a member by name: their messages to the blocker are refused from now on."""
        viewer = request.user
        try:
            blocked = await member_to_block(db, viewer, data.name)
        except MessageRefused as refusal:
            listed = await store.blocked_members(db, viewer.id or 0)
            return self._blocked_page(request, listed, str(refusal), refusal.status_code)
        await store.block(db, viewer.id or 0, blocked["id"])
        return redirect(
            route(request, "messages:blocked"),
            _("%(name)s can no longer send you messages.", name=blocked["name"]),
            "success",
        )

    @post("/blocked/{member_id:int}/remove", name="messages:unblock")
    async def unblock(
        self, request: ViewerRequest, db: NamedDependency[Database], member_id: FromPath[int]
    ) -> Redirect:
        if not await store.unblock(db, request.user.id or 0, member_id):
            raise NotFoundException(_("You do not block this member."))
        return redirect(route(request, "messages:blocked"), _("The block is lifted."), "success")


ROUTES: list[ControllerRouterHandler] = [MessagesController, ReportsController]
