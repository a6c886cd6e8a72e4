"""Seed bonus accrual, over simulated hours with a frozen clock: paid from the seeding time
the tracker recorded, by the release's size and age bands, capped per member and hour,
once per hour of seeding however often (or however brokenly) the job runs."""

from __future__ import annotations

import pytest

from tests.bonus.seeding import DAY, HOUR, START, SeedingBoard, ledger_matches_balances, prepared
from tests.forum.board import sql
from tinypier.bonus import accrual
from tinypier.settings import Settings


@pytest.fixture
def board(settings: Settings) -> SeedingBoard:
    # The default bands: 1 point an hour below 1 GiB, 2 from 1 GiB, 3 from 10, 4 from 50;
    # one more from 30 days of age, two from a year. The cap is set high unless a test
    # is about it.
    return SeedingBoard(prepared(settings, bonus_max_points_per_hour=1000))


def test_an_hour_of_seeding_earns_the_release_size_band(board: SeedingBoard) -> None:
    small, big = board.release(0.5), board.release(12)
    seeder = board.member("seeder")
    board.seed(seeder, small, HOUR)
    board.seed(seeder, big, HOUR)

    board.pay(START + HOUR)

    assert board.points(seeder) == 1 + 3
    assert board.ledger(seeder) == [("seeding", 4, 0, 0, 2, "")]


def test_older_releases_earn_their_age_band_on_top(board: SeedingBoard) -> None:
    month_old = board.release(0.5, created_at=START - 40 * DAY)
    year_old = board.release(0.5, created_at=START - 400 * DAY)
    seeder = board.member("seeder")
    board.seed(seeder, month_old, HOUR)
    board.seed(seeder, year_old, HOUR)

    board.pay(START + HOUR)

    assert board.points(seeder) == (1 + 1) + (1 + 2)


def test_only_whole_hours_are_paid_and_the_rest_waits(board: SeedingBoard) -> None:
    release = board.release(2)
    seeder = board.member("seeder")
    board.seed(seeder, release, HOUR + HOUR // 2)

    board.pay(START + HOUR)
    assert board.points(seeder) == 2
    board.pay(START + 2 * HOUR)
    assert board.points(seeder) == 2, "half an hour is not paid"

    board.seed(seeder, release, HOUR // 2)
    board.pay(START + 3 * HOUR)
    assert board.points(seeder) == 4
    paid = sql(board.settings, "SELECT seeding_seconds, bonus_paid_seconds FROM transfers")
    assert [tuple(row) for row in paid] == [(2 * HOUR, 2 * HOUR)]


def test_a_day_of_hourly_runs_pays_each_hour_once(board: SeedingBoard) -> None:
    releases = [board.release(0.5), board.release(20)]
    seeders = [board.member("first"), board.member("second")]
    for hour in range(1, 25):
        for seeder in seeders:
            for release in releases:
                board.seed(seeder, release, HOUR)
        board.pay(START + hour * HOUR)
        board.pay(START + hour * HOUR + 600)  # the same hour again: nothing more

    assert [board.points(seeder) for seeder in seeders] == [24 * (1 + 3)] * 2
    assert [len(board.ledger(seeder)) for seeder in seeders] == [24, 24]
    assert ledger_matches_balances(board.settings)


def test_the_cap_limits_a_members_points_per_hour(settings: Settings) -> None:
    board = SeedingBoard(prepared(settings, bonus_max_points_per_hour=10))
    heavy, light = board.member("heavy"), board.member("light")
    for _ in range(5):
        board.seed(heavy, board.release(60), HOUR)  # 4 points an hour each
    board.seed(light, board.release(60), HOUR)

    result = board.pay(START + HOUR)

    assert (board.points(heavy), board.points(light)) == (10, 4)
    assert result[accrual.POINTS_FORFEITED] == 5 * 4 - 10
    assert sql(board.settings, "SELECT COUNT(*) FROM transfers WHERE seeding_seconds >"
               " bonus_paid_seconds")[0][0] == 0, "forfeited hours count as paid"  # fmt: skip


def test_the_cap_covers_every_hour_since_the_last_paid_one(settings: Settings) -> None:
    board = SeedingBoard(prepared(settings, bonus_max_points_per_hour=10))
    seeder = board.member("seeder")
    releases = [board.release(60) for _ in range(5)]
    board.pay(START)  # the first run: nothing recorded yet
    for release in releases:
        board.seed(seeder, release, 3 * HOUR)

    board.pay(START + 3 * HOUR)

    assert board.points(seeder) == 30


def test_changed_bands_apply_from_the_next_run(board: SeedingBoard, settings: Settings) -> None:
    release = board.release(2)
    seeder = board.member("seeder")
    board.seed(seeder, release, HOUR)

    generous = prepared(settings, bonus_points_by_size="0:7", bonus_points_by_age="")
    board.pay(START + HOUR, settings=generous)

    assert board.points(seeder) == 7


def test_disabled_members_earn_nothing_and_their_hours_count_as_paid(board: SeedingBoard) -> None:
    release = board.release(2)
    seeder = board.member("seeder")
    sql(board.settings, "UPDATE users SET disabled = 1 WHERE id = ?", (seeder.id,))
    board.seed(seeder, release, HOUR)

    board.pay(START + HOUR)
    sql(board.settings, "UPDATE users SET disabled = 0 WHERE id = ?", (seeder.id,))
    board.pay(START + 2 * HOUR)

    assert board.points(seeder) == 0
    assert board.ledger(seeder) == []


def test_a_run_killed_in_its_last_chunk_credits_nobody_and_the_rerun_pays_once(
    board: SeedingBoard, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeders = [board.member(f"seeder{n}") for n in range(3)]
    for seeder in seeders:
        board.seed(seeder, board.release(2), HOUR)

    async def killed(*_args: object) -> None:
        # Reached in the run's last chunk, after it credited the members (the rows were
        # marked paid by earlier chunks, their earnings parked: tests/bonus/test_chunks.py).
        raise RuntimeError("killed")

    with monkeypatch.context() as patched:
        patched.setattr(accrual, "set_watermark", killed)
        with pytest.raises(RuntimeError, match="killed"):
            board.pay(START + HOUR)

    assert [board.points(seeder) for seeder in seeders] == [0, 0, 0]
    assert sql(board.settings, "SELECT COUNT(*) FROM member_ledger")[0][0] == 0

    board.pay(START + HOUR)
    board.pay(START + HOUR)

    assert [board.points(seeder) for seeder in seeders] == [2, 2, 2]
    assert ledger_matches_balances(board.settings)


def test_seeding_recorded_before_the_upgrade_earns_nothing(settings: Settings) -> None:
    """Migration 0023 marks recorded seeding as paid: points start with the feature."""
    board = SeedingBoard(prepared(settings))
    seeder = board.member("seeder")
    board.seed(seeder, board.release(2), 10 * HOUR)
    sql(board.settings, "UPDATE transfers SET bonus_paid_seconds = seeding_seconds")

    board.pay(START + HOUR)

    assert board.points(seeder) == 0


@pytest.mark.parametrize(
    ("size_gib", "age_days", "points"),
    [(0, 0, 1), (0.99, 29, 1), (1, 29, 2), (10, 30, 4), (50, 364, 5), (50, 365, 6)],
)
def test_each_release_earns_its_bands_at_their_edges(
    board: SeedingBoard, size_gib: float, age_days: int, points: int
) -> None:
    seeder = board.member("seeder")
    board.seed(seeder, board.release(size_gib, created_at=START + HOUR - age_days * DAY), HOUR)

    board.pay(START + HOUR)

    assert board.points(seeder) == points
