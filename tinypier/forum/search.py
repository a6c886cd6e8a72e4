"""Full-text search over topic titles and post text, limited to what the searcher may view.

The index is the FTS5 table ``post_search`` (migrations 0003 and 0010), one row per post,
kept in sync by triggers. It holds every text twice (see ``tinypier.word_forms``): folded
words, where ``"exact phrases"`` and ``prefix*`` are searched, and their stems, where
plain words are, so ``фильма`` finds "Фильм". Three rules keep this page safe:

* The searcher's text never reaches FTS5 as syntax: it is cut into words and every word
  is quoted, so ``NEAR(``, ``OR``, stray quotes or parentheses are only words; a closed
  pair of ``"`` and a trailing ``*`` are read here (``tinypier.forum.search_terms``).
* Visibility is a join on the forum of each hit, so a private forum's posts are never
  ranked, counted or snippeted for someone who may not view them.
* The marked title and snippet are plain text (the snippet is the post as readers see
  it, ``tinypier.post_text``, never its BBCode): it is HTML-escaped here, and only
  then are the per-request random markers turned into ``<mark>``.

A page takes one statement, which finds, filters and orders the hits and reads the text
of the page's posts; the words the search matched are then marked in that text here, in
their written form whatever form was searched, for the page's posts only.
"""

from __future__ import annotations

import asyncio
import html
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromQuery, Parameter
from litestar.response import Template
from markupsafe import Markup

from tinypier.accounts.names import name_key
from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.forum.search_terms import Term, first_match, matched_words, parse_terms
from tinypier.i18n import N_, _
from tinypier.permissions.sql import live_clause, readable_forums_clause
from tinypier.post_text import post_text
from tinypier.web import urls
from tinypier.web.numbers import whole_number
from tinypier.web.pages import render
from tinypier.word_forms import Word, iter_words, words

PAGE_SIZE = 20
# Like phpBB's result cap: only the newest matching posts are ordered and paged, so the
# work per search is bounded however large the board grows.
MAX_CANDIDATES = 1_000
MAX_PAGE = MAX_CANDIDATES // PAGE_SIZE
# Matches read per result wanted before falling back to the full cap (see _candidate_limits).
PREFIX_FACTOR = 3
MAX_QUERY_CHARACTERS = 200
MAX_TERMS = 12
SNIPPET_TOKENS = 32
# How a page of results is ordered: each hit's score (lowest first) and the FTS5 rank
# function it needs. Newest first is the default, as on phpBB and TorrentPier, and costs
# the same on any board. Best match is BM25 with a title word worth four body words;
# BM25 counts every post holding each word, so a very common word costs more there.
SEARCH_ORDERS: dict[str, tuple[str, str | None]] = {
    "newest": ("-post_search.rowid", None),
    "relevance": ("post_search.rank", "bm25(4.0, 1.0, 4.0, 1.0)"),
}
DEFAULT_ORDER = "newest"
LARGEST_ID = 2**62


def topic_path(topic_id: int) -> str:
    return urls.path("forum:topic", topic_id=topic_id)


def post_path(post_id: int) -> str:
    """A post's permalink: the forum pages send it to the right page of its topic."""
    return urls.path("forum:post", post_id=post_id)


def search_terms(text: str) -> list[Term]:
    return parse_terms(text[:MAX_QUERY_CHARACTERS], MAX_TERMS)


def fts_query(text: str) -> str | None:
    """The searcher's text as an FTS5 query whose only operators are the ones built here.

    The terms are ANDed (FTS5's implicit operator). ``None`` when there is nothing to find.
    """
    return " ".join(term.fts() for term in search_terms(text)) or None


