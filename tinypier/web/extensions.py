"""The extension point of the topic page: what features add to a topic, without the forum
knowing them.

A topic page shows more than posts: a release's block, a poll, the thanks of a release,
an extra action under a post. If the forum's topic module imported each of those, the
forum would depend on every feature built on top of it, and each new feature would edit
the forum. Instead a feature declares :class:`TopicExtension` values: a slot on the page,
a template, and an async ``contribute`` that looks at the topic for the viewer and returns
the template's context, or None when it has nothing to show there (an ordinary topic has
no release block). App composition (``tinypier.app``) lists the :class:`Feature` packages
once; their extensions of every page travel in the app's state as one
:class:`PageExtensions`, and the topic page asks it for its :class:`TopicParts`.

Each extension checks its own permissions through ``tinypier.permissions``, so a part is
computed only for a viewer who may see it. A template reads its context as
``part.context`` (and, in the per-post slot, the post as ``post``).

A forum page takes parts the same way (:class:`ForumExtension`: a watch button), and a
feature may follow what is written: its ``post_published`` hooks run inside the
transaction that adds a post, with the post's facts (:class:`PublishedPost`), so what they
write (a notice to those watching) commits or rolls back with the post. Its
:class:`TopicLifecycle` hears, in the same way, of topics deleted, restored, moved and
merged and of forums deleted or closed, and adds to those actions' confirm pages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import aiosqlite
from litestar import Request
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.types import ControllerRouterHandler, Middleware

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.settings import Settings

if TYPE_CHECKING:
    # For annotations only: the forum imports this module, and must load no feature
    # package (tests/forum/test_layering.py), the periodic jobs' among them.
    from tinypier.jobs.base import Job


class Slot(Enum):
    """Where on the topic page a part is shown."""

    # Above the posts, under the topic's title and tools: a release, a poll.
    ABOVE_POSTS = "above_posts"
    # Right after the topic's opening post, on its first page: thanks for a release.
    AFTER_FIRST_POST = "after_first_post"
    # In the actions under every post; the template gets the post as ``post``.
    POST_ACTIONS = "post_actions"


Contribute = Callable[[Database, Viewer, sqlite3.Row, Settings], Awaitable[object | None]]


@dataclass(frozen=True)
class TopicExtension:
    """One thing a feature adds to topic pages."""

    name: str
    slot: Slot
    template: str
    contribute: Contribute


@dataclass(frozen=True)
class TopicPart:
    """An extension's contribution to one topic page, for one viewer."""

    name: str
    template: str
    context: object


@dataclass(frozen=True)
class TopicParts:
    """What the registered extensions add to one topic page, by slot, in registration order."""

    by_slot: dict[Slot, list[TopicPart]] = field(default_factory=dict)

    def _in(self, slot: Slot) -> list[TopicPart]:
        return self.by_slot.get(slot, [])

    @property
    def above_posts(self) -> list[TopicPart]:
        return self._in(Slot.ABOVE_POSTS)

    @property
    def after_first_post(self) -> list[TopicPart]:
        return self._in(Slot.AFTER_FIRST_POST)

    @property
    def post_actions(self) -> list[TopicPart]:
        return self._in(Slot.POST_ACTIONS)


class _Shown(Protocol):
    """What every kind of extension has: a name and the template that shows it."""

    @property
    def name(self) -> str: ...

    @property
    def template(self) -> str: ...


Shown = TypeVar("Shown", bound=_Shown)


async def _contributed(
    extensions: Iterable[Shown], context_of: Callable[[Shown], Awaitable[object | None]]
) -> AsyncIterator[tuple[Shown, TopicPart]]:
    """Each extension with the part it contributes, in registration order; those with
    nothing to show for this page (``context_of`` gives None) are left out. One loop for
    every kind of page, each passing what its extensions' ``contribute`` takes."""
    for extension in extensions:
        context = await context_of(extension)
        if context is not None:
            yield extension, TopicPart(extension.name, extension.template, context)


async def _parts(
    extensions: Iterable[Shown], context_of: Callable[[Shown], Awaitable[object | None]]
) -> list[TopicPart]:
    return [part async for _extension, part in _contributed(extensions, context_of)]


# --- Beyond the topic page -----------------------------------------------------------
#
# The same idea for the other pages a feature adds to: the board index (below the
# forums), a member's profile, and the author of each post on a topic page (beside the
# name, and under the post's text). Author parts are computed once per page for all the
# authors on it, so a page of 25 posts costs each extension one query, not 25.


