"""The points pages: a member's balance, exchanges and ledger; an admin's grant and take.

``/bonus`` is the member's own page; ``/members/{id}/ledger`` shows a member's ledger to
them and to admins (:func:`~tinypier.permissions.rules.can_read_ledger`), with the
grant/take form for admins. Every change is a POST with the form's CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery, Parameter
from litestar.response import Redirect, Template

from tinypier.accounts.forms import Form
from tinypier.accounts.guards import require_admin, require_member
from tinypier.accounts.viewer import Viewer
from tinypier.bonus.accrual import BONUS_JOB
from tinypier.bonus.exchange import (
    MAX_ADJUSTMENT,
    MAX_EXCHANGE,
    MAX_REASON_CHARS,
    Offer,
    adjust_points,
    exchange,
    offers,
)
from tinypier.bonus.ledger import KIND_LABELS, BalanceTooLow, count_entries, entries_page
from tinypier.db.connection import Database
from tinypier.forum.pagination import paginate
from tinypier.i18n import _
from tinypier.permissions.rules import can_read_ledger
from tinypier.settings import Settings, bonus_bands
from tinypier.web.extensions import Feature
from tinypier.web.numbers import LARGEST_SQL_INTEGER, whole_number
from tinypier.web.pages import redirect, render, route

ViewerRequest = Request[Viewer, Any, Any]


@dataclass
class ExchangeForm:
    offer: str = ""
    amount: str = ""


@dataclass
class AdjustForm:
    direction: str = ""
    points: str = ""
    reason: str = ""


async def _member(db: Database, member_id: int) -> Any:
    member = await db.fetch_one(
        "SELECT id, name, bonus_points, uploaded, downloaded, invite_quota FROM users WHERE id = ?",
        (member_id,),
    )
    if member is None:
        raise NotFoundException(_("No member with this number."))
    return member


def _ledger_path(request: ViewerRequest, member_id: int) -> str:
    if request.user.id == member_id:
        return route(request, "bonus:mine")
    return route(request, "bonus:ledger", member_id=member_id)


async def _ledger_page(
    request: ViewerRequest, db: Database, settings: Settings, member_id: int, page: str | None
) -> Template:
    member = await _member(db, member_id)
    pagination = paginate(page, await count_entries(db, member_id), settings.ledger_rows_per_page)
    own = request.user.id == member_id
    return render(
        request,
        "bonus/ledger.html",
        member=member,
        own=own,
        entries=await entries_page(db, member_id, pagination),
        pagination=pagination,
        kind_labels=KIND_LABELS,
        offers=[(offer.value, offer.price(settings)) for offer in offers(settings)] if own else [],
        size_bands=bonus_bands(settings.bonus_points_by_size),
        age_bands=bonus_bands(settings.bonus_points_by_age),
        max_exchange=MAX_EXCHANGE,
        max_adjustment=MAX_ADJUSTMENT,
        max_reason_chars=MAX_REASON_CHARS,
        base=_ledger_path(request, member_id),
    )


@get("/bonus", name="bonus:mine", guards=[require_member])
async def my_points(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    page: FromQuery[str | None] = None,
) -> Template:
    """The member's own points: balance, what they buy, and the ledger."""
    return await _ledger_page(request, db, settings, request.user.id or 0, page)


@get("/members/{member_id:int}/ledger", name="bonus:ledger", guards=[require_member])
async def member_ledger(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    member_id: Annotated[int, Parameter(ge=1, le=LARGEST_SQL_INTEGER)],
    page: FromQuery[str | None] = None,
) -> Template:
    """A member's ledger, for themselves and admins."""
    if not can_read_ledger(request.user, member_id):
        raise PermissionDeniedException(_("Only the member and admins may read this ledger."))
    return await _ledger_page(request, db, settings, member_id, page)


def _offer(text: str) -> Offer | None:
    try:
        return Offer(text)
    except ValueError:
        return None


@post("/bonus/exchange", name="bonus:exchange", guards=[require_member])
async def exchange_points(
    request: ViewerRequest,
    db: NamedDependency[Database],
    settings: NamedDependency[Settings],
    data: Form[ExchangeForm],
) -> Redirect:
    back = route(request, "bonus:mine")
    offer = _offer(data.offer)
    if offer is None or offer not in offers(settings):
        return redirect(back, _("This board does not offer that exchange."), "error")
    amount = whole_number(data.amount, MAX_EXCHANGE)
    if not amount:
        return redirect(back, _("Enter a number from 1 to %(num)s.", num=MAX_EXCHANGE), "error")
    try:
        spent = await exchange(db, settings, request.user.id or 0, offer, amount)
    except BalanceTooLow:
        needed = offer.price(settings) * amount
        return redirect(
            back, _("You need %(num)s points for that; nothing was changed.", num=needed), "error"
        )
    request.app.state.changes.user_changed(request.user.id or 0)
    if offer is Offer.UPLOAD:
        message = _("You spent %(points)s points on %(num)s GiB of upload credit.",
                    points=spent, num=amount)  # fmt: skip
    else:
        message = _("You spent %(points)s points on %(num)s more invites.",
                    points=spent, num=amount)  # fmt: skip
    return redirect(back, message, "success")


@post("/admin/users/{user_id:int}/points", name="bonus:adjust", guards=[require_admin])
async def adjust_member_points(
    request: ViewerRequest,
    db: NamedDependency[Database],
    user_id: FromPath[int],
    data: Form[AdjustForm],
) -> Redirect:
    """An admin grants or takes points, giving a reason the member reads in the ledger."""
    member = await _member(db, user_id)
    back = _ledger_path(request, user_id)
    points = whole_number(data.points, MAX_ADJUSTMENT)
    reason = data.reason.strip()
    if data.direction not in ("grant", "take") or not points:
        return redirect(
            back, _("Enter points from 1 to %(num)s to grant or take.", num=MAX_ADJUSTMENT), "error"
        )
    if not reason or len(reason) > MAX_REASON_CHARS:
        return redirect(
            back, _("Give a reason of 1 to %(num)s characters.", num=MAX_REASON_CHARS), "error"
        )
    signed = points if data.direction == "grant" else -points
    try:
        await adjust_points(db, request.user.id or 0, user_id, signed, reason)
    except BalanceTooLow:
        return redirect(
            back,
            _(
                "%(name)s has only %(num)s points; nothing was changed.",
                name=member["name"],
                num=member["bonus_points"],
            ),
            "error",
        )
    if signed > 0:
        message = _("Granted %(num)s points to %(name)s.", num=points, name=member["name"])
    else:
        message = _("Took %(num)s points from %(name)s.", num=points, name=member["name"])
    return redirect(back, message, "success")


FEATURE = Feature(
    "bonus",
    (my_points, member_ledger, exchange_points, adjust_member_points),
    jobs=(BONUS_JOB,),
)
