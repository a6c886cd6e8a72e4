"""Adding, editing, voting in, closing and deleting a topic's poll.

A topic has at most one poll, so every route is under the topic. Each starts from
``viewable_topic``: a poll in a forum hidden from the viewer does not exist for them.
Refusals are clear messages and change nothing.
"""

from __future__ import annotations

import math
import sqlite3
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT

from tinypier.accounts.guards import require_member, require_moderator
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.forms import FORM
from tinypier.i18n import _, ngettext
from tinypier.permissions.lookup import viewable_topic
from tinypier.permissions.rules import can_add_poll, can_moderate, can_vote
from tinypier.polls.clock import now
from tinypier.polls.queries import (
    CHANGE_AFTER_VOTES,
    PollChangeRefused,
    close_poll,
    create_poll,
    delete_poll,
    option_results,
    poll_of_topic,
    record_vote,
    update_poll,
    voter_count,
)
from tinypier.polls.spec import SECONDS_PER_DAY, PollForm, PollSpec, read_poll
from tinypier.polls.topic_part import ADD_POLL, POLL_BOX, is_closed
from tinypier.settings import Settings
from tinypier.web.extensions import Feature
from tinypier.web.numbers import whole_number
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]
PollData = Annotated[PollForm, FORM]
FORM_TEMPLATE = "polls/poll_form.html"


def topic_page(request: ViewerRequest, topic_id: int) -> str:
    return route(request, "forum:topic", topic_id=topic_id)


async def _poll(db: Database, topic_id: int) -> sqlite3.Row:
    poll = await poll_of_topic(db, topic_id)
    if poll is None:
        raise NotFoundException(_("This topic has no poll."))
    return poll


async def _form_of(db: Database, poll: sqlite3.Row) -> PollForm:
    """The stored poll as its form, to edit; the end as the days left, rounded up."""
    options = await option_results(db, poll["id"])
    days = ""
    if poll["ends_at"] is not None:
        days = str(max(1, math.ceil((poll["ends_at"] - now()) / SECONDS_PER_DAY)))
    return PollForm(
        question=poll["question"],
        options="\n".join(option["text"] for option in options),
        max_choices=str(poll["max_choices"]),
        days=days,
        allow_change="on" if poll["allow_change"] else None,
    )


class PollFormController(Controller):
    """Add a poll to a topic, or edit it until the first vote: the topic's starter, or a
    moderator."""

    path = "/topics/{topic_id:int}/poll"
    guards = [require_member]

    async def _editable(
        self, db: Database, viewer: Viewer, topic_id: int
    ) -> tuple[sqlite3.Row, sqlite3.Row | None]:
        topic = await viewable_topic(db, viewer, topic_id)
        if not can_add_poll(viewer, topic):
            raise PermissionDeniedException(_("Only the topic's starter may add a poll to it."))
        poll = await poll_of_topic(db, topic_id)
        if poll is not None and (is_closed(poll, now()) or await voter_count(db, poll["id"])):
            raise ClientException(_(CHANGE_AFTER_VOTES), status_code=HTTP_409_CONFLICT)
        return topic, poll

    def _render(
        self,
        request: ViewerRequest,
        topic: sqlite3.Row,
        form: PollForm,
        *,
        editing: bool,
        problems: list[str] | None = None,
    ) -> Template:
        return render(
            request,
            FORM_TEMPLATE,
            status_code=400 if problems else 200,
            topic=topic,
            form=form,
            editing=editing,
            problems=problems or [],
        )

    @get(name="polls:form")
    async def form(
        self, request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
    ) -> Template:
        topic, poll = await self._editable(db, request.user, topic_id)
        form = PollForm() if poll is None else await _form_of(db, poll)
        return self._render(request, topic, form, editing=poll is not None)

    @post(name="polls:save")
    async def save(
        self,
        request: ViewerRequest,
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        topic_id: FromPath[int],
        data: PollData,
    ) -> Template | Redirect:
        topic, poll = await self._editable(db, request.user, topic_id)
        spec = read_poll(data, settings)
        if not isinstance(spec, PollSpec):
            return self._render(request, topic, data, editing=poll is not None, problems=spec)
        try:
            if poll is None:
                await create_poll(db, topic_id, spec, now())
            else:
                await update_poll(db, poll["id"], spec, now())
        except PollChangeRefused as refusal:
            raise ClientException(str(refusal), status_code=HTTP_409_CONFLICT) from None
        return redirect(topic_page(request, topic_id), _("The poll is saved."), "success")


