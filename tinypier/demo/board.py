"""Filling an empty board with the demo's members, forums, topics, releases and swarms."""

from __future__ import annotations

import random
import secrets
import sqlite3
import time
from dataclasses import dataclass

from tinypier.accounts.names import name_problem
from tinypier.accounts.passwords import hash_password
from tinypier.accounts.queries import create_user, insert_user
from tinypier.accounts.roles import Role
from tinypier.db.connection import Database, connect_sync
from tinypier.demo import texts
from tinypier.demo.metainfo import build_torrent
from tinypier.demo.shape import DemoReport, DemoSize
from tinypier.events import ChangeNotifier
from tinypier.forum.posting import create_post, create_topic
from tinypier.forum.queries import create_forum, ensure_category
from tinypier.release_statuses import CHECKED, GOLD, NEEDS_EDITING, NOT_CHECKED, SILVER
from tinypier.settings import Settings
from tinypier.torrents.moderation import set_freeleech, set_status
from tinypier.torrents.registration import ReleaseUpload, register_on_board
from tinypier.tracker.accounting import NO_LEECHER, WithheldCredit
from tinypier.tracker.creditlog import STOPPED, removed_row, saved_row
from tinypier.tracker.protocol import Event
from tinypier.tracker.rules import client_name
from tinypier.tracker.store import Batch, save_and_fold
from tinypier.tracker.swarm import Peer, Swarm, compact, packed_address

MAX_REPLIES = 7
MAX_RELEASE_BYTES = 2 * 1024 * 1024
ADMIN_NAME = "admin"
PEER_ID_PREFIXES = (b"-qB4620-", b"-TR4050-", b"-DE2110-", b"-UT3600-")
# A post every 41 minutes, back from now: the default board spans a few days of activity.
SECONDS_BETWEEN_POSTS = 41 * 60
# The share of a release's members who seed it, leech it, or downloaded it and left; a
# release draws them from at most SWARM_POOL members, so a large board's swarms stay the
# size of a real community's.
SEEDING, LEECHING, SNATCHED_AND_GONE = 0.25, 0.12, 0.2
SWARM_POOL = 120
# The demo board is seeded before the site serves: no tracker has cached a release yet,
# so the moderators' verdicts have nobody to tell.
_NO_TRACKER = ChangeNotifier()


class BoardNotEmpty(Exception):
    """The board already has members or forums: invented ones would mix into it."""

    def __init__(self, members: int, categories: int, forums: int) -> None:
        super().__init__(
            f"the board already has {members} member(s), {categories} category(ies)"
            f" and {forums} forum(s)"
        )


@dataclass
class _People:
    admin_id: int
    staff_ids: list[int]
    member_ids: list[int]
    names: dict[int, str]

    @property
    def everyone(self) -> list[int]:
        return [self.admin_id, *self.staff_ids, *self.member_ids]


@dataclass(frozen=True)
class _Forums:
    discussion_ids: list[int]
    release_ids: list[int]


@dataclass(frozen=True)
class _Release:
    torrent_id: int
    uploader_id: int
    size: int


@dataclass
class _Swarms:
    batch: Batch
    seeders: int = 0
    leechers: int = 0
    snatches: int = 0


async def fill_demo_board(
    db: Database, settings: Settings, size: DemoSize, seed: int
) -> DemoReport:
    """Fill the empty board ``db`` serves; the same seed gives the same board (passwords
    excepted: they come from ``secrets``, as a real board's must)."""
    await _refuse_non_empty(db)
    rng = random.Random(seed)
    admin_password, member_password = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    people = await _add_people(db, settings, size.members, admin_password, member_password)
    forums = await _add_forums(db)
    posts = 0
    for number in range(size.discussions):
        posts += await _add_discussion(db, rng, people, forums, number)
    releases = []
    for number in range(size.releases):
        release, replies = await _add_release(db, settings, rng, people, forums, number)
        releases.append(release)
        posts += 1 + replies
    swarms = _swarms(rng, releases, people, int(time.time()))
    _write(settings, swarms.batch)
    _spread_in_time(settings, int(time.time()))
    return DemoReport(
        admin=ADMIN_NAME,
        admin_password=admin_password,
        member_password=member_password,
        moderators=[people.names[staff] for staff in people.staff_ids],
        members=len(people.everyone),
        categories=len(texts.CATEGORIES),
        forums=len(forums.discussion_ids) + len(forums.release_ids),
        topics=size.topics,
        posts=posts,
        releases=len(releases),
        seeders=swarms.seeders,
        leechers=swarms.leechers,
        snatches=swarms.snatches,
    )


