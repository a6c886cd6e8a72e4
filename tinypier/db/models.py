"""The schema of the whole board, declared once with SQLModel.

These classes are the reference the migrations are checked against (see
``tests/db/test_migrations.py``): the SQL files in ``migrations/`` are what runs, and a
test asserts that applying them yields exactly these tables, columns and indexes.
Timestamps are Unix seconds (integers): cheap to compare in the tracker hot path.
Hashes and peer ids are raw bytes, as they travel on the wire.
"""

from __future__ import annotations

from sqlalchemy import Index, String, text
from sqlmodel import Field, SQLModel, UniqueConstraint


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, sa_type=String(collation="NOCASE"))
    password_hash: str
    role: str = Field(default="user")
    disabled: bool = Field(default=False)
    passkey: str = Field(unique=True)
    feed_token: str = Field(unique=True)
    created_at: int
    uploaded: int = Field(default=0)
    downloaded: int = Field(default=0)
    post_count: int = Field(default=0)
    invite_quota: int = Field(default=0)
    invited_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    language: str | None = None
    time_zone: str | None = None
    # NFKC and case-folded (tinypier.accounts.names); filled by a trigger when left out.
    name_key: str | None = Field(default=None, unique=True, index=True)
    # Profiles (0021): hide other members' signatures; leave me out of "online now".
    hide_signatures: bool = Field(default=False)
    hide_online: bool = Field(default=False)
    # Where notices are e-mailed, when the member asks for it and the board sends mail.
    email: str | None = None
    email_notifications: bool = Field(default=False, sa_column_kwargs={"server_default": text("0")})
    # Seed bonus points (0023); every change is a member_ledger row.
    bonus_points: int = Field(default=0)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    name: str
    token_hash: str = Field(unique=True)
    created_at: int
    last_used_at: int | None = None


class Session(SQLModel, table=True):
    __tablename__ = "sessions"

    id: str = Field(primary_key=True)
    user_id: int | None = Field(
        default=None, foreign_key="users.id", ondelete="CASCADE", index=True
    )
    created_at: int
    expires_at: int = Field(index=True)
    data: str = Field(default="{}")


class Invite(SQLModel, table=True):
    __tablename__ = "invites"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    created_by: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: int
    expires_at: int = Field(index=True)
    used_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    used_at: int | None = None


class Category(SQLModel, table=True):
    __tablename__ = "categories"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    position: int = Field(default=0)


class Forum(SQLModel, table=True):
    __tablename__ = "forums"

    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="categories.id", ondelete="RESTRICT", index=True)
    name: str
    description: str = Field(default="")
    position: int = Field(default=0)
    allows_releases: bool = Field(default=False)
    view_role: str = Field(default="guest")
    topic_role: str = Field(default="user")
    reply_role: str = Field(default="user")
    download_role: str = Field(default="user")
    topic_count: int = Field(default=0)
    post_count: int = Field(default=0)
    last_post_id: int | None = None