@dataclass(frozen=True)
class Markers:
    """Match markers no member can type: random per search, so they can't be forged."""

    open: str
    close: str

    @classmethod
    def fresh(cls) -> Markers:
        nonce = secrets.token_hex(8)
        return cls(f"\ue000{nonce}\ue001", f"\ue002{nonce}\ue001")

    def to_html(self, text: str) -> Markup:
        """Escape the plain text, then (and only then) mark the matches."""
        escaped = html.escape(text, quote=True)
        return Markup(  # noqa: S704 - every character of member text was escaped above
            escaped.replace(self.open, "<mark>").replace(self.close, "</mark>")
        )


@dataclass(frozen=True)
class SearchRequest:
    text: str
    forum_id: int | None
    author_id: int | None
    page: int
    order: str = DEFAULT_ORDER


@dataclass(frozen=True)
class SearchHit:
    post_id: int
    link: str
    topic_id: int
    title: Markup
    forum_id: int
    forum_name: str
    author_id: int
    author_name: str
    created_at: datetime
    snippet: Markup


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    has_next: bool


def _filters(viewer: Viewer, request: SearchRequest) -> tuple[str, list[Any]]:
    """The WHERE conditions after MATCH: visibility (no deleted topic or post, for
    anyone) always, forum and author if asked."""
    visible_sql, visible_params = readable_forums_clause(viewer, "f")
    conditions = [visible_sql, live_clause("t"), live_clause("p")]
    params: list[Any] = list(visible_params)
    if request.forum_id is not None:
        conditions.append("t.forum_id = ?")
        params.append(request.forum_id)
    if request.author_id is not None:
        conditions.append("p.author_id = ?")
        params.append(request.author_id)
    return " AND ".join(conditions), params


def search_sql(
    viewer: Viewer, request: SearchRequest, candidates: int = MAX_CANDIDATES
) -> tuple[str, list[Any]]:
    """The statement that finds one page of hits (without their marked text) and its parameters.

    ``hits`` takes the newest visible matches (FTS5 walks its index newest first; posts,
    topics and forums are looked up by primary key, never scanned) and scores them.
    ``best`` keeps each topic's best post, so a title word does not list every reply of
    that topic, and cuts one page (and one more row, to tell whether a next page exists).
    """
    query = fts_query(request.text) or ""
    conditions, filter_params = _filters(viewer, request)
    score_sql, ranking = SEARCH_ORDERS[request.order]
    rank_sql = " AND post_search.rank MATCH ?" if ranking else ""
    rank_params = [ranking] if ranking else []
    # Only fixed SQL fragments are interpolated; every value is a ``?`` parameter.
    sql = (
        "WITH hits AS ("  # noqa: S608
        " SELECT post_search.rowid AS post_id, p.topic_id AS topic_id,"
        f" {score_sql} AS score"
        " FROM post_search"
        " JOIN posts p ON p.id = post_search.rowid"
        " JOIN topics t ON t.id = p.topic_id"
        " JOIN forums f ON f.id = t.forum_id"
        f" WHERE post_search MATCH ?{rank_sql} AND {conditions}"
        " ORDER BY post_search.rowid DESC LIMIT ?"
        "), best AS ("
        " SELECT post_id, score, candidates_read FROM ("
        "  SELECT post_id, score, COUNT(*) OVER () AS candidates_read,"
        "  ROW_NUMBER() OVER (PARTITION BY topic_id ORDER BY score, post_id) AS place"
        "  FROM hits"
        " ) WHERE place = 1"
        " ORDER BY score, post_id LIMIT ? OFFSET ?"
        ")"
        " SELECT p.id AS post_id, p.topic_id, p.created_at, t.forum_id, f.name AS forum_name,"
        " t.title, p.body_html,"
        " best.candidates_read,"
        " p.author_id, u.name AS author_name"
        " FROM best"
        " JOIN posts p ON p.id = best.post_id"
        " JOIN topics t ON t.id = p.topic_id"
        " JOIN forums f ON f.id = t.forum_id"
        " JOIN users u ON u.id = p.author_id"
        " ORDER BY best.score, best.post_id"
    )
    offset = (request.page - 1) * PAGE_SIZE
    return sql, [query, *rank_params, *filter_params, candidates, PAGE_SIZE + 1, offset]