@dataclass(frozen=True)
class IndexExtension:
    """Something a feature shows on the board index, below the forums."""

    name: str
    template: str
    contribute: Callable[[Database, Viewer, Settings], Awaitable[object | None]]


@dataclass(frozen=True)
class ProfileExtension:
    """Something a feature shows on a member's profile; ``contribute`` gets the member."""

    name: str
    template: str
    contribute: Callable[[Database, Viewer, sqlite3.Row, Settings], Awaitable[object | None]]


class AuthorSlot(Enum):
    """Where a post's author part is shown on the topic page."""

    # In the author box, under the author's name: an avatar, a rank.
    UNDER_NAME = "under_name"
    # Under the post's text: a signature.
    UNDER_BODY = "under_body"


AuthorContribute = Callable[
    [Database, Viewer, Sequence[int], Settings], Awaitable[Mapping[int, object]]
]


@dataclass(frozen=True)
class AuthorExtension:
    """One thing a feature shows with each post's author. ``contribute`` gets the ids of
    the page's authors and returns a context per author it has something for; the
    template reads it as ``part.context`` (and the post as ``post``)."""

    name: str
    slot: AuthorSlot
    template: str
    contribute: AuthorContribute


@dataclass(frozen=True)
class AuthorParts:
    """The author parts of one page of posts, looked up per author and slot."""

    by_slot: dict[AuthorSlot, list[tuple[AuthorExtension, Mapping[int, object]]]] = field(
        default_factory=dict
    )

    def _for(self, slot: AuthorSlot, author_id: int) -> list[TopicPart]:
        return [
            TopicPart(extension.name, extension.template, contexts[author_id])
            for extension, contexts in self.by_slot.get(slot, [])
            if author_id in contexts
        ]

    def under_name(self, author_id: int) -> list[TopicPart]:
        return self._for(AuthorSlot.UNDER_NAME, author_id)

    def under_body(self, author_id: int) -> list[TopicPart]:
        return self._for(AuthorSlot.UNDER_BODY, author_id)


ContributeToForum = Callable[[Database, Viewer, sqlite3.Row, Settings], Awaitable[object | None]]


@dataclass(frozen=True)
class ForumExtension:
    """One thing a feature adds to forum pages, above the topic list."""

    name: str
    template: str
    contribute: ContributeToForum


@dataclass(frozen=True)
class PageExtensions:
    """Every registered part of every page, built once with the app from the features
    (:func:`page_extensions`): the topic page's slots, the forum page, the board index, a
    member's profile and each post's author. The forum asks this one registry for the
    parts of the page it renders and knows nothing of the features behind them."""

    topic: tuple[TopicExtension, ...] = ()
    forum: tuple[ForumExtension, ...] = ()
    index: tuple[IndexExtension, ...] = ()
    profile: tuple[ProfileExtension, ...] = ()
    authors: tuple[AuthorExtension, ...] = ()

    async def topic_parts(
        self, db: Database, viewer: Viewer, topic: sqlite3.Row, settings: Settings
    ) -> TopicParts:
        parts = TopicParts()
        async for extension, part in _contributed(
            self.topic, lambda extension: extension.contribute(db, viewer, topic, settings)
        ):
            parts.by_slot.setdefault(extension.slot, []).append(part)
        return parts

    async def forum_parts(
        self, db: Database, viewer: Viewer, forum: sqlite3.Row, settings: Settings
    ) -> list[TopicPart]:
        return await _parts(
            self.forum, lambda extension: extension.contribute(db, viewer, forum, settings)
        )

    async def index_parts(
        self, db: Database, viewer: Viewer, settings: Settings
    ) -> list[TopicPart]:
        return await _parts(
            self.index, lambda extension: extension.contribute(db, viewer, settings)
        )

    async def profile_parts(
        self, db: Database, viewer: Viewer, member: sqlite3.Row, settings: Settings
    ) -> list[TopicPart]:
        return await _parts(
            self.profile, lambda extension: extension.contribute(db, viewer, member, settings)
        )

    async def author_parts(
        self, db: Database, viewer: Viewer, author_ids: Sequence[int], settings: Settings
    ) -> AuthorParts:
        parts = AuthorParts()
        distinct = sorted(set(author_ids))
        for extension in self.authors:
            contexts = (
                await extension.contribute(db, viewer, distinct, settings) if distinct else {}
            )
            if contexts:
                parts.by_slot.setdefault(extension.slot, []).append((extension, contexts))
        return parts