async def _refuse_non_empty(db: Database) -> None:
    row = await db.fetch_one(
        "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM forums),"
        " (SELECT COUNT(*) FROM categories)"
    )
    members, forums, categories = (row[0], row[1], row[2]) if row else (0, 0, 0)
    if members or forums or categories:
        raise BoardNotEmpty(members, categories, forums)


def member_names(count: int) -> list[str]:
    """The staff first, then members; Cyrillic names among them when the board takes
    names outside ASCII, numbered names once the list runs out."""
    cyrillic = [name for name in texts.CYRILLIC_NAMES if name_problem(name) is None]
    pool = [*texts.STAFF_NAMES, *texts.MEMBER_NAMES[:6], *cyrillic, *texts.MEMBER_NAMES[6:]]
    pool += [f"member{number}" for number in range(1, count - len(pool) + 1)]
    return pool[:count]


async def _add_people(
    db: Database, settings: Settings, count: int, admin_password: str, member_password: str
) -> _People:
    """The admin, the moderators, then the members; all but the admin share one password
    (hashed once: hashing is slow on purpose)."""
    admin = await create_user(
        db, ADMIN_NAME, admin_password, Role.ADMIN, invite_quota=settings.invite_quota
    )
    password_hash = await hash_password(member_password)
    people = _People(admin.id, [], [], {admin.id: ADMIN_NAME})
    async with db.transaction() as connection:
        for name in member_names(count - 1):
            is_staff = name in texts.STAFF_NAMES
            role = Role.MODERATOR if is_staff else Role.USER
            member = await insert_user(
                connection, name, password_hash, role, invite_quota=settings.invite_quota
            )
            (people.staff_ids if is_staff else people.member_ids).append(member.id)
            people.names[member.id] = name
    return people


async def _add_forums(db: Database) -> _Forums:
    forums = _Forums([], [])
    for category, category_forums in texts.CATEGORIES:
        category_id = await ensure_category(db, category)
        for name, description, releases in category_forums:
            forum_id = await create_forum(
                db, category_id, name, description=description, allows_releases=releases
            )
            (forums.release_ids if releases else forums.discussion_ids).append(forum_id)
    return forums


async def _add_replies(
    db: Database, rng: random.Random, people: _People, topic_id: int, forum_id: int
) -> int:
    count = rng.randint(0, MAX_REPLIES)
    for _ in range(count):
        quoted = people.names[rng.choice(people.everyone)]
        body = texts.post_body(rng, quoted)
        await create_post(db, topic_id, forum_id, rng.choice(people.everyone), body)
    return count


async def _add_discussion(
    db: Database, rng: random.Random, people: _People, forums: _Forums, number: int
) -> int:
    """A topic and its replies; returns how many posts it holds."""
    title, forum = texts.topic_title(number)
    forum_id = forums.discussion_ids[forum]
    author = people.admin_id if number == 0 else rng.choice(people.everyone)
    body = texts.post_body(rng, people.names[rng.choice(people.everyone)])
    topic = await create_topic(db, forum_id, author, title, body)
    return 1 + await _add_replies(db, rng, people, topic.topic_id, forum_id)


