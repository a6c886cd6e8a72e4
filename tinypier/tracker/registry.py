"""Cached passkey -> member and info hash -> release lookups.

Entries are dropped at once when the web side reports a change (``tinypier.events``), and
expire after ``ttl`` seconds anyway, so a change made by the CLI in another process takes
effect within a minute. Misses are answered by a plain ``sqlite3`` connection on the
event loop's thread: an indexed lookup takes microseconds, less than a hop to a thread.
A v1 hash and the first 20 bytes of a v2 hash (BEP 52) both lead to the same release.

A release is found only for a member who may download it (``tinypier.permissions``): for
anyone else it is "unregistered", exactly like a hash nobody registered, so announce and
scrape reveal nothing the release's page would hide. Each entry caches the least role
rank its forum asks for and the forum, and each member the forums their groups let them
download from (``permissions.grants``), so the check costs one comparison and, for a
member of such a group, one set lookup (``permissions.rules.may_announce``). The web side
drops a release when the forum's roles change or its topic moves
(``changes.torrent_changed``), and a member when their groups or a group's grants change
(``changes.user_changed``).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import Any, Generic, NamedTuple, TypeVar

from tinypier.accounts.roles import Role
from tinypier.permissions.grants import Right
from tinypier.permissions.hit_and_run import active_count_sql
from tinypier.permissions.rules import least_role_to_download, may_announce
from tinypier.permissions.sql import live_release_clause

DEFAULT_TTL_SECONDS = 60.0


# A release with the roles of the forum its topic is in (torrents.forum_id follows the
# topic, migration 0004); a release whose topic a moderator deleted is not registered.
_RELEASE_SQL = (
    "SELECT t.id, t.status, t.freeleech, f.view_role, f.download_role, f.id"  # noqa: S608
    " FROM torrents t JOIN forums f ON f.id = t.forum_id"
    f" WHERE {live_release_clause('t')}"
)

_MEMBER_SQL = (
    "SELECT id, disabled, role, uploaded, downloaded,"  # noqa: S608 - a subquery of ours
    f" {active_count_sql('users.id')} FROM users WHERE passkey = ?"
)


class Member(NamedTuple):
    """A passkey's member. ``uploaded``, ``downloaded`` and the count of active
    ``hit_and_runs`` are as of the lookup (at most ``ttl`` old): the ratio and hit-and-run
    rules read them without a query per announce."""

    id: int
    disabled: bool
    rank: int
    uploaded: int = 0
    downloaded: int = 0
    hit_and_runs: int = 0
    # The forums where the member's groups grant download beyond their role.
    download_forums: tuple[int, ...] = ()


# The forums a member's groups let them download from (``permissions.grants``): their
# memberships by primary key, each group's grants by theirs.
_DOWNLOAD_FORUMS_SQL = (
    "SELECT DISTINCT g.forum_id FROM group_members m"
    " JOIN group_grants g ON g.group_id = m.group_id"
    " WHERE m.user_id = ? AND m.status IN ('member', 'leader') AND g.permission = ?"
)


class Release(NamedTuple):
    id: int
    status: str
    freeleech: str
    least_rank: int
    forum_id: int = 0


CachedTuple = TypeVar("CachedTuple", bound=tuple[Any, ...])


class _Cache(Generic[CachedTuple]):
    """A dict whose entries expire, with an index from owner id to keys for invalidation.

    It holds nothing the garbage collector walks: each entry is one flat tuple, the
    value's fields (numbers, strings, a tuple of numbers) then its expiry time, which
    CPython stops tracking once a collection has seen it (a tuple holding another tuple
    may need a second collection), and the value is rebuilt as its named tuple on the way
    out; the keys of each owner are tuples of strings. With dataclasses, a
    tuple per entry and a set per owner, a board's worth of cached members and releases
    (150,000 entries at a million peers) was some 600,000 objects that every full
    collection walked, and those collections came every few seconds while entries
    expired and were refreshed: 40-120 ms pauses of the event loop, the large board's p99."""

    def __init__(
        self,
        make: Callable[[Iterable[Any]], CachedTuple],
        ttl: float,
        clock: Callable[[], float],
    ) -> None:
        self._make = make
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[object, tuple[Any, ...]] = {}
        self._keys_by_id: dict[int, tuple[object, ...]] = {}

    def get(self, key: object) -> CachedTuple | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[-1] < self._clock():
            self._entries.pop(key, None)
            return None
        return self._make(entry[:-1])

    def put(self, key: object, owner_id: int, value: CachedTuple) -> None:
        self._entries[key] = (*value, self._clock() + self._ttl)
        keys: tuple[object, ...] = self._keys_by_id.get(owner_id, ())
        if key not in keys:
            self._keys_by_id[owner_id] = (*keys, key)

    def forget(self, owner_id: int) -> None:
        for key in self._keys_by_id.pop(owner_id, ()):
            self._entries.pop(key, None)


class Registry:
    def __init__(
        self,
        connection: sqlite3.Connection,
        ttl: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connection = connection
        self._members: _Cache[Member] = _Cache(Member._make, ttl, clock)
        self._releases: _Cache[Release] = _Cache(Release._make, ttl, clock)

    def member(self, passkey: str) -> Member | None:
        member = self._members.get(passkey)
        if member is None:
            row = self._connection.execute(_MEMBER_SQL, (passkey,)).fetchone()
            if row is None:
                return None
            forums = self._connection.execute(
                _DOWNLOAD_FORUMS_SQL, (row[0], Right.DOWNLOAD.value)
            ).fetchall()
            member = Member(
                row[0],
                bool(row[1]),
                int(Role.parse(row[2])),
                row[3],
                row[4],
                row[5],
                tuple(sorted(forum[0] for forum in forums)),
            )
            self._members.put(passkey, member.id, member)
        return member

    def release(self, info_hash: bytes, member: Member) -> Release | None:
        """The release announced, or None when no release has this hash or neither the
        member's role nor their groups let them download it (the same answer, so a
        hidden release does not leak)."""
        release = self._releases.get(info_hash)
        if release is None:
            row = self._find_release(info_hash)
            if row is None:
                return None
            rank = int(least_role_to_download(row[3], row[4]))
            release = Release(row[0], row[1], row[2], rank, row[5])
            self._releases.put(info_hash, release.id, release)
        allowed = may_announce(
            member.rank, release.least_rank, release.forum_id, member.download_forums
        )
        return release if allowed else None

    def _find_release(self, info_hash: bytes) -> sqlite3.Row | None:
        """By v1 hash, else by v2 hash prefix (a range scan on the unique index works
        whether the full 32-byte SHA-256 or only its first 20 bytes is stored)."""
        row: sqlite3.Row | None = self._connection.execute(
            _RELEASE_SQL + " AND t.info_hash = ?", (info_hash,)
        ).fetchone()
        if row is None:
            row = self._connection.execute(
                _RELEASE_SQL + " AND t.info_hash_v2 >= ? AND t.info_hash_v2 <= ?",
                (info_hash, info_hash + b"\xff" * 12),
            ).fetchone()
        return row

    def forget_member(self, user_id: int) -> None:
        self._members.forget(user_id)

    def forget_release(self, torrent_id: int) -> None:
        self._releases.forget(torrent_id)