@dataclass(frozen=True)
class PublishedPost:
    """The facts of a post just written, for the hooks that follow the forum's writing."""

    post_id: int
    topic_id: int
    forum_id: int
    author_id: int
    body: str
    body_html: str
    starts_topic: bool


PostPublished = Callable[[aiosqlite.Connection, PublishedPost, State], Awaitable[None]]
"""A hook run inside the transaction that adds a post; ``State`` is the app's, whose
``settings`` and services the hook may read. It must not commit or roll back."""


@dataclass(frozen=True)
class PostHooks:
    """Every registered ``post_published`` hook, with the app state they read; the forum
    calls :meth:`published` and knows nothing of what the hooks do."""

    hooks: tuple[PostPublished, ...] = ()
    state: State | None = None

    async def published(self, connection: aiosqlite.Connection, post: PublishedPost) -> None:
        if self.state is None:
            return
        for hook in self.hooks:
            await hook(connection, post, self.state)


NO_POST_HOOKS = PostHooks()
"""What writing outside a running app (the demo board, tests of the forum) runs: nothing."""


# --- Topics and forums changing under a feature ------------------------------------
#
# A feature keeps rows beside the forum's (a release on its topic) and facts outside the
# database (the tracker's cache, stored files). When a moderator deletes, restores,
# moves or merges topics, or an admin deletes a forum or changes who may see it, the
# forum tells each feature through its :class:`TopicLifecycle`, knowing nothing of
# releases. The writing hooks run inside the forum's transaction and must not commit;
# what must happen outside the database once it commits (tell the tracker, remove a
# file) they register with ``tinypier.db.connection.after_commit``, so it happens once
# the change is committed and never after a rollback.
#
# These hooks, like the ``post_published`` ones, are not page parts: they write inside
# the forum's transactions and are bound to the app's state once it exists, so they keep
# their own registries (:class:`TopicLifecycles`, :class:`PostHooks`) beside the one
# :class:`PageExtensions` that only reads.


class TopicLifecycle:
    """What a feature does when topics and forums change under it. Every hook does
    nothing here: a feature subclasses this and overrides the ones it needs."""

    async def topics_changed(
        self, connection: aiosqlite.Connection, topic_ids: Sequence[int], state: State
    ) -> None:
        """The topics were deleted, restored, moved to another forum, or took another
        topic's posts: whoever caches what they hold (and who may see it) looks again."""

    async def topics_merging(
        self, connection: aiosqlite.Connection, source_id: int, target_id: int, state: State
    ) -> None:
        """The source topic's posts are about to move into the target, and the source
        to be removed (its rows cascade): move what should follow the posts."""

    async def forum_changing_access(
        self, connection: aiosqlite.Connection, forum_id: int, state: State
    ) -> None:
        """Who may view or download in the forum changed: every topic in it changed."""

    async def forum_deleting(
        self, connection: aiosqlite.Connection, forum_id: int, state: State
    ) -> None:
        """The forum and every topic in it are about to be deleted for good."""

    async def topic_delete_consequences(self, db: Database, topic_id: int) -> list[str]:
        """What deleting the topic also does, one sentence each, for its confirm page."""
        return []

    async def forum_delete_consequences(self, db: Database, forum_id: int) -> list[str]:
        """What deleting the forum also does, one sentence each, for its confirm page."""
        return []

    async def merge_problem(self, db: Database, source_id: int, target_id: int) -> str | None:
        """Why the source topic cannot be merged into the target, or None."""
        return None


