"""The tracker's cache of passkeys and info hashes gives the garbage collector nothing to
walk.

Every full collection walks every tracked object outside the frozen start-up state, with
the event loop stopped. A cache entry made of a dataclass, a tuple and a set was four
tracked objects; at a million peers the cached members and releases were some 600,000,
and the collections they caused paused the loop 40-120 ms (bench/announce.py's large
board, its p99). Held against the compiled build too (CI runs this directory on both)."""

from __future__ import annotations

import gc
import weakref

from tests.helpers import add_member
from tinypier.datadir import prepare_data_dir
from tinypier.db.connection import connect_sync
from tinypier.settings import Settings
from tinypier.tracker.registry import Member, Registry

MEMBERS = 300


def tracked_objects() -> int:
    """Objects the collector tracks after a full collection, leaving out weak references:
    the sqlite3 module keeps one per cursor it made, dropped every 200 cursors."""
    gc.collect()
    return sum(1 for found in gc.get_objects() if not isinstance(found, weakref.ref))


def test_cached_members_add_no_object_for_the_collector_to_walk(settings: Settings) -> None:
    prepare_data_dir(settings)
    members = [add_member(settings, f"member{number}") for number in range(MEMBERS)]
    connection = connect_sync(settings.database_path)
    try:
        registry = Registry(connection)
        looked_up = [registry.member(member.passkey) for member in members]
        tracked_before = tracked_objects()
        fresh = Registry(connection)
        for member in members:
            fresh.member(member.passkey)
        tracked_after = tracked_objects()
    finally:
        connection.close()

    assert all(isinstance(found, Member) for found in looked_up)
    assert [found.id for found in looked_up if found] == [member.id for member in members]
    assert tracked_after - tracked_before < MEMBERS // 10, (
        f"caching {MEMBERS} members left {tracked_after - tracked_before} more objects"
        " for every full collection to walk"
    )


def test_a_cached_member_is_the_member_read_and_forgetting_drops_it(settings: Settings) -> None:
    prepare_data_dir(settings)
    member = add_member(settings, "reader")
    connection = connect_sync(settings.database_path)
    try:
        registry = Registry(connection)
        first = registry.member(member.passkey)
        connection.execute("UPDATE users SET uploaded = 7 WHERE id = ?", (member.id,))
        connection.commit()
        cached = registry.member(member.passkey)
        registry.forget_member(member.id)
        reread = registry.member(member.passkey)
    finally:
        connection.close()

    assert first is not None and cached == first, "a hit answers what was read"
    assert reread is not None and reread.uploaded == 7, "a forgotten member is read again"
    assert reread.download_forums == ()
