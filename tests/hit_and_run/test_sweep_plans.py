"""The sweep and the hit-and-run count read from indexes at the large bench board's scale:
the sweep's chunks walk snatches by completion time and the active hit-and-runs by
member, in index order (no sort of 2,000,000 snatches per chunk); the count the download
check and the tracker's member lookup read walks the partial index of active ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.forum.board import empty_board_connection
from tests.plans import with_large_bench_statistics
from tinypier.hit_and_run.obligations import Terms
from tinypier.hit_and_run.sweep import active_sql, due_snatches_sql
from tinypier.permissions.hit_and_run import active_count_sql

RULES = [
    Terms(seed_seconds=72 * 3600, window_seconds=14 * 86_400, min_ratio=0.0),
    Terms(seed_seconds=72 * 3600, window_seconds=14 * 86_400, min_ratio=1.0),
]


def plan(tmp_path: Path, statement: str, params: list[object]) -> list[str]:
    connection = empty_board_connection(tmp_path)
    with_large_bench_statistics(connection)
    return [str(row[3]) for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", params)]


@pytest.mark.parametrize("rules", RULES, ids=["hours", "hours-or-ratio"])
def test_a_sweep_chunk_walks_snatches_by_completion_time(tmp_path: Path, rules: Terms) -> None:
    sql, params = due_snatches_sql(rules)

    steps = plan(tmp_path, sql, [*params, 0, 0, 0, 1, 500])

    assert steps[0].startswith("SEARCH s USING INDEX ix_snatches_completed (completed_at>? AND")
    assert not any(step.startswith("SCAN") or "TEMP B-TREE" in step for step in steps), steps


@pytest.mark.parametrize("rules", RULES, ids=["hours", "hours-or-ratio"])
def test_the_clearing_pass_walks_only_active_hit_and_runs(tmp_path: Path, rules: Terms) -> None:
    sql, params = active_sql(rules)

    steps = plan(tmp_path, sql, [*params, 0, 0, 0, 500])

    assert steps[0].startswith("SEARCH h USING INDEX ix_hit_and_runs_active (user_id>?)")
    assert not any(step.startswith("SCAN") or "TEMP B-TREE" in step for step in steps), steps


def test_a_members_active_count_walks_the_partial_index(tmp_path: Path) -> None:
    statement = f"SELECT id, {active_count_sql('users.id')} FROM users WHERE passkey = ?"

    steps = plan(tmp_path, statement, ["passkey"])

    assert any("ix_hit_and_runs_active (user_id=?)" in step for step in steps), steps
    assert not any(step.startswith("SCAN") for step in steps), steps
