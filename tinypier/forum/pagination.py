"""Page numbers for long lists: forums, topics, the moderation log."""

from __future__ import annotations

from dataclasses import dataclass

from tinypier.web.numbers import whole_number


@dataclass(frozen=True)
class Pagination:
    """Which page of ``count`` pages is shown; numbers start at 1 as members read them."""

    number: int
    count: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None


def page_of(position: int, per_page: int) -> int:
    """The page that holds the item with this 0-based position."""
    return position // per_page + 1


def paginate(requested: str | None, total: int, per_page: int) -> Pagination:
    """The page asked for in ``?page=`` (a number or ``last``), kept within the list.

    A number out of range or unreadable shows the nearest real page rather than an
    error: old links to a shrunken topic still land somewhere useful.
    """
    count = max(1, page_of(total - 1, per_page)) if total > 0 else 1
    if requested == "last":
        return Pagination(count, count, per_page)
    number = whole_number(requested) or 1
    return Pagination(min(max(number, 1), count), count, per_page)
