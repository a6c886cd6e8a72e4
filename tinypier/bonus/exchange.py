"""Spending and adjusting points: a member's exchanges and an admin's grant or take.

Each is one :class:`~tinypier.bonus.ledger.BalanceChange` applied in one transaction, so
a member without the points changes nothing, and two quick clicks cannot spend the same
points twice (the balance is checked by the UPDATE that takes them).
"""

from __future__ import annotations

import time
from enum import Enum

from tinypier.bonus.ledger import (
    GIB,
    GRANT,
    INVITE_EXCHANGE,
    TAKE,
    UPLOAD_EXCHANGE,
    BalanceChange,
    apply_change,
)
from tinypier.db.connection import Database
from tinypier.settings import Settings

MAX_EXCHANGE = 10_000
"""Most GiB or invites bought at once (a typo of many zeros is refused, not charged)."""
MAX_ADJUSTMENT = 10**9
MAX_REASON_CHARS = 300


class Offer(Enum):
    """What points buy."""

    UPLOAD = "upload"
    INVITES = "invites"

    def price(self, settings: Settings) -> int:
        """Points per GiB or per invite; 0 when the admins turned this exchange off."""
        if self is Offer.UPLOAD:
            return settings.bonus_upload_price
        return settings.bonus_invite_price


def offers(settings: Settings) -> list[Offer]:
    """The exchanges the board offers now."""
    return [offer for offer in Offer if offer.price(settings)]


def exchange_change(settings: Settings, user_id: int, offer: Offer, amount: int) -> BalanceChange:
    cost = offer.price(settings) * amount
    if offer is Offer.UPLOAD:
        return BalanceChange(
            user_id, UPLOAD_EXCHANGE, points=-cost, uploaded=amount * GIB, quantity=amount
        )
    return BalanceChange(user_id, INVITE_EXCHANGE, points=-cost, invites=amount, quantity=amount)


async def exchange(
    db: Database, settings: Settings, user_id: int, offer: Offer, amount: int
) -> int:
    """Spend points on ``amount`` GiB or invites; returns the points spent. Raises
    :class:`~tinypier.bonus.ledger.BalanceTooLow` (nothing changed) without them."""
    change = exchange_change(settings, user_id, offer, amount)
    async with db.transaction() as connection:
        await apply_change(connection, change, int(time.time()))
    return -change.points


async def adjust_points(
    db: Database, admin_id: int, user_id: int, points: int, reason: str
) -> None:
    """An admin's grant (``points`` > 0) or take (< 0), with their reason in the ledger.
    A take beyond the balance raises :class:`~tinypier.bonus.ledger.BalanceTooLow`."""
    change = BalanceChange(
        user_id, GRANT if points > 0 else TAKE, points=points, note=reason, actor_id=admin_id
    )
    async with db.transaction() as connection:
        await apply_change(connection, change, int(time.time()))
