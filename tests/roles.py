"""One board, seen by every role: the fixture behind the permission, CSRF and XSS suites.

The board has a public forum (guests may view) and a private one (moderators and up),
each with a topic, a reply and a release, all written by a member who is not one of the
roles under test, so "may edit this post" is a moderator's right, never an author's.
Every role but the guest has a session; the disabled member's session still exists in
the table, so the suites prove that a disabled account counts as a guest.

Building it hashes passwords and parses torrents, so suites build it once and give each
test a copy of the whole data directory (``clone_board``): a test may then post, delete
or lock freely without disturbing the next one.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient
from PIL import Image

from tests.forum.board import add_forum, add_reply, add_topic, on_board, register_upload, sql
from tests.helpers import Member, add_member
from tests.samples import sample as sample_bytes
from tinypier.accounts.queries import create_api_token
from tinypier.accounts.secrets import digest, new_token
from tinypier.accounts.sessions import SESSION_COOKIE
from tinypier.app import create_app
from tinypier.db.connection import Database, connect_sync
from tinypier.messages import store as message_store
from tinypier.notifications.notify import Delivery
from tinypier.polls.queries import create_poll
from tinypier.polls.spec import PollSpec
from tinypier.profiles.images import normalized_png
from tinypier.profiles.store import RankChange, save_rank, set_avatar
from tinypier.settings import Settings, load_settings
from tinypier.torrents.registration import ReleaseUpload

ROLES = ("guest", "user", "moderator", "admin", "disabled")
MEMBER_ROLES = ("user", "moderator", "admin")
TARGETS = ("public", "private")
BASE_URL = "http://testserver.local"


@dataclass(frozen=True)
class Target:
    """Everything one forum holds; ``secrets`` are strings only its viewers may read.

    ``paths`` are its pages: a link to one of them is a leak as much as its title is.
    """

    forum_id: int
    category_id: int
    topic_id: int
    first_post_id: int
    post_id: int
    release_topic_id: int
    torrent_id: int
    secrets: tuple[str, ...]

    @property
    def paths(self) -> tuple[str, ...]:
        return (
            f"/forums/{self.forum_id}",
            f"/topics/{self.topic_id}",
            f"/topics/{self.release_topic_id}",
            f"/posts/{self.post_id}",
            f"/torrents/{self.torrent_id}",
        )

    @property
    def release_address(self) -> str:
        """The release's engine-v1 address segment, without its slug (which redirects)."""
        return str(self.torrent_id)

    @property
    def feed_file(self) -> str:
        return f"{self.forum_id}.atom"


@dataclass(frozen=True)
class PrivateConversation:
    """The author's conversation with a member who is none of the roles, one of its
    messages reported: no role takes part, so none may read it but through the report."""

    conversation_id: int
    message_id: int
    report_id: int
    correspondent_id: int
    # The correspondent's notice of the message: no role may open it.
    notice_id: int


def _conversation(settings: Settings, author: Member) -> PrivateConversation:
    correspondent = add_member(settings, "correspondent")

    async def write(db: Database) -> PrivateConversation:
        new = await message_store.start_conversation(
            db,
            author.id,
            [correspondent.id],
            "privatepm subject",
            "privatepm words",
            Delivery(settings),
        )
        await message_store.report(db, new.message_id, correspondent.id, "matrix report")
        report_id = int(await db.fetch_value("SELECT MAX(id) FROM message_reports"))
        notice_id = int(await db.fetch_value("SELECT MAX(id) FROM notifications"))
        return PrivateConversation(
            new.conversation_id, new.message_id, report_id, correspondent.id, notice_id
        )

    return on_board(settings, write)


@dataclass(frozen=True)
class RoleBoard:
    settings: Settings
    public: Target
    private: Target
    author: Member
    sessions: dict[str, str]
    members: dict[str, Member]
    author_token_id: int
    api_tokens: dict[str, str]
    feed_tokens: dict[str, str]

    conversation: PrivateConversation
    group_id: int
    # A rank (with an image) that nobody was given, and the author's avatar's digest.
    rank_id: int = 0
    image_digest: str = ""

    def target(self, name: str) -> Target:
        return self.public if name == "public" else self.private


def session_for(settings: Settings, member: Member) -> str:
    """A session row as the login form would leave it; returns the cookie value."""
    token = new_token()
    now = int(time.time())
    sql(
        settings,
        "INSERT INTO sessions (id, user_id, created_at, expires_at, data)"
        " VALUES (?, ?, ?, ?, '{}')",
        (digest(token), member.id, now, now + 86400),
    )
    return token


def _release(
    settings: Settings, forum_id: int, author: Member, title: str, sample: str
) -> tuple[int, int]:
    upload = ReleaseUpload(
        forum_id,
        author.id,
        title,
        f"{title}: the description.",
        sample_bytes(sample),
    )
    registered = register_upload(settings, upload)
    return registered.topic_id, registered.torrent_id


