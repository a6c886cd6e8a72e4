"""The extension point of the topic page: what features add to a topic, without the forum
knowing them.

A topic page shows more than posts: a release's block, a poll, the thanks of a release,
an extra action under a post. If the forum's topic module imported each of those, the
forum would depend on every feature built on top of it, and each new feature would edit
the forum. Instead a feature declares :class:`TopicExtension` values: a slot on the page,
a template, and an async ``contribute`` that looks at the topic for the viewer and returns
the template's context, or None when it has nothing to show there (an ordinary topic has
no release block). App composition (``tinypier.app``) lists the :class:`Feature` packages
once; their extensions travel in the app's state as :class:`TopicExtensions`, and the
topic page asks them for its :class:`TopicParts`.

Each extension checks its own permissions through ``tinypier.permissions``, so a part is
computed only for a viewer who may see it. A template reads its context as
``part.context`` (and, in the per-post slot, the post as ``post``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from litestar import Request
from litestar.types import ControllerRouterHandler

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.settings import Settings


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


@dataclass(frozen=True)
class TopicExtensions:
    """Every registered topic extension, built once when the app is composed."""

    extensions: tuple[TopicExtension, ...] = ()

    async def parts_for(
        self, db: Database, viewer: Viewer, topic: sqlite3.Row, settings: Settings
    ) -> TopicParts:
        parts = TopicParts()
        for extension in self.extensions:
            context = await extension.contribute(db, viewer, topic, settings)
            if context is not None:
                part = TopicPart(extension.name, extension.template, context)
                parts.by_slot.setdefault(extension.slot, []).append(part)
        return parts


MovedAddress = Callable[[Request[Any, Any, Any]], str | None]
"""Where a GET that matched no route has moved (another board's address form, the same
first path segment as a route of ours), or None: the board answers with a 301 there."""


@dataclass(frozen=True)
class Feature:
    """A package built on the forum: its routes, what it adds to topic pages, and the
    addresses it recognises among those no route matched."""

    name: str
    routes: Sequence[ControllerRouterHandler]
    topic_extensions: Sequence[TopicExtension] = ()
    moved_addresses: Sequence[MovedAddress] = ()


def moved_addresses(features: Sequence[Feature]) -> tuple[MovedAddress, ...]:
    return tuple(moved for feature in features for moved in feature.moved_addresses)


def feature_routes(features: Sequence[Feature]) -> list[ControllerRouterHandler]:
    return [route for feature in features for route in feature.routes]


def topic_extensions(features: Sequence[Feature]) -> TopicExtensions:
    return TopicExtensions(
        tuple(extension for feature in features for extension in feature.topic_extensions)
    )
