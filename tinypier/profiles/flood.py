"""How often a member may upload an avatar: at most ``avatar_uploads_per_hour`` in any
rolling hour.

Each upload is decoded, shrunk and re-encoded (``tinypier.profiles.images``), tens of
milliseconds of CPU for a large photo, and each new picture is another file in the store
until nobody uses it; one member changing their avatar in a loop would cost both without
end. A member choosing a picture tries a few; ten an hour leaves room for that.

Every upload counts, a refused one too: refusing an image is the same decoding work the
limit bounds. Removing an avatar is not counted. Staff are not exempt: unlike posting, no
moderator's duty means changing their own picture in a burst.

The counting is ``tinypier.flood``'s, shared with posts and private messages; kept in
memory, like theirs.
"""

from __future__ import annotations

from litestar.datastructures import State

from tinypier.accounts.rate_limit import made_once
from tinypier.flood import FloodLimiter
from tinypier.i18n import ngettext
from tinypier.settings import Settings

HOUR_SECONDS = 3600.0
STATE_KEY = "avatar_limiter"


def limiter_of(state: State, settings: Settings) -> FloodLimiter:
    """The application's avatar limiter, made on first use (tests may put their own)."""
    return made_once(
        state, STATE_KEY, lambda: FloodLimiter(0, settings.avatar_uploads_per_hour, HOUR_SECONDS)
    )


def admit_avatar_upload(state: State, settings: Settings, member_id: int) -> str | None:
    """None when the member may upload an avatar now (and the upload is counted), else
    why not and how long to wait."""
    limiter = limiter_of(state, settings)
    wait = limiter.admit(member_id)
    if wait is None:
        return None
    return ngettext(
        "You have uploaded %(num)s avatar in the last hour, the most allowed."
        " Wait %(wait)s before uploading another.",
        "You have uploaded %(num)s avatars in the last hour, the most allowed."
        " Wait %(wait)s before uploading another.",
        limiter.cap,
        wait=wait.phrase,
    )
