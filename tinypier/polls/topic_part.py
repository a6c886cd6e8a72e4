"""What polls add to a topic page: the poll box above the posts, and "Add a poll" under
the opening post for whoever may add one.

Vote counts leave this module only when the viewer may see them (they voted, or the poll
is closed), so no template slip can show results early.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.queries import first_post_id
from tinypier.permissions.rules import can_add_poll, can_moderate, can_vote
from tinypier.polls.clock import now
from tinypier.polls.queries import (
    chosen_options,
    option_results,
    poll_of_topic,
    voted_without_choice,
    voter_count,
)
from tinypier.settings import Settings
from tinypier.web.extensions import Slot, TopicExtension


def is_closed(poll: sqlite3.Row, moment: int) -> bool:
    """Closed by a moderator, or past its end date."""
    ends_at = poll["ends_at"]
    return poll["closed_at"] is not None or (ends_at is not None and ends_at <= moment)


@dataclass(frozen=True)
class OptionLine:
    position: int
    text: str
    chosen: bool
    # None while the viewer may not see results.
    votes: int | None


@dataclass(frozen=True)
class PollBox:
    topic_id: int
    question: str
    max_choices: int
    ends_at: int | None
    options: list[OptionLine]
    voters: int
    closed: bool
    voted: bool
    may_vote: bool
    show_results: bool
    may_edit: bool
    may_moderate: bool

    def percent(self, votes: int) -> str:
        """An option's share of the voters (a multiple-choice poll's shares add up past 100%)."""
        return f"{100 * votes / self.voters:.0f}%" if self.voters else "0%"


async def poll_box(
    db: Database, viewer: Viewer, topic: sqlite3.Row, _settings: Settings
) -> PollBox | None:
    poll = await poll_of_topic(db, topic["id"])
    if poll is None:
        return None
    closed = is_closed(poll, now())
    chosen = set() if viewer.id is None else await chosen_options(db, poll["id"], viewer.id)
    without_choice = viewer.id is not None and await voted_without_choice(db, poll["id"], viewer.id)
    voted = bool(chosen) or without_choice
    voters = await voter_count(db, poll["id"])
    show_results = voted or closed
    may_vote = (
        can_vote(viewer, topic)
        and not closed
        and (not voted or (poll["allow_change"] and not without_choice))
    )
    options = [
        OptionLine(
            row["position"],
            row["text"],
            row["id"] in chosen,
            row["votes"] if show_results else None,
        )
        for row in await option_results(db, poll["id"])
    ]
    return PollBox(
        topic_id=topic["id"],
        question=poll["question"],
        max_choices=poll["max_choices"],
        ends_at=poll["ends_at"],
        options=options,
        voters=voters,
        closed=closed,
        voted=voted,
        may_vote=bool(may_vote),
        show_results=show_results,
        may_edit=can_add_poll(viewer, topic) and voters == 0 and not closed,
        may_moderate=can_moderate(viewer, topic),
    )


@dataclass(frozen=True)
class PollInvite:
    """The "Add a poll" link under the topic's opening post."""

    topic_id: int
    first_post_id: int | None


async def poll_invite(
    db: Database, viewer: Viewer, topic: sqlite3.Row, _settings: Settings
) -> PollInvite | None:
    if not can_add_poll(viewer, topic) or await poll_of_topic(db, topic["id"]) is not None:
        return None
    return PollInvite(topic["id"], await first_post_id(db, topic["id"]))


POLL_BOX = TopicExtension("poll", Slot.ABOVE_POSTS, "polls/poll_box.html", poll_box)
ADD_POLL = TopicExtension("add poll", Slot.POST_ACTIONS, "polls/add_poll.html", poll_invite)
