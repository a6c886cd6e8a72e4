"""The member a page is about, or a 404: a row can vanish between two requests."""

from __future__ import annotations

import sqlite3

from litestar.exceptions import NotFoundException

from tinypier.accounts.queries import find_user_by_id
from tinypier.db.connection import Database
from tinypier.i18n import _


async def member_or_404(db: Database, user_id: int | None) -> sqlite3.Row:
    row = None if user_id is None else await find_user_by_id(db, user_id)
    if row is None:
        raise NotFoundException(_("No such member."))
    return row