def _target(settings: Settings, name: str, view_role: str, author: Member, sample: str) -> Target:
    forum_id = add_forum(settings, f"{name} matrix forum", view_role=view_role, releases=True)
    # One word of its own (found by a search for it, never split by a search marker) and
    # "matrix", the word every target shares, so a search for it reaches every forum.
    words = f"{name}only matrix"
    topic = add_topic(
        settings, forum_id, author, f"{words} topic title", f"{words} first post body"
    )
    reply = add_reply(settings, topic, author, f"{words} reply body")
    _poll(settings, topic.topic_id, f"{words} poll question")
    release_topic_id, torrent_id = _release(
        settings, forum_id, author, f"{words} release title", sample
    )
    category_id = int(
        sql(settings, "SELECT category_id FROM forums WHERE id = ?", (forum_id,))[0][0]
    )
    return Target(
        forum_id,
        category_id,
        topic.topic_id,
        topic.post_id,
        reply.post_id,
        release_topic_id,
        torrent_id,
        secrets=(f"{name} matrix forum", f"{name}only"),
    )


def _poll(settings: Settings, topic_id: int, question: str) -> None:
    """A poll nobody has voted in yet: its starter (the author) or a moderator may still
    edit it, and every member who may view the topic may vote."""
    spec = PollSpec(question, ("yes", "no"), max_choices=1, days=None, allow_change=False)
    on_board(settings, lambda db: create_poll(db, topic_id, spec, int(time.time())))


def _profiles(settings: Settings, author: Member, admin: Member) -> tuple[int, str]:
    """The author's avatar, and a rank with an image that nobody was given: (rank, digest)."""
    avatar = normalized_png(sample_image("teal"), settings)
    rank_image = normalized_png(sample_image("gold"), settings)

    async def write(db: Database) -> tuple[int, str]:
        await set_avatar(db, settings, author.id, avatar)
        rank_id = await save_rank(
            db, settings, None, RankChange("Matrix rank", None, rank_image), admin.id
        )
        digest = await db.fetch_value(
            "SELECT a.sha256 FROM profiles p JOIN attachments a ON a.id = p.avatar_id"
            " WHERE p.user_id = ?",
            (author.id,),
        )
        return rank_id, str(digest)

    return on_board(settings, write)


def sample_image(color: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 40), color).save(output, "PNG")
    return output.getvalue()


def _api_token(settings: Settings, member: Member) -> str:
    return on_board(settings, lambda db: create_api_token(db, member.id, "matrix"))


def _group(settings: Settings, author: Member, private_forum_id: int) -> int:
    """A group the author asked to join (no role is in it, so it changes no role's
    rights) that grants viewing the private forum: its page must name that forum only to
    those who may view it, and only admins answer the author's request."""
    now = int(time.time())
    group_id = int(
        sql(
            settings,
            "INSERT INTO groups (name, description, join_mode, created_at)"
            " VALUES ('matrix group', 'matrix group description', 'open', ?) RETURNING id",
            (now,),
        )[0][0]
    )
    sql(
        settings,
        "INSERT INTO group_members (user_id, group_id, status, created_at)"
        " VALUES (?, ?, 'pending', ?)",
        (author.id, group_id, now),
    )
    sql(
        settings,
        "INSERT INTO group_grants (group_id, forum_id, permission) VALUES (?, ?, 'view')",
        (group_id, private_forum_id),
    )
    return group_id


def build_role_board(data_dir: Path) -> RoleBoard:
    settings = load_settings(data_dir, environ={})
    create_app(settings)
    author = add_member(settings, "author")
    members = {role: add_member(settings, role, role) for role in MEMBER_ROLES}
    members["disabled"] = add_member(settings, "disabled")
    sql(settings, "UPDATE users SET disabled = 1 WHERE id = ?", (members["disabled"].id,))
    api_tokens = {
        role: _api_token(settings, member)
        for role, member in [("author", author), *members.items()]
    }
    feed_tokens = {
        role: str(sql(settings, "SELECT feed_token FROM users WHERE id = ?", (member.id,))[0][0])
        for role, member in members.items()
    }
    author_token_id = int(
        sql(settings, "SELECT id FROM api_tokens WHERE user_id = ?", (author.id,))[0][0]
    )
    private = _target(settings, "private", "moderator", author, "v1-transmission-multi.torrent")
    rank_id, image_digest = _profiles(settings, author, members["admin"])
    return RoleBoard(
        settings=settings,
        public=_target(settings, "public", "guest", author, "v1-mktorrent-single.torrent"),
        private=private,
        author=author,
        sessions={role: session_for(settings, member) for role, member in members.items()},
        members=members,
        author_token_id=author_token_id,
        api_tokens=api_tokens,
        feed_tokens=feed_tokens,
        conversation=_conversation(settings, author),
        group_id=_group(settings, author, private.forum_id),
        rank_id=rank_id,
        image_digest=image_digest,
    )