def _marked_stretch(
    text: str, found: list[Word], marked: set[int], markers: Markers, first: int, last: int
) -> str:
    """The original ``text`` from its word ``first`` to before ``last`` (to its very start
    and end where those are its first and last words; else ``…``), marked words between
    ``markers``."""
    cursor = found[first].start if first else 0
    pieces = ["…"] if first else []
    for place in sorted(place for place in marked if first <= place < last):
        word = found[place]
        pieces += [text[cursor : word.start], markers.open, text[word.start : word.end]]
        pieces.append(markers.close)
        cursor = word.end
    if last < len(found):
        pieces += [text[cursor : found[last - 1].end], "…"]
    else:
        pieces.append(text[cursor:])
    return "".join(pieces)


def _marked_title(title: str, terms: list[Term], markers: Markers) -> str:
    found = words(title)
    return _marked_stretch(title, found, matched_words(terms, found), markers, 0, len(found))


def _snippet(body: str, terms: list[Term], markers: Markers) -> str:
    """``SNIPPET_TOKENS`` words of the body from a little before its first match (or its
    start), read no further than that: a long post costs no more than a short one."""
    found = first_match(terms, iter_words(body), after=SNIPPET_TOKENS + 1)
    marked = matched_words(terms, found)
    lead = min(marked, default=0) - SNIPPET_TOKENS // 4
    first = max(0, min(lead, len(found) - SNIPPET_TOKENS))
    last = min(len(found), first + SNIPPET_TOKENS)
    return _marked_stretch(body, found, marked, markers, first, last)


