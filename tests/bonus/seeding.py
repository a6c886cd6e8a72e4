"""A board where members seed: releases of chosen sizes and ages, and the seeding time the
tracker records (``transfers.seeding_seconds``, as its credit-log fold leaves it)."""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.forum.board import add_forum, add_release, add_topic, on_board, sql
from tests.helpers import Member, add_member
from tinypier.bonus.accrual import pay_seeding_bonus
from tinypier.datadir import prepare_data_dir
from tinypier.jobs.base import JobResult
from tinypier.settings import Settings

GIB = 1024**3
HOUR = 3600
DAY = 86400
START = 1_800_000_000 - 1_800_000_000 % HOUR
"""The frozen clock's first hour (a whole hour, so "an hour later" pays one hour)."""


def prepared(settings: Settings, **changes: Any) -> Settings:
    """A migrated board with these settings (bands, cap, prices)."""
    settings = dataclasses.replace(settings, **changes)
    prepare_data_dir(settings)
    return settings


class SeedingBoard:
    """Releases, members and recorded seeding, written as the tracker would leave them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.uploader = add_member(settings, "uploader")
        self.forum = add_forum(settings, "Releases", releases=True)
        self._releases = 0

    def release(self, size_gib: float, created_at: int = START) -> int:
        """A release of that size, added at ``created_at``."""
        self._releases += 1
        topic = add_topic(settings=self.settings, forum_id=self.forum, author=self.uploader,
                          title=f"Release {self._releases}", body="A release.")  # fmt: skip
        torrent_id = add_release(self.settings, topic, self.uploader, int(size_gib * GIB))
        sql(
            self.settings,
            "UPDATE torrents SET created_at = ? WHERE id = ?",
            (created_at, torrent_id),
        )
        return torrent_id

    def member(self, name: str) -> Member:
        return add_member(self.settings, name)

    def seed(self, member: Member, torrent_id: int, seconds: int) -> None:
        """Record ``seconds`` more seeding of the release by the member."""
        sql(
            self.settings,
            "INSERT INTO transfers (torrent_id, user_id, uploaded, downloaded, seeding_seconds,"
            " first_seen_at, last_seen_at) VALUES (?, ?, 0, 0, ?, ?, ?)"
            " ON CONFLICT (torrent_id, user_id) DO UPDATE"
            " SET seeding_seconds = seeding_seconds + excluded.seeding_seconds",
            (torrent_id, member.id, seconds, START, START),
        )

    def pay(self, now: int, settings: Settings | None = None) -> JobResult:
        """Run the bonus job at the frozen time ``now``."""
        chosen = settings or self.settings
        return on_board(chosen, lambda db: pay_seeding_bonus(db, chosen, now))

    def points(self, member: Member) -> int:
        return int(
            sql(self.settings, "SELECT bonus_points FROM users WHERE id = ?", (member.id,))[0][0]
        )

    def ledger(self, member: Member) -> list[tuple[Any, ...]]:
        return [
            tuple(row)
            for row in sql(
                self.settings,
                "SELECT kind, points, uploaded, invites, quantity, note FROM member_ledger"
                " WHERE user_id = ? ORDER BY id",
                (member.id,),
            )
        ]


def ledger_matches_balances(settings: Settings) -> bool:
    """Every member's ledger points sum to their balance (and nobody has points without)."""
    rows = sql(
        settings,
        "SELECT u.id, u.bonus_points, COALESCE(SUM(l.points), 0) FROM users u"
        " LEFT JOIN member_ledger l ON l.user_id = u.id GROUP BY u.id",
    )
    return all(balance == total for _, balance, total in rows)