async def _add_release(
    db: Database,
    settings: Settings,
    rng: random.Random,
    people: _People,
    forums: _Forums,
    number: int,
) -> tuple[_Release, int]:
    """A release registered as an upload is, a moderator's verdict on it, and replies."""
    release = texts.release(number)
    content = texts.release_content(rng, release, MAX_RELEASE_BYTES, single_file=number % 2 == 0)
    uploaders = [*people.staff_ids, *people.member_ids[: max(2, len(people.member_ids) // 4)]]
    upload = ReleaseUpload(
        forum_id=forums.release_ids[release.forum],
        uploader_id=rng.choice(uploaders),
        title=release.title,
        description=texts.release_description(rng, release.title, content),
        torrent=build_torrent(content, int(time.time())),
    )
    registered = await register_on_board(db, settings, upload)
    moderator = rng.choice(people.staff_ids)
    verdict = rng.choices((CHECKED, NEEDS_EDITING, NOT_CHECKED), weights=(8, 1, 1))[0]
    if verdict != NOT_CHECKED:
        await set_status(db, moderator, registered.torrent_id, verdict, changes=_NO_TRACKER)
    if rng.random() < 0.2:
        level = rng.choice((GOLD, SILVER))
        await set_freeleech(db, moderator, registered.torrent_id, level, changes=_NO_TRACKER)
    replies = await _add_replies(db, rng, people, registered.topic_id, upload.forum_id)
    size = sum(file.size for file in content.files)
    return _Release(registered.torrent_id, upload.uploader_id, size), replies


def _peer(rng: random.Random, user_id: int, left: int, now: int) -> Peer:
    peer_id = rng.choice(PEER_ID_PREFIXES) + rng.randbytes(12)
    port = rng.randint(1025, 65535)
    address = f"198.51.100.{rng.randint(1, 254)}"  # a documentation range (RFC 5737)
    return Peer(
        user_id=user_id,
        peer_id=peer_id,
        port=port,
        uploaded=0,
        downloaded=0,
        left=left,
        client=client_name(peer_id),
        started_at=now,
        last_announce_at=now,
        compact4=compact(packed_address(address), port),
    )


def _swarms(rng: random.Random, releases: list[_Release], people: _People, now: int) -> _Swarms:
    """Each release's peers, snatches and transfers, as credit-log rows the tracker's
    writer appends for announces; the first release also gets one cheat-log line."""
    swarms = _Swarms(Batch())
    for release in releases:
        others = [member for member in people.everyone if member != release.uploader_id]
        rng.shuffle(others)
        others = others[:SWARM_POOL]
        seeding = round(len(others) * SEEDING * rng.random() * 2)
        leeching = round(len(others) * LEECHING * rng.random() * 2)
        gone = round(len(others) * SNATCHED_AND_GONE * rng.random())
        swarm = Swarm(release.torrent_id, 0, now, set(), registered_at=now)
        _join(swarms, swarm, rng, release.uploader_id, 0, now, credit=(release.size * 3, 0))
        for member in others[:seeding]:
            _snatch(swarms, swarm, member)
            _join(swarms, swarm, rng, member, 0, now, credit=(release.size // 2, release.size))
        for member in others[seeding : seeding + leeching]:
            left = rng.randint(1, release.size)
            _join(swarms, swarm, rng, member, left, now, credit=(0, release.size - left))
        for member in others[seeding + leeching : seeding + leeching + gone]:
            _snatch(swarms, swarm, member)
            credit = (release.size // 3, release.size, 0)
            key = (member, rng.randbytes(20))
            row = removed_row(release.torrent_id, key, STOPPED, credit, True, swarm, now)
            swarms.batch.entry().log(row)
    if releases:
        claimed = WithheldCredit(releases[0].size * 40, 0, 0, 0, NO_LEECHER)
        swarms.batch.entry().withhold(releases[0].torrent_id, people.member_ids[0], claimed, now)
    return swarms


def _join(
    swarms: _Swarms,
    swarm: Swarm,
    rng: random.Random,
    member: int,
    left: int,
    now: int,
    credit: tuple[int, int],
) -> None:
    """A peer joins the swarm; it completed the release if it was counted a snatcher."""
    peer = _peer(rng, member, left, now)
    swarm.add(peer)
    seeding_seconds = rng.randint(3600, 30 * 86400) if left == 0 else 0
    snatched = member in swarm.snatchers
    row = saved_row(swarm.torrent_id, peer, Event.STARTED, (*credit, seeding_seconds),
                    snatched, swarm, now)  # fmt: skip
    swarms.batch.entry().log(row)
    if left == 0:
        swarms.seeders += 1
    else:
        swarms.leechers += 1


def _snatch(swarms: _Swarms, swarm: Swarm, member: int) -> None:
    swarm.snatchers.add(member)
    swarm.completed += 1
    swarms.snatches += 1


def _write(settings: Settings, batch: Batch) -> None:
    """Through the tracker's own log and fold, as if its clients had announced."""
    save_and_fold(
        settings.database_path, settings.credit_log_path, batch, settings.cheat_log_max_rows
    )


def _spread_in_time(settings: Settings, now: int) -> None:
    """Move the posts back in time, one every ``SECONDS_BETWEEN_POSTS`` up to now, in the
    order they were written, and the topics, releases and members with them: a board
    whose every post is "just now" looks like no board anyone uses. Counters and the
    search index do not hold times, so they stay right."""
    connection: sqlite3.Connection = connect_sync(settings.database_path)
    try:
        with connection:
            connection.execute(
                "UPDATE posts SET created_at = ? - ((SELECT MAX(id) FROM posts) - id) * ?",
                (now, SECONDS_BETWEEN_POSTS),
            )
            connection.execute(
                "UPDATE topics SET"
                " created_at = (SELECT MIN(created_at) FROM posts WHERE topic_id = topics.id),"
                " last_post_at = (SELECT MAX(created_at) FROM posts WHERE topic_id = topics.id)"
            )
            connection.execute(
                "UPDATE torrents SET created_at = "
                "(SELECT created_at FROM topics WHERE id = torrents.topic_id)"
            )
            connection.execute(
                "UPDATE users SET created_at = (SELECT MIN(created_at) FROM posts)"
                " - ((SELECT MAX(id) FROM users) + 1 - id) * 3600"
            )
    finally:
        connection.close()
