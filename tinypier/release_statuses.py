"""Release statuses and freeleech levels: the one list the site, the tracker and the
permission policy use.

This is shared vocabulary, not part of the releases feature: the policy
(``tinypier.permissions``) asks whether a release is frozen and the tracker refuses its
announces, and neither may depend on a feature package (``tests/permissions/test_layering.py``),
so the words live here, a leaf importing nothing but ``tinypier.i18n``.

A moderator's verdict on a release is one word. The frozen ones stop the release for
everybody at once: no download of the .torrent and no announce, so a duplicate or a
closed release cannot keep a swarm alive. "Needs editing" is deliberately NOT frozen:
it asks the uploader to fix the description while members keep downloading and seeding,
as TorrentPier did; freezing it would punish the swarm for a typo in a post.
"""

from __future__ import annotations

from tinypier.i18n import N_

NOT_CHECKED = "not_checked"
CHECKED = "checked"
NEEDS_EDITING = "needs_editing"
DUPLICATE = "duplicate"
CLOSED = "closed"
CONSUMED = "consumed"

STATUS_LABELS: dict[str, str] = {
    NOT_CHECKED: N_("Not checked"),
    CHECKED: N_("Checked"),
    NEEDS_EDITING: N_("Needs editing"),
    DUPLICATE: N_("Duplicate"),
    CLOSED: N_("Closed"),
    CONSUMED: N_("Consumed by another release"),
}

FROZEN_STATUSES: frozenset[str] = frozenset({DUPLICATE, CLOSED, CONSUMED})

NO_FREELEECH = "none"
SILVER = "silver"
GOLD = "gold"

FREELEECH_LABELS: dict[str, str] = {
    NO_FREELEECH: N_("Normal"),
    SILVER: N_("Silver: half the download counted"),
    GOLD: N_("Gold: download not counted"),
}


def is_frozen(status: str) -> bool:
    return status in FROZEN_STATUSES
