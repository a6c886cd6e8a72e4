"""What profiles add to other pages, through ``tinypier.web.extensions``: the avatar and
rank under each post's author name, the signature under each post, the profile's card
and the index's "online now" list."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.permissions.messages import can_message, can_receive_messages
from tinypier.profiles import store
from tinypier.profiles.presence import OnlineNow, online_members
from tinypier.settings import Settings
from tinypier.web.extensions import (
    AuthorExtension,
    AuthorSlot,
    IndexExtension,
    ProfileExtension,
)


async def author_cards(
    db: Database, _viewer: Viewer, author_ids: Sequence[int], _settings: Settings
) -> Mapping[int, object]:
    """The avatar and rank of each author who has either."""
    cards = await store.author_cards(db, author_ids)
    return {
        author_id: card
        for author_id, card in cards.items()
        if card.avatar is not None or card.rank_title is not None
    }


async def signatures(
    db: Database, viewer: Viewer, author_ids: Sequence[int], _settings: Settings
) -> Mapping[int, object]:
    """Each author's signature, unless the reader chose to hide signatures."""
    if await store.hides_signatures(db, viewer.id):
        return {}
    cards = await store.author_cards(db, author_ids)
    return {
        author_id: card.signature_html for author_id, card in cards.items() if card.signature_html
    }


@dataclass(frozen=True)
class ProfileCard:
    card: store.AuthorCard | None
    may_message: bool
    ranks: list[sqlite3.Row]
    assigned_rank: int | None
    own: bool


async def profile_card(
    db: Database, viewer: Viewer, member: sqlite3.Row, _settings: Settings
) -> ProfileCard:
    """Avatar, rank and signature; the "send message" link for who may write to the
    member; and, for admins, the form that assigns a rank."""
    cards = await store.author_cards(db, [member["id"]])
    own = viewer.id == member["id"]
    return ProfileCard(
        card=cards.get(member["id"]),
        may_message=not own
        and can_message(viewer)
        and can_receive_messages(bool(member["disabled"])),
        ranks=await store.all_ranks(db) if viewer.is_admin else [],
        assigned_rank=await store.assigned_rank(db, member["id"]) if viewer.is_admin else None,
        own=own,
    )


async def online_now(db: Database, viewer: Viewer, settings: Settings) -> OnlineNow | None:
    """For members only: as with the members list, who is around is the community's
    business, not every visitor's."""
    if not viewer.is_member:
        return None
    return await online_members(db, settings, int(time.time()))


AUTHOR_CARD = AuthorExtension(
    "author_card", AuthorSlot.UNDER_NAME, "profiles/author_card.html", author_cards
)
SIGNATURE = AuthorExtension(
    "signature", AuthorSlot.UNDER_BODY, "profiles/signature.html", signatures
)
PROFILE_CARD = ProfileExtension("profile_card", "profiles/profile_card.html", profile_card)
ONLINE_NOW = IndexExtension("online_now", "profiles/online_now.html", online_now)