def _chosen_positions(values: list[str], option_count: int, max_choices: int) -> list[int]:
    """The option positions ticked, or a clear refusal."""
    positions = {whole_number(value) for value in values}
    if not positions:
        raise ClientException(_("Choose an option to vote for."))
    if None in positions or not positions <= set(range(1, option_count + 1)):
        raise ClientException(_("Choose among the poll's own options."))
    if len(positions) > max_choices:
        raise ClientException(
            ngettext(
                "You may choose at most %(num)s option.",
                "You may choose at most %(num)s options.",
                max_choices,
            )
        )
    return sorted(position for position in positions if position is not None)


@post("/topics/{topic_id:int}/poll/vote", name="polls:vote", guards=[require_member])
async def vote(
    request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
) -> Redirect:
    """Vote (field ``choice``: one option position per ticked box)."""
    viewer = request.user
    topic = await viewable_topic(db, viewer, topic_id)
    poll = await _poll(db, topic_id)
    if not can_vote(viewer, topic) or viewer.id is None:
        raise PermissionDeniedException(_("You may not vote in this topic's poll."))
    if is_closed(poll, now()):
        raise ClientException(_("The poll is closed."), status_code=HTTP_409_CONFLICT)
    options = await option_results(db, poll["id"])
    form = await request.form()
    positions = _chosen_positions(form.getall("choice", []), len(options), poll["max_choices"])
    option_ids = [options[position - 1]["id"] for position in positions]
    try:
        await record_vote(db, poll, viewer.id, option_ids, now())
    except PollChangeRefused as refusal:
        raise ClientException(str(refusal), status_code=HTTP_409_CONFLICT) from None
    return redirect(topic_page(request, topic_id), _("Your vote is counted."), "success")


async def _moderated_poll(
    db: Database, viewer: Viewer, topic_id: int
) -> tuple[sqlite3.Row, sqlite3.Row, int]:
    """The topic, its poll and the moderator's id, or a refusal."""
    topic = await viewable_topic(db, viewer, topic_id)
    if not can_moderate(viewer, topic) or viewer.id is None:
        raise PermissionDeniedException(_("You do not have permission to do that."))
    return topic, await _poll(db, topic_id), viewer.id


@post("/topics/{topic_id:int}/poll/close", name="polls:close", guards=[require_moderator])
async def close(
    request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
) -> Redirect:
    """Close the poll now: no more votes, and everyone sees the results."""
    topic, poll, moderator_id = await _moderated_poll(db, request.user, topic_id)
    await close_poll(db, poll, topic, moderator_id, now())
    return redirect(topic_page(request, topic_id), _("The poll is closed."), "success")


@post("/topics/{topic_id:int}/poll/delete", name="polls:delete", guards=[require_moderator])
async def delete(
    request: ViewerRequest, db: NamedDependency[Database], topic_id: FromPath[int]
) -> Redirect:
    """Delete the poll with its votes; the topic stays."""
    topic, poll, moderator_id = await _moderated_poll(db, request.user, topic_id)
    await delete_poll(db, poll, topic, moderator_id)
    return redirect(topic_page(request, topic_id), _("The poll is deleted."), "success")


FEATURE = Feature(
    "polls", (PollFormController, vote, close, delete), topic_extensions=(POLL_BOX, ADD_POLL)
)
