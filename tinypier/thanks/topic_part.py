"""The thanks box under a release's opening post: who thanked, and the button to thank."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.permissions.rules import can_thank
from tinypier.settings import Settings
from tinypier.thanks.queries import has_thanked, newest_thankers, release_of_topic, thanks_count
from tinypier.web.extensions import Slot, TopicExtension


@dataclass(frozen=True)
class ThanksBox:
    torrent_id: int
    count: int
    thankers: list[sqlite3.Row]
    may_thank: bool
    thanked: bool

    @property
    def not_shown(self) -> int:
        return self.count - len(self.thankers)


async def thanks_box(
    db: Database, viewer: Viewer, topic: sqlite3.Row, settings: Settings
) -> ThanksBox | None:
    """For a release topic only; the topic row carries its forum's roles, which
    ``can_thank`` reads together with the release's uploader."""
    release = await release_of_topic(db, topic["id"])
    if release is None:
        return None
    may_thank = can_thank(viewer, {**dict(topic), "uploader_id": release["uploader_id"]})
    thanked = viewer.id is not None and await has_thanked(db, release["id"], viewer.id)
    return ThanksBox(
        torrent_id=release["id"],
        count=await thanks_count(db, release["id"]),
        thankers=await newest_thankers(db, release["id"], settings.thanks_shown_max),
        may_thank=may_thank and not thanked,
        thanked=thanked,
    )


THANKS_BOX = TopicExtension("thanks", Slot.AFTER_FIRST_POST, "thanks/thanks_box.html", thanks_box)