def clone_board(board: RoleBoard, data_dir: Path) -> RoleBoard:
    """The same board in another directory (connections to the original must be closed)."""
    shutil.copytree(board.settings.data_dir, data_dir)
    return RoleBoard(
        load_settings(data_dir, environ={}),
        board.public,
        board.private,
        board.author,
        board.sessions,
        board.members,
        board.author_token_id,
        board.api_tokens,
        board.feed_tokens,
        board.conversation,
        board.group_id,
        board.rank_id,
        board.image_digest,
    )


@contextmanager
def client_as(board: RoleBoard, role: str) -> Iterator[TestClient[Litestar]]:
    """A browser of ``role`` on the board, not following redirects."""
    with TestClient(create_app(board.settings), base_url=BASE_URL) as client:
        client.follow_redirects = False
        become(client, board, role)
        yield client


def become(client: TestClient[Litestar], board: RoleBoard, role: str) -> None:
    """Switch a client to ``role``: a fresh cookie jar holding only that role's session."""
    client.cookies.clear()
    if role in board.sessions:
        client.cookies.set(SESSION_COOKIE, board.sessions[role])


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("name"):
            self.values[fields["name"] or ""] = fields.get("value") or ""


def csrf_token(client: TestClient[Litestar]) -> str:
    """The token a real form carries: read from the login form's hidden input."""
    page = client.get("/login")
    inputs = _HiddenInputs()
    inputs.feed(page.text)
    token = inputs.values.get("_csrf_token")
    assert token, f"/login ({page.status_code}) has no _csrf_token input"
    return token


# When a member was last seen is bookkeeping too, written by page views at most once a
# minute (see profiles.presence).
IGNORED_TABLES = ("sessions", "topic_reads", "presence")
# When an API token was last used is bookkeeping, written at most once a minute on a
# read (see accounts.sessions), like the session a page view renews.
IGNORED_COLUMNS = {"api_tokens": {"last_used_at"}}


def board_checksum(settings: Settings, ignored: tuple[str, ...] = IGNORED_TABLES) -> dict[str, int]:
    """A fingerprint of every ordinary table's rows, to prove a request changed nothing.

    FTS shadow tables follow the posts they index, so comparing the real tables is enough.
    """
    connection = connect_sync(settings.database_path)
    try:
        tables = [
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE 'post_search_%'"
            )
            if row[0] not in ignored
        ]
        return {table: _table_hash(connection, table) for table in tables}
    finally:
        connection.close()


def _table_hash(connection: sqlite3.Connection, table: str) -> int:
    skipped = IGNORED_COLUMNS.get(table, set())
    columns = [
        str(row[1])
        for row in connection.execute("SELECT * FROM pragma_table_info(?)", (table,))
        if row[1] not in skipped
    ]
    selected = ", ".join(f'"{column}"' for column in columns)
    rows = connection.execute(f'SELECT {selected} FROM "{table}"').fetchall()
    return hash(tuple(sorted(repr(tuple(row)) for row in rows)))


@dataclass(frozen=True)
class Endpoint:
    """One method of one route, as the app declares it."""

    method: str
    path: str
    params: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def app_endpoints() -> list[Endpoint]:
    """Every (method, path) the app serves, read from a freshly built app's routes."""
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(load_settings(Path(scratch) / "data", environ={}))
    found = {
        Endpoint(method, route.path, tuple(route.path_parameters))
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in getattr(handler, "http_methods", ()) or ()
        if method != "OPTIONS"
    }
    return sorted(found, key=lambda endpoint: (endpoint.path, endpoint.method))


# Path parameters that point into a forum: these routes run against both targets.
CONTENT_PARAMS = {
    "forum_id": "forum_id",
    "topic_id": "topic_id",
    "post_id": "post_id",
    "torrent_id": "torrent_id",
    "category_id": "category_id",
    "feed_file": "feed_file",
    "address": "release_address",
    "thread": "topic_id",  # TorrentPier 3.0's threads/<slug>.<id>, here a bare id
}


def fill_path(endpoint: Endpoint, board: RoleBoard, target: Target) -> str:
    """A concrete path: ids from the target forum; members and tokens are the author's."""
    values: dict[str, object] = {
        name: getattr(target, attribute) for name, attribute in CONTENT_PARAMS.items()
    }
    values |= {
        "user_id": board.author.id,
        "member_id": board.author.id,
        "token_id": board.author_token_id,
        "conversation_id": board.conversation.conversation_id,
        "message_id": board.conversation.message_id,
        "report_id": board.conversation.report_id,
        "group_id": board.group_id,
        "rank_id": board.rank_id,
        "digest": board.image_digest,
        "notice_id": board.conversation.notice_id,
    }
    values["path"] = "missing-page"
    path = endpoint.path
    for param in endpoint.params:
        assert param in values, (
            f"unknown path parameter {param!r} in {endpoint.path}: add it to fill_path"
        )
        start = path.index("{" + param)
        path = path[:start] + str(values[param]) + path[path.index("}", start) + 1 :]
    return path
