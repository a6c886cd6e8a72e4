"""A release's peers and completions under its block on the topic page: the first page of
each list, linking to the paginated pages (``member_torrents.routes``), for those who may
download from its forum. Added through the topic extension point; the forum knows
nothing of it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.member_torrents import queries
from tinypier.member_torrents.queries import Page
from tinypier.member_torrents.views import duration, release_ratio_text
from tinypier.permissions.rules import can_see_peer_addresses, can_see_swarm
from tinypier.settings import Settings
from tinypier.torrents.releases import release_by_topic
from tinypier.web.extensions import Slot, TopicExtension
from tinypier.web.formatting import human_size, when


def percent_done(total_size: int, left: int) -> str:
    if total_size <= 0:
        return "100%"
    done = max(0, min(total_size, total_size - left))
    return f"{100 * done / total_size:.1f}%"


def swarm_helpers() -> dict[str, Any]:
    """The formatting the swarm templates use, on the topic page and the lists' pages."""
    return {
        "size_text": human_size,
        "time_text": when,
        "duration": duration,
        "release_ratio": release_ratio_text,
        "percent_done": percent_done,
    }


@dataclass(frozen=True)
class SwarmLists:
    release: sqlite3.Row
    peers: list[sqlite3.Row]
    snatches: list[sqlite3.Row]
    more_peers: bool
    more_snatches: bool
    show_addresses: bool
    helpers: dict[str, Any]


async def swarm_lists(
    db: Database, viewer: Viewer, topic: sqlite3.Row, settings: Settings
) -> SwarmLists | None:
    """For a release topic, and a viewer who may download from its forum."""
    release = await release_by_topic(db, topic["id"])
    if release is None or not can_see_swarm(viewer, release):
        return None
    first = Page(1, settings.torrent_list_page_size)
    peers = await queries.release_peers(db, release["id"], first)
    snatches = await queries.release_snatches(db, release["id"], first)
    return SwarmLists(
        release=release,
        peers=peers[: first.size],
        snatches=snatches[: first.size],
        more_peers=len(peers) > first.size,
        more_snatches=len(snatches) > first.size,
        show_addresses=can_see_peer_addresses(viewer),
        helpers=swarm_helpers(),
    )


SWARM_LISTS = TopicExtension(
    "swarm", Slot.ABOVE_POSTS, "member_torrents/swarm_lists.html", swarm_lists
)