def _hit(row: sqlite3.Row, terms: list[Term], markers: Markers) -> SearchHit:
    title = _marked_title(row["title"], terms, markers)
    snippet = _snippet(post_text(row["body_html"]), terms, markers)
    return SearchHit(
        post_id=row["post_id"],
        link=post_path(row["post_id"]),
        topic_id=row["topic_id"],
        title=markers.to_html(title),
        forum_id=row["forum_id"],
        forum_name=row["forum_name"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        created_at=datetime.fromtimestamp(row["created_at"], UTC),
        snippet=markers.to_html(snippet),
    )


def _candidate_limits(request: SearchRequest) -> tuple[int, ...]:
    """How many newest matches to read: a few pages' worth first, all of the cap if needed.

    Newest first, a topic's best post is its newest match, so the first topics found in a
    short prefix of the matches are exactly the first topics of the whole list: when the
    prefix already fills the page (and shows there is a next one) the answer is the same
    as reading the full cap. A word in 30,000 posts then costs a few dozen rows, not a
    thousand. Relevance order has no such prefix, so it always reads the full cap.
    """
    if request.order != "newest":
        return (MAX_CANDIDATES,)
    prefix = (request.page * PAGE_SIZE + 1) * PREFIX_FACTOR
    return (prefix, MAX_CANDIDATES) if prefix < MAX_CANDIDATES else (MAX_CANDIDATES,)


def _complete(rows: list[sqlite3.Row], request: SearchRequest, candidates: int) -> bool:
    """Whether reading more candidate matches could change this page.

    Not when the page is full with a next one behind it, nor when fewer matches than the
    limit exist (nothing was cut), nor when the first page is empty (nothing matched)."""
    if len(rows) > PAGE_SIZE:
        return True
    if rows:
        return bool(rows[0]["candidates_read"] < candidates)
    return request.page == 1


async def _page_rows(db: Database, viewer: Viewer, request: SearchRequest) -> list[sqlite3.Row]:
    """The page's hits in order, plus the first hit of the next page if there is one."""
    rows: list[sqlite3.Row] = []
    for candidates in _candidate_limits(request):
        sql, params = search_sql(viewer, request, candidates)
        rows = await db.fetch_all(sql, params)
        if _complete(rows, request, candidates):
            break
    return rows


async def search_posts(db: Database, viewer: Viewer, request: SearchRequest) -> SearchResults:
    """One page of results, best first; empty when the text holds no word.

    A post deleted between the two statements has no marked text and is left out."""
    terms = search_terms(request.text)
    if not terms:
        return SearchResults([], has_next=False)
    rows = await _page_rows(db, viewer, request)
    hits = await asyncio.to_thread(_hits, rows[:PAGE_SIZE], terms)
    return SearchResults(hits, has_next=len(rows) > PAGE_SIZE)


def _hits(rows: list[sqlite3.Row], terms: list[Term]) -> list[SearchHit]:
    """The page's hits with their matches marked: on a worker thread, like rendering BBCode,
    so a page of long posts does not hold the loop the tracker answers on."""
    markers = Markers.fresh()
    return [_hit(row, terms, markers) for row in rows]


async def searchable_forums(db: Database, viewer: Viewer) -> list[sqlite3.Row]:
    """The forums the searcher may view, in board order, for the forum filter."""
    visible_sql, params = readable_forums_clause(viewer, "f")
    return await db.fetch_all(
        "SELECT f.id, f.name, c.name AS category_name FROM forums f"  # noqa: S608
        " JOIN categories c ON c.id = f.category_id"
        f" WHERE {visible_sql} ORDER BY c.position, c.id, f.position, f.id",
        params,
    )


async def member_id_by_name(db: Database, name: str) -> int | None:
    value = await db.fetch_value("SELECT id FROM users WHERE name_key = ?", (name_key(name),))
    return None if value is None else int(value)


def forum_choice(value: str) -> int | None:
    """The forum filter as the form sends it: empty for "All forums", else a forum id."""
    if not value.strip():
        return None
    forum_id = whole_number(value, LARGEST_ID)
    if not forum_id:
        raise ValidationException(_("Choose a forum from the list."))
    return forum_id


@dataclass(frozen=True)
class SearchForm:
    """What the searcher asked for, as the form shows it and the page links repeat it."""

    q: str
    forum_id: int | None
    author: str
    order: str

    def link(self, page: int) -> str:
        params: dict[str, str | int] = {"q": self.q}
        if self.forum_id is not None:
            params["forum"] = self.forum_id
        if self.author:
            params["author"] = self.author
        params["sort"] = self.order
        params["page"] = page
        return urls.path("forum:search", query=params)


class SearchController(Controller):
    path = "/search"

    @get(name="forum:search")
    async def search_page(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        q: FromQuery[str] = "",
        forum: Annotated[str, Parameter(max_length=20)] = "",
        author: FromQuery[str] = "",
        sort: FromQuery[str] = DEFAULT_ORDER,
        page: Annotated[int, Parameter(ge=1, le=MAX_PAGE)] = 1,
    ) -> Template:
        viewer: Viewer = request.user
        order = sort if sort in SEARCH_ORDERS else DEFAULT_ORDER
        form = SearchForm(q, forum_choice(forum), author.strip(), order)
        author_id = await member_id_by_name(db, form.author) if form.author else None
        unknown_author = bool(form.author) and author_id is None
        # The member list is for members only, so guests are never told whether a name
        # exists: an unknown author finds nothing, like a member with no visible posts.
        told_unknown = unknown_author and viewer.is_member
        searched = fts_query(q) is not None
        results = SearchResults([], has_next=False)
        if searched and not unknown_author:
            wanted = SearchRequest(q, form.forum_id, author_id, page, order)
            results = await search_posts(db, viewer, wanted)
        return render(
            request,
            "forum/search.html",
            form=form,
            orders={"newest": N_("Newest first"), "relevance": N_("Best match")},
            page=page,
            first_number=(page - 1) * PAGE_SIZE + 1,
            forums=await searchable_forums(db, viewer),
            searched=searched,
            unknown_author=told_unknown,
            results=results,
            previous_link=form.link(page - 1) if page > 1 else None,
            next_link=form.link(page + 1) if results.has_next else None,
        )
