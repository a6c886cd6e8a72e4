"""What a demo board is made of: its size, within bounds, and the report of what it made.

Kept apart from :mod:`tinypier.demo.board` so that the command line can state the bounds
without importing the board code (every ``tinypier`` command would pay for it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tinypier.demo.texts import STAFF_NAMES

# The admin, the moderators and at least a few plain members.
MIN_MEMBERS = 1 + len(STAFF_NAMES) + 4
MAX_MEMBERS = 1000
MIN_TOPICS = 3
MAX_TOPICS = 2000
"""Bounds of ``--members`` and ``--topics``: the largest demo fills in about a minute."""

DEFAULT_MEMBERS = 24
DEFAULT_TOPICS = 36
RELEASE_EVERY = 3  # one topic in three is a release


@dataclass(frozen=True)
class DemoSize:
    members: int = DEFAULT_MEMBERS
    topics: int = DEFAULT_TOPICS

    @property
    def releases(self) -> int:
        return max(1, self.topics // RELEASE_EVERY)

    @property
    def discussions(self) -> int:
        return self.topics - self.releases


@dataclass(frozen=True)
class DemoReport:
    """What the demo made, with the passwords to log in with (shown once)."""

    admin: str
    admin_password: str
    member_password: str
    moderators: list[str]
    members: int
    categories: int
    forums: int
    topics: int
    posts: int
    releases: int
    seeders: int
    leechers: int
    snatches: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)
