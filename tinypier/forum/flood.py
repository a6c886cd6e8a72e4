"""Per-member flood control for new posts (topics, replies and releases, pages and API)
and for previews.

Two rules, both settings: a member waits ``post_interval_seconds`` between two posts, and
writes at most ``posts_per_hour`` in any rolling hour. Without them one script posted
1,759 replies in four seconds. Edits are not counted: they add nothing to anyone's
unread list.

A preview writes nothing, but renders up to ``post_max_chars`` of BBCode, tens of
milliseconds of CPU each for a pathological body: one member previewing back to back kept
a core busy and raised everyone's p99 fifteenfold (bench/soak.py). So a member previews at
most ``previews_per_minute`` times in any minute.

Moderators and admins are exempt: they are few, accountable, and sometimes must act in
bursts (splitting a thread, posting notices across forums); a limit that stops a
moderator mid-cleanup would protect nobody.

The counting is ``tinypier.flood``'s, shared with private messages; this module words
it for posts. Kept in memory like the login limiter (``accounts.rate_limit``): TinyPier
is one process, and a limit that resets on restart still stops a flood.
"""

from __future__ import annotations

import time
from typing import Any

from litestar import Request
from litestar.datastructures import State

from tinypier.accounts.rate_limit import AttemptLimiter, Clock, limiter_in_state, made_once
from tinypier.accounts.viewer import Viewer
from tinypier.flood import FloodLimiter, Rule
from tinypier.i18n import _, ngettext
from tinypier.settings import Settings

HOUR_SECONDS = 3600.0
STATE_KEY = "post_limiter"
PREVIEW_STATE_KEY = "preview_limiter"


class PostLimiter:
    """The shared flood limiter (``tinypier.flood``) over a rolling hour, worded for posts."""

    def __init__(self, interval: float, per_hour: int, clock: Clock = time.monotonic) -> None:
        self._limiter = FloodLimiter(interval, per_hour, HOUR_SECONDS, clock)

    def admit(self, member_id: int) -> str | None:
        """Count a post now; or, when it must wait, the reason and how long, counting nothing."""
        wait = self._limiter.admit(member_id)
        if wait is None:
            return None
        if wait.rule is Rule.INTERVAL:
            return _(
                "You are posting too fast. Wait %(wait)s before posting again.",
                wait=wait.phrase,
            )
        return ngettext(
            "You have written %(num)s post in the last hour, the most allowed."
            " Wait %(wait)s before posting again.",
            "You have written %(num)s posts in the last hour, the most allowed."
            " Wait %(wait)s before posting again.",
            self._limiter.cap,
            wait=wait.phrase,
        )

    def follow(self, interval: float, per_hour: int) -> None:
        """Apply new rules (changed on the web), keeping the posts already counted."""
        self._limiter.interval = interval
        self._limiter.cap = per_hour

    def give_back(self, member_id: int) -> None:
        """Uncount the last admitted post: it was refused for another reason (a release
        whose torrent was invalid) and should not make the member wait."""
        self._limiter.give_back(member_id)


def limiter_of(state: State, settings: Settings) -> PostLimiter:
    """The application's limiter, made on first use (tests may put their own in state)."""
    return made_once(
        state,
        STATE_KEY,
        lambda: PostLimiter(settings.post_interval_seconds, settings.posts_per_hour),
    )


def follow_settings(state: State, settings: Settings) -> None:
    """Apply intervals an admin changed on the web (``site_settings``) to the limiters
    already made, keeping the posts they counted: a stricter rule holds at once."""
    limiter: PostLimiter | None = state.get(STATE_KEY)
    if limiter is not None:
        limiter.follow(settings.post_interval_seconds, settings.posts_per_hour)
    previews: AttemptLimiter | None = state.get(PREVIEW_STATE_KEY)
    if previews is not None:
        previews.limit = settings.previews_per_minute


def _counted_member(request: Request[Viewer, Any, Any]) -> int | None:
    """The member whose posts count, or None for the exempt (staff)."""
    viewer = request.user
    return None if viewer.is_moderator else viewer.id


def admit_post(request: Request[Viewer, Any, Any]) -> str | None:
    """None when the requester may post now (and the post is counted), else why not."""
    member_id = _counted_member(request)
    if member_id is None:
        return None
    state = request.app.state
    return limiter_of(state, state.settings).admit(member_id)


def give_back_post(request: Request[Viewer, Any, Any]) -> None:
    """Undo ``admit_post`` for a post that was refused after all."""
    member_id = _counted_member(request)
    if member_id is not None:
        limiter_of(request.app.state, request.app.state.settings).give_back(member_id)


def preview_limiter_of(state: State, settings: Settings) -> AttemptLimiter:
    """The application's preview limiter, made on first use."""
    return limiter_in_state(state, PREVIEW_STATE_KEY, settings.previews_per_minute)


def admit_preview(request: Request[Viewer, Any, Any]) -> str | None:
    """None when the requester may preview now (and the preview is counted), else why not."""
    member_id = _counted_member(request)
    if member_id is None:
        return None
    state = request.app.state
    limiter = preview_limiter_of(state, state.settings)
    if limiter.attempt(str(member_id)):
        return None
    return ngettext(
        "You have previewed %(num)s time in the last minute, the most allowed."
        " Wait a minute before previewing again.",
        "You have previewed %(num)s times in the last minute, the most allowed."
        " Wait a minute before previewing again.",
        limiter.limit,
    )