@dataclass(frozen=True)
class TopicLifecycles:
    """Every registered :class:`TopicLifecycle`, with the app state the writing hooks
    read (the tracker's notifier, settings); the forum calls these and knows nothing of
    what the features keep."""

    lifecycles: tuple[TopicLifecycle, ...] = ()
    state: State | None = None

    async def topics_changed(
        self, connection: aiosqlite.Connection, topic_ids: Sequence[int]
    ) -> None:
        for lifecycle, state in self._bound():
            await lifecycle.topics_changed(connection, topic_ids, state)

    async def topics_merging(
        self, connection: aiosqlite.Connection, source_id: int, target_id: int
    ) -> None:
        for lifecycle, state in self._bound():
            await lifecycle.topics_merging(connection, source_id, target_id, state)

    async def forum_changing_access(self, connection: aiosqlite.Connection, forum_id: int) -> None:
        for lifecycle, state in self._bound():
            await lifecycle.forum_changing_access(connection, forum_id, state)

    async def forum_deleting(self, connection: aiosqlite.Connection, forum_id: int) -> None:
        for lifecycle, state in self._bound():
            await lifecycle.forum_deleting(connection, forum_id, state)

    async def topic_delete_consequences(self, db: Database, topic_id: int) -> list[str]:
        return [
            sentence
            for lifecycle in self.lifecycles
            for sentence in await lifecycle.topic_delete_consequences(db, topic_id)
        ]

    async def forum_delete_consequences(self, db: Database, forum_id: int) -> list[str]:
        return [
            sentence
            for lifecycle in self.lifecycles
            for sentence in await lifecycle.forum_delete_consequences(db, forum_id)
        ]

    async def merge_problem(self, db: Database, source_id: int, target_id: int) -> str | None:
        """The first feature's objection to the merge, or None when none objects."""
        for lifecycle in self.lifecycles:
            if (problem := await lifecycle.merge_problem(db, source_id, target_id)) is not None:
                return problem
        return None

    def _bound(self) -> list[tuple[TopicLifecycle, State]]:
        """The writing hooks run with the app's state; outside a running app, none run."""
        if self.state is None:
            return []
        return [(lifecycle, self.state) for lifecycle in self.lifecycles]


MovedAddress = Callable[[Request[Any, Any, Any]], str | None]
"""Where a GET that matched no route has moved (another board's address form, the same
first path segment as a route of ours), or None: the board answers with a 301 there."""


@dataclass(frozen=True)
class Feature:
    """A package built on the forum: its routes, what it adds to topic, forum and the
    other pages, any middleware it needs (run after authentication), what it does when a
    post is published, the periodic jobs it runs (``tinypier.jobs``), the addresses it
    recognises among those no route matched, and what it does when topics and forums
    change under it (:class:`TopicLifecycle`)."""

    name: str
    routes: Sequence[ControllerRouterHandler]
    topic_extensions: Sequence[TopicExtension] = ()
    index_extensions: Sequence[IndexExtension] = ()
    profile_extensions: Sequence[ProfileExtension] = ()
    author_extensions: Sequence[AuthorExtension] = ()
    middleware: Sequence[Middleware | DefineMiddleware] = ()
    forum_extensions: Sequence[ForumExtension] = ()
    post_published: Sequence[PostPublished] = ()
    jobs: Sequence[Job] = ()
    moved_addresses: Sequence[MovedAddress] = ()
    topic_lifecycle: TopicLifecycle | None = None


def moved_addresses(features: Sequence[Feature]) -> tuple[MovedAddress, ...]:
    return tuple(moved for feature in features for moved in feature.moved_addresses)


def feature_routes(features: Sequence[Feature]) -> list[ControllerRouterHandler]:
    return [route for feature in features for route in feature.routes]


def feature_middleware(features: Sequence[Feature]) -> list[Middleware | DefineMiddleware]:
    return [middleware for feature in features for middleware in feature.middleware]


def page_extensions(features: Sequence[Feature]) -> PageExtensions:
    """The one registry of page parts, each kind in the features' order."""
    return PageExtensions(
        topic=tuple(e for feature in features for e in feature.topic_extensions),
        forum=tuple(e for feature in features for e in feature.forum_extensions),
        index=tuple(e for feature in features for e in feature.index_extensions),
        profile=tuple(e for feature in features for e in feature.profile_extensions),
        authors=tuple(e for feature in features for e in feature.author_extensions),
    )


def post_hooks(features: Sequence[Feature], state: State) -> PostHooks:
    """The hooks of every feature, bound to the app's state once it exists."""
    return PostHooks(tuple(hook for feature in features for hook in feature.post_published), state)


def topic_lifecycles(features: Sequence[Feature], state: State) -> TopicLifecycles:
    """The lifecycle hooks of every feature that has them, bound to the app's state."""
    return TopicLifecycles(
        tuple(feature.topic_lifecycle for feature in features if feature.topic_lifecycle), state
    )


def lifecycles_in(state: State) -> TopicLifecycles:
    """The app's bound lifecycle hooks, which ``create_app`` keeps in its state."""
    lifecycles: TopicLifecycles = state.topic_lifecycles
    return lifecycles


def feature_jobs(features: Sequence[Feature]) -> list[Job]:
    return [job for feature in features for job in feature.jobs]