class Topic(SQLModel, table=True):
    __tablename__ = "topics"
    __table_args__ = (
        Index(
            "ix_topics_forum_order", "forum_id", "pin", "last_post_at", "last_post_id", "deleted_at"
        ),
        Index("ix_topics_forum_last_post", "forum_id", "last_post_id", "deleted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    forum_id: int = Field(foreign_key="forums.id", ondelete="CASCADE")
    author_id: int = Field(foreign_key="users.id", ondelete="RESTRICT", index=True)
    title: str
    created_at: int
    last_post_at: int
    last_post_id: int | None = None
    post_count: int = Field(default=0)
    pin: int = Field(default=0)
    locked: bool = Field(default=False)
    # Set while a moderator has deleted the topic (0013): hidden from members, restorable.
    deleted_at: int | None = None


class Post(SQLModel, table=True):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_topic_order", "topic_id", "id", "deleted_at"),
        Index("ix_posts_author_order", "author_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", ondelete="CASCADE")
    author_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    body: str
    body_html: str
    created_at: int
    edited_at: int | None = None
    edited_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    # Set while a moderator has deleted the post (0013): hidden from members, restorable.
    deleted_at: int | None = None


class TopicRead(SQLModel, table=True):
    __tablename__ = "topic_reads"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", ondelete="CASCADE", primary_key=True)
    last_read_post_id: int


class ModerationLog(SQLModel, table=True):
    __tablename__ = "moderation_log"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    action: str
    target_type: str
    target_id: int
    details: str = Field(default="")
    created_at: int = Field(index=True)
    forum_id: int | None = None
    from_forum_id: int | None = None
    to_forum_id: int | None = None
    from_shell: bool = Field(default=False)


class Attachment(SQLModel, table=True):
    __tablename__ = "attachments"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True)
    size: int
    created_at: int


class Torrent(SQLModel, table=True):
    __tablename__ = "torrents"
    # One index per sort and filter of the /tracker page (migration 0004).
    __table_args__ = (
        Index("ix_torrents_forum_created", "forum_id", "created_at"),
        Index("ix_torrents_created", "created_at"),
        Index("ix_torrents_title", "title"),
        Index("ix_torrents_size", "total_size"),
        Index("ix_torrents_seeders", "seeders"),
        Index("ix_torrents_leechers", "leechers"),
        Index("ix_torrents_completed", "completed"),
        Index("ix_torrents_status_created", "status", "created_at"),
        Index("ix_torrents_freeleech_created", "freeleech", "created_at"),
        Index("ix_torrents_seeded_created", "created_at", sqlite_where=text("seeders > 0")),
    )

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", ondelete="CASCADE", unique=True)
    attachment_id: int = Field(foreign_key="attachments.id", ondelete="RESTRICT", index=True)
    uploader_id: int = Field(foreign_key="users.id", ondelete="RESTRICT", index=True)
    info_hash: bytes | None = Field(default=None, unique=True)
    info_hash_v2: bytes | None = Field(default=None, unique=True)
    name: str
    total_size: int
    file_count: int
    files_json: str
    piece_length: int
    status: str = Field(default="not_checked")
    status_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    status_at: int | None = None
    freeleech: str = Field(default="none")
    created_at: int
    seeders: int = Field(default=0)
    leechers: int = Field(default=0)
    completed: int = Field(default=0)
    last_seeder_at: int | None = None
    # Copies of the topic's, kept equal by a trigger, so the tracker page sorts by index.
    forum_id: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    title: str = Field(
        default="", sa_type=String(collation="NOCASE"), sa_column_kwargs={"server_default": ""}
    )
    # Members' copies keep the uploader's http(s) web seeds only when this is set (0007).
    web_seeds_enabled: bool = Field(default=False, sa_column_kwargs={"server_default": text("0")})


class Peer(SQLModel, table=True):
    __tablename__ = "peers"
    # Stored in its key's B-tree (0030): the fold writes one B-tree per peer, not two.
    __table_args__ = {"sqlite_with_rowid": False}

    torrent_id: int = Field(foreign_key="torrents.id", ondelete="CASCADE", primary_key=True)
    # Indexed (0024) for a member's own seeding and leeching lists.
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    peer_id: bytes = Field(primary_key=True)
    ipv4: str | None = None
    ipv6: str | None = None
    port: int
    uploaded: int
    downloaded: int
    left: int
    client: str = Field(default="")
    started_at: int
    last_announce_at: int


class Snatch(SQLModel, table=True):
    __tablename__ = "snatches"
    __table_args__ = (
        UniqueConstraint("torrent_id", "user_id"),
        # 0024: the hit-and-run sweep walks completions by time; a release's list, newest first.
        Index("ix_snatches_completed", "completed_at"),
        Index("ix_snatches_torrent_newest", "torrent_id", "completed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    torrent_id: int = Field(foreign_key="torrents.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    completed_at: int


class Transfer(SQLModel, table=True):
    """What one member moved on one torrent, for ratio pages and hit-and-run rules."""

    __tablename__ = "transfers"

    torrent_id: int = Field(foreign_key="torrents.id", ondelete="CASCADE", primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    uploaded: int = Field(default=0)
    downloaded: int = Field(default=0)
    seeding_seconds: int = Field(default=0)
    first_seen_at: int
    last_seen_at: int
    # How much of seeding_seconds the bonus job has paid for (0023).
    bonus_paid_seconds: int = Field(default=0)


class CheatLog(SQLModel, table=True):
    """An announce whose claimed transfer the tracker did not credit in full, and why."""

    __tablename__ = "cheat_log"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    torrent_id: int = Field(foreign_key="torrents.id", ondelete="CASCADE", index=True)
    claimed_uploaded: int
    credited_uploaded: int
    claimed_downloaded: int
    credited_downloaded: int
    reason: str
    created_at: int


class CreditLog(SQLModel, table=True):
    """Credit-log rows an older version left unfolded (a crash before its fold), which
    the tracker folds at its next start. Since schema 32 the tracker appends to a log file
    of its own (``tinypier.tracker.creditlog``); this table stays empty."""

    __tablename__ = "credit_log"

    id: int | None = Field(default=None, primary_key=True)
    torrent_id: int
    user_id: int
    peer_id: bytes
    event: int
    uploaded: int
    downloaded: int
    left: int
    address4: bytes
    address6: bytes
    port: int
    credited_uploaded: int
    credited_downloaded: int
    seeding_seconds: int
    snatched: int
    seeders: int
    leechers: int
    at: int


class CreditFoldMarks(SQLModel, table=True):
    """The last credit-log row and cheat-log line the tracker folded into the tables (one
    row), moved in the fold's transaction: each row of the log file is applied once.
    ``board_id`` is random, made once per board: the log file records it, so a log file
    is never folded into another board's tables."""

    __tablename__ = "credit_fold_marks"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    credit_log_through: int
    withheld_through: int
    board_id: str


class PendingRepair(SQLModel, table=True):
    """A repair (``tinypier.repair``) a migration asked for, run right after migrating.

    ``progress`` is the last row a batched repair finished, so a run cut short resumes.
    """

    __tablename__ = "pending_repairs"

    name: str = Field(primary_key=True)
    requested_at: int
    progress: int = Field(default=0)


class SiteSetting(SQLModel, table=True):
    """A setting an admin saved on the web page; it wins over the file and environment
    until reset (``tinypier.site_settings``)."""

    __tablename__ = "site_settings"

    name: str = Field(primary_key=True)
    value: str
    changed_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    changed_at: int


class Conversation(SQLModel, table=True):
    """A private conversation between two or more members (migration 0015).

    ``last_message_*`` and ``message_count`` are kept by the code that adds a message,
    so the inbox never counts or sorts messages.
    """

    __tablename__ = "conversations"

    id: int | None = Field(default=None, primary_key=True)
    subject: str
    starter_id: int = Field(foreign_key="users.id", ondelete="RESTRICT", index=True)
    created_at: int
    last_message_id: int | None = None
    last_message_at: int
    message_count: int = Field(default=0)


class Message(SQLModel, table=True):
    """One message of a conversation; ``body_html`` is stored like a post's (no words)."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_order", "conversation_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversations.id", ondelete="CASCADE")
    author_id: int = Field(foreign_key="users.id", ondelete="RESTRICT", index=True)
    body: str
    body_html: str
    created_at: int


class ConversationMember(SQLModel, table=True):
    """A member's place in a conversation: their inbox row and unread count.

    Leaving deletes the row. A removed member keeps the row with
    ``removed_after_message_id`` set: they read the messages up to that one, no later.
    """

    __tablename__ = "conversation_members"
    __table_args__ = (
        Index("ix_conversation_members_inbox", "user_id", "last_message_at", "conversation_id"),
        Index("ix_conversation_members_unread", "user_id", sqlite_where=text("unread > 0")),
    )

    conversation_id: int = Field(
        foreign_key="conversations.id", ondelete="CASCADE", primary_key=True
    )
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    last_message_at: int
    unread: int = Field(default=0)
    removed_after_message_id: int | None = None


class MessageBlock(SQLModel, table=True):
    """``user_id`` accepts no messages from ``blocked_id``."""

    __tablename__ = "message_blocks"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    blocked_id: int = Field(
        foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True
    )
    created_at: int


class MessageReport(SQLModel, table=True):
    """A participant's report of a message: while it is open (``closed_at`` NULL),
    moderators may read that message and the conversation before it."""

    __tablename__ = "message_reports"
    __table_args__ = (
        UniqueConstraint("message_id", "reporter_id"),
        # Open reports (closed_at NULL) in id order: the moderators' list, read backwards.
        Index("ix_message_reports_open", "closed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="messages.id", ondelete="CASCADE")
    reporter_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    reason: str
    created_at: int
    closed_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    closed_at: int | None = None


class Thanks(SQLModel, table=True):
    """A member's thanks for a release (0018): one each, listed newest first on the release."""

    __tablename__ = "thanks"
    __table_args__ = (
        UniqueConstraint("torrent_id", "user_id"),
        Index("ix_thanks_torrent_newest", "torrent_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    torrent_id: int = Field(foreign_key="torrents.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: int


_ZERO = text("0")  # PollOption has a column named text


class Poll(SQLModel, table=True):
    """A topic's poll (0019): at most one per topic; closed by a moderator or its end date."""

    __tablename__ = "polls"

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", ondelete="CASCADE", unique=True)
    question: str
    # 1 is a single-choice poll; more lets a member tick up to that many options.
    max_choices: int = Field(default=1)
    allow_change: bool = Field(default=False)
    ends_at: int | None = None
    closed_at: int | None = None
    created_at: int
    # Voters counted before who chose what was kept (0031: an imported TorrentPier poll).
    earlier_voters: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})


class PollOption(SQLModel, table=True):
    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="polls.id", ondelete="CASCADE")
    position: int
    text: str
    # Votes counted before who chose what was kept (0031), added to poll_votes' count.
    earlier_votes: int = Field(default=0, sa_column_kwargs={"server_default": _ZERO})


class PollVote(SQLModel, table=True):
    """One member's vote for one option: the primary key makes a second one impossible."""

    __tablename__ = "poll_votes"
    __table_args__ = (Index("ix_poll_votes_poll_user", "poll_id", "user_id"),)

    option_id: int = Field(foreign_key="poll_options.id", ondelete="CASCADE", primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    poll_id: int = Field(foreign_key="polls.id", ondelete="CASCADE")
    created_at: int


class PollVoteWithoutChoice(SQLModel, table=True):
    """A member who voted before who chose what was kept (0031): counted in the earlier
    totals, shown the results, refused a second vote."""

    __tablename__ = "poll_votes_without_choice"

    poll_id: int = Field(foreign_key="polls.id", ondelete="CASCADE", primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: int


class Group(SQLModel, table=True):
    """An admin-defined group of members (0022), e.g. "Uploaders": joined as its
    ``join_mode`` says (open, request, closed) and granted per-forum rights."""

    __tablename__ = "groups"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, sa_type=String(collation="NOCASE"))
    description: str = Field(default="")
    join_mode: str = Field(default="closed")
    created_at: int


class GroupMember(SQLModel, table=True):
    """A member's place in a group: ``member``, ``leader`` (approves requests, adds and
    removes members) or ``pending`` (asked to join; holds no rights yet)."""

    __tablename__ = "group_members"
    __table_args__ = (Index("ix_group_members_group_status", "group_id", "status"),)

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    group_id: int = Field(foreign_key="groups.id", ondelete="CASCADE", primary_key=True)
    status: str
    created_at: int


class GroupGrant(SQLModel, table=True):
    """One right a group grants in one forum, beyond what its members' roles give."""

    __tablename__ = "group_grants"

    group_id: int = Field(foreign_key="groups.id", ondelete="CASCADE", primary_key=True)
    forum_id: int = Field(foreign_key="forums.id", ondelete="CASCADE", primary_key=True, index=True)
    permission: str = Field(primary_key=True)


class Rank(SQLModel, table=True):
    """An admin-defined title (0021): earned from ``min_posts`` posts, or (without it)
    only assigned; its optional image is an attachment."""

    __tablename__ = "ranks"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    min_posts: int | None = Field(default=None, index=True)
    image_id: int | None = Field(
        default=None, foreign_key="attachments.id", ondelete="RESTRICT", index=True
    )
    created_at: int


class Profile(SQLModel, table=True):
    """A member's avatar, signature and assigned rank (0021); no row until one is set."""

    __tablename__ = "profiles"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    avatar_id: int | None = Field(
        default=None, foreign_key="attachments.id", ondelete="RESTRICT", index=True
    )
    signature: str = Field(default="")
    signature_html: str = Field(default="")
    rank_id: int | None = Field(
        default=None, foreign_key="ranks.id", ondelete="SET NULL", index=True
    )


class Presence(SQLModel, table=True):
    """When a member was last seen (0021), for the index's "online now" list."""

    __tablename__ = "presence"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    seen_at: int = Field(index=True)


class TopicWatch(SQLModel, table=True):
    """A member watching a topic (0020): replies in it are notified to them."""

    __tablename__ = "topic_watches"

    topic_id: int = Field(foreign_key="topics.id", ondelete="CASCADE", primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: int


class ForumWatch(SQLModel, table=True):
    """A member watching a forum: new topics and replies in it are notified to them."""

    __tablename__ = "forum_watches"

    forum_id: int = Field(foreign_key="forums.id", ondelete="CASCADE", primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: int


class Bookmark(SQLModel, table=True):
    """A topic a member keeps to come back to, listed newest first."""

    __tablename__ = "bookmarks"
    __table_args__ = (Index("ix_bookmarks_user_newest", "user_id", "created_at", "topic_id"),)

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", ondelete="CASCADE", primary_key=True, index=True)
    created_at: int


class Notification(SQLModel, table=True):
    """One notice to one member: a reply, quote, mention, message or release verdict.

    An unread notice of replies in a topic (or of messages in a conversation) is one row
    whose ``count`` grows; the partial unique indexes keep it one.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_newest", "user_id", "id"),
        Index("ix_notifications_unread", "user_id", sqlite_where=text("read_at IS NULL")),
        Index(
            "ux_notifications_unread_reply",
            "user_id",
            "topic_id",
            unique=True,
            sqlite_where=text("read_at IS NULL AND kind = 'reply'"),
        ),
        Index(
            "ux_notifications_unread_message",
            "user_id",
            "conversation_id",
            unique=True,
            sqlite_where=text("read_at IS NULL AND kind = 'message'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    kind: str
    actor_id: int | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    topic_id: int | None = Field(
        default=None, foreign_key="topics.id", ondelete="CASCADE", index=True
    )
    post_id: int | None = None
    conversation_id: int | None = Field(
        default=None, foreign_key="conversations.id", ondelete="CASCADE", index=True
    )
    detail: str | None = None
    count: int = Field(default=1)
    created_at: int
    read_at: int | None = None


class MemberLedger(SQLModel, table=True):
    """One change to a member's points, upload credit, download figure or invites made
    outside the tracker's crediting (0023): seeding bonus, an exchange, an admin's grant."""

    __tablename__ = "member_ledger"
    __table_args__ = (Index("ix_member_ledger_user", "user_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    kind: str
    points: int
    uploaded: int
    downloaded: int
    invites: int
    # Hours paid, GiB or invites bought: what the kind counts.
    quantity: int
    # An admin's reason; empty for the board's own entries.
    note: str
    actor_id: int | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    created_at: int


class HitAndRun(SQLModel, table=True):
    """A completed release not seeded as the board asks (0024): active until cleared."""

    __tablename__ = "hit_and_runs"
    __table_args__ = (
        Index(
            "ix_hit_and_runs_active",
            "user_id",
            "torrent_id",
            sqlite_where=text("cleared_at IS NULL"),
        ),
    )

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    torrent_id: int = Field(
        foreign_key="torrents.id", ondelete="CASCADE", primary_key=True, index=True
    )
    completed_at: int
    recorded_at: int
    cleared_at: int | None = None


class HitAndRunSweep(SQLModel, table=True):
    """The one row saying how far the hit-and-run sweep has judged completions (0024)."""

    __tablename__ = "hit_and_run_sweep"

    id: int = Field(primary_key=True)
    through_at: int
    through_id: int


class JobRun(SQLModel, table=True):
    """A periodic job's schedule, last run and watermark (0023)."""

    __tablename__ = "job_runs"

    name: str = Field(primary_key=True)
    watermark: int
    next_run_at: int
    started_at: int | None = None
    finished_at: int | None = None
    duration_ms: int | None = None
    outcome: str | None = None
    result: str


class LegacyAttachment(SQLModel, table=True):
    """A TorrentPier attachment id and the topic it belonged to (0026), filled by the
    importer, so ``dl.php?id=<attach_id>`` still finds its release."""

    __tablename__ = "legacy_attachments"

    attach_id: int = Field(primary_key=True)
    topic_id: int


class ImportProgress(SQLModel, table=True):
    """How far an import got per kind of row (0025): written with each batch, so a rerun
    after a crash resumes after the last batch that committed."""

    __tablename__ = "import_progress"

    kind: str = Field(primary_key=True)
    position: int = 0
    imported: int = 0
    done: bool = False


class ImportSkip(SQLModel, table=True):
    """A source row an import left out or changed, and why (0025): the import's report."""

    __tablename__ = "import_skips"
    __table_args__ = (UniqueConstraint("kind", "source_id", "reason"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    source_id: str
    reason: str


class TorrentPierMember(SQLModel, table=True):
    """What a TorrentPier member had that TinyPier has no place for (0025)."""

    __tablename__ = "torrentpier_members"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    website: str
    location: str
    two_factor: bool


class TorrentPierForum(SQLModel, table=True):
    """A forum's TorrentPier parent and rights, as they were before the mapping to roles."""

    __tablename__ = "torrentpier_forums"

    forum_id: int = Field(primary_key=True)
    parent_id: int | None = None
    auth_view: int
    auth_read: int
    auth_post: int
    auth_reply: int
    auth_download: int


class TorrentPierPollResult(SQLModel, table=True):
    __tablename__ = "torrentpier_poll_results"

    topic_id: int = Field(primary_key=True)
    vote_id: int = Field(primary_key=True)
    vote_text: str
    vote_result: int


class TorrentPierConfig(SQLModel, table=True):
    """The imported board's settings old URLs depend on, and the import's own notes."""

    __tablename__ = "torrentpier_config"

    name: str = Field(primary_key=True)
    value: str


class BonusRun(SQLModel, table=True):
    """The bonus job's last run (0029), one row: the hour it pays up to, the hours its cap
    covers, how far its two phases got (the last ``transfers`` rowid parked, then the last
    member credited; -1 once done) and what it paid; each chunk moves it on."""

    __tablename__ = "bonus_run"

    id: int = Field(primary_key=True)
    hour: int
    hours_covered: int
    after_rowid: int
    after_user: int
    forfeited: int
    members_paid: int
    points_paid: int
    hours_paid: int


class BonusRunEarning(SQLModel, table=True):
    """What a member earned in rows the bonus run marked paid, parked until the run
    credits them (0029). Appended to and read whole: no index, no foreign key."""

    __tablename__ = "bonus_run_earnings"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int
    hours: int
    points: int
