"""The /tracker page's query: every release the viewer may see, filtered, sorted, paged.

Each sort walks its own index (migration 0004) and stops after one page; the forum
filter walks (forum_id, created_at). The query names ``torrents`` first with CROSS JOIN so
SQLite never turns the plan around to start from the handful of forums and then sort every
release in a temporary B-tree. Pages are counted by fetching one row more than shown, not
by counting all matches, which would cost a full scan on every view.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import N_
from tinypier.permissions.sql import live_release_clause, visible_forums_clause
from tinypier.release_statuses import FREELEECH_LABELS, GOLD, SILVER, STATUS_LABELS
from tinypier.thanks.queries import THANKS_COUNT_COLUMN
from tinypier.web.numbers import whole_number
from tinypier.word_forms import stem
from tinypier.word_forms import words as words_of

PER_PAGE = 50
MAX_PAGE = 10_000
MAX_DAYS = 36_500
MAX_WORDS = 8
ANY_FREELEECH = "any"

SORT_COLUMNS: dict[str, str] = {
    "added": "t.created_at",
    "title": "t.title",
    "size": "t.total_size",
    "seeders": "t.seeders",
    "leechers": "t.leechers",
    "completed": "t.completed",
}
SORT_LABELS: dict[str, str] = {
    "added": N_("Added"),
    "title": N_("Title"),
    "size": N_("Size"),
    "seeders": N_("Seeders"),
    "leechers": N_("Leechers"),
    "completed": N_("Completed"),
}

_SELECT = (
    f"SELECT {THANKS_COUNT_COLUMN},"  # noqa: S608 - a constant column
    " t.id, t.topic_id, t.title, t.name, t.total_size, t.file_count, t.seeders,"
    " t.leechers, t.completed, t.created_at, t.status, t.freeleech, t.forum_id,"
    " t.info_hash, t.info_hash_v2, t.uploader_id, t.web_seeds_enabled, f.name AS forum_name,"
    " f.view_role, f.download_role,"
    " u.name AS uploader_name"
    " FROM torrents t CROSS JOIN forums f ON f.id = t.forum_id"
    " CROSS JOIN users u ON u.id = t.uploader_id"
)


@dataclass(frozen=True)
class ReleaseFilters:
    """What the viewer asked for; anything not understood falls back to the default."""

    forum_id: int | None = None
    category_id: int | None = None
    words: str = ""
    status: str | None = None
    freeleech: str | None = None
    seeded: bool = False
    mine: bool = False
    snatched: bool = False
    days: int | None = None
    sort: str = "added"
    descending: bool = True
    page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> ReleaseFilters:
        return cls(
            forum_id=_positive(query.get("forum"), None),
            category_id=_positive(query.get("category"), None),
            words=query.get("q", "").strip()[:200],
            status=_choice(query.get("status"), STATUS_LABELS),
            freeleech=_choice(query.get("freeleech"), [*FREELEECH_LABELS, ANY_FREELEECH]),
            seeded=_flag(query.get("seeded")),
            mine=_flag(query.get("mine")),
            snatched=_flag(query.get("snatched")),
            days=min(_positive(query.get("days"), 0), MAX_DAYS) or None,
            sort=_choice(query.get("sort"), SORT_COLUMNS) or "added",
            descending=query.get("order", "desc") != "asc",
            page=min(_positive(query.get("page"), 1), MAX_PAGE),
        )

    @property
    def narrows(self) -> bool:
        """Whether any filter leaves releases out (sort order and page aside): an empty
        listing then means "none match", not "none yet"."""
        return bool(self.query(sort="added", descending=True, page=1))

    def query(self, **changes: Any) -> dict[str, str]:
        """These filters as query parameters (defaults left out), with ``changes`` applied."""
        changed = replace(self, **changes)
        pairs = {
            "forum": changed.forum_id,
            "category": changed.category_id,
            "q": changed.words,
            "status": changed.status,
            "freeleech": changed.freeleech,
            "seeded": 1 if changed.seeded else None,
            "mine": 1 if changed.mine else None,
            "snatched": 1 if changed.snatched else None,
            "days": changed.days,
            "sort": None if changed.sort == "added" else changed.sort,
            "order": None if changed.descending else "asc",
            "page": None if changed.page == 1 else changed.page,
        }
        return {key: str(value) for key, value in pairs.items() if value not in (None, "")}


@dataclass(frozen=True)
class ReleasePage:
    rows: list[sqlite3.Row]
    filters: ReleaseFilters
    has_next: bool


def _positive(value: str | None, default: int | None) -> Any:
    return whole_number(value) or default


def _flag(value: str | None) -> bool:
    return value in ("1", "true", "on", "yes")


def _choice(value: str | None, allowed: Any) -> str | None:
    return value if value in allowed else None


def fts_query(words: str) -> str | None:
    """Every word the member typed, as a prefix of a title word or as any form of one.

    ``фильм`` finds "Фильмы" (prefix) and ``фильма`` finds "Фильм" (stem). Folded words and
    stems are letters and digits only, so quoting them keeps FTS5 syntax out."""
    terms = [
        f'({{title_words}} : "{word.form}" * OR {{title_stems}} : "{stem(word.form)}")'
        for word in words_of(words)[:MAX_WORDS]
    ]
    return " AND ".join(terms) or None


def release_query(
    viewer: Viewer,
    filters: ReleaseFilters,
    now: int,
    per_page: int = PER_PAGE,
    restriction: tuple[str, list[Any]] | None = None,
) -> tuple[str, list[Any]]:
    """The page's SQL; ``restriction`` is one more ``(sql, params)`` condition over ``t``
    and ``f``, such as the feeds' "only what this member may download"."""
    visible_sql, params = visible_forums_clause(viewer, "f")
    conditions = [visible_sql, live_release_clause("t")]
    arguments: list[Any] = list(params)

    def where(condition: str, *values: Any) -> None:
        conditions.append(condition)
        arguments.extend(values)

    if restriction is not None:
        where(restriction[0], *restriction[1])
    if filters.forum_id is not None:
        where("t.forum_id = ?", filters.forum_id)
    if filters.category_id is not None:
        where("t.forum_id IN (SELECT id FROM forums WHERE category_id = ?)", filters.category_id)
    match = fts_query(filters.words)
    if match is not None:
        where("t.id IN (SELECT rowid FROM release_titles WHERE release_titles MATCH ?)", match)
    if filters.status is not None:
        where("t.status = ?", filters.status)
    if filters.freeleech == ANY_FREELEECH:
        where("t.freeleech IN (?, ?)", SILVER, GOLD)
    elif filters.freeleech is not None:
        where("t.freeleech = ?", filters.freeleech)
    if filters.seeded:
        where("t.seeders > 0")
    if filters.mine:
        where("t.uploader_id = ?", viewer.id)
    if filters.snatched:
        where("t.id IN (SELECT torrent_id FROM snatches WHERE user_id = ?)", viewer.id)
    if filters.days is not None:
        where("t.created_at >= ?", now - filters.days * 86_400)
    direction = "DESC" if filters.descending else "ASC"
    order = f"{SORT_COLUMNS[filters.sort]} {direction}, t.id {direction}"
    sql = f"{_SELECT} WHERE {' AND '.join(conditions)} ORDER BY {order} LIMIT ? OFFSET ?"
    return sql, [*arguments, per_page + 1, (filters.page - 1) * per_page]


async def list_releases(
    db: Database,
    viewer: Viewer,
    filters: ReleaseFilters,
    per_page: int = PER_PAGE,
    restriction: tuple[str, list[Any]] | None = None,
) -> ReleasePage:
    sql, params = release_query(viewer, filters, int(time.time()), per_page, restriction)
    rows = await db.fetch_all(sql, params)
    return ReleasePage(rows[:per_page], filters, has_next=len(rows) > per_page)


async def release_forums(db: Database, viewer: Viewer) -> list[sqlite3.Row]:
    """The forums the filter menu offers: those taking releases that the viewer may see."""
    visible_sql, params = visible_forums_clause(viewer, "f")
    return await db.fetch_all(
        "SELECT f.id, f.name, c.id AS category_id, c.name AS category_name"  # noqa: S608 - placeholders only
        " FROM forums f JOIN categories c ON c.id = f.category_id"
        f" WHERE f.allows_releases = 1 AND {visible_sql}"
        " ORDER BY c.position, f.position",
        params,
    )
