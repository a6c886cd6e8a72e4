"""Repairs: recompute what the database derives from what members wrote.

Some of what the board stores is derived: a post's HTML from its BBCode source, the
forum, topic and member post counters from the rows they count, the search index from
the posts and titles. When the code that derives them changes (a renderer that stores
no interface words, a stemmed index), or an import or a hand edit leaves them stale, a
repair recomputes them from the source.

Each repair is a plain function over a blocking connection (``connect_sync``), so
migrations, the importer and ``tinypier repair`` share it. Each is idempotent (a second
run changes nothing), writes in short transactions (safe beside a running board), and
returns a ``RepairReport``. Batched repairs record their progress, so one cut short by
a crash resumes where it stopped (see ``tinypier.repair.pending``).

A migration requests a repair by inserting its name into ``pending_repairs``; the
repairs requested run right after the migrations, before the board is served.
"""

from __future__ import annotations

from tinypier.repair.base import Checkpoint, Repair, RepairReport
from tinypier.repair.counters import recount_counters
from tinypier.repair.posts import rerender_posts
from tinypier.repair.search import rebuild_search

REPAIRS: dict[str, Repair] = {
    repair.name: repair
    for repair in (
        Repair("rerender", rerender_posts),
        Repair("recount", recount_counters),
        Repair("search", rebuild_search),
    )
}
"""Every repair by the name migrations and ``tinypier repair NAME`` use."""

__all__ = ["REPAIRS", "Checkpoint", "Repair", "RepairReport"]
