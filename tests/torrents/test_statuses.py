"""One list of release statuses: the tracker refuses announces for exactly the releases the
site refuses to hand out."""

from __future__ import annotations

from tinypier import release_statuses as statuses
from tinypier.tracker import accounting, rules


def test_the_tracker_freezes_exactly_the_frozen_statuses() -> None:
    assert set(rules.FROZEN_STATUSES) == set(statuses.FROZEN_STATUSES)


def test_every_frozen_status_is_a_status_and_needs_editing_is_not_frozen() -> None:
    assert set(statuses.STATUS_LABELS) > statuses.FROZEN_STATUSES
    assert not statuses.is_frozen(statuses.NEEDS_EDITING)
    assert set(statuses.STATUS_LABELS) == {
        "not_checked", "checked", "needs_editing", "duplicate", "closed", "consumed",
    }  # fmt: skip


def test_the_tracker_reads_the_same_freeleech_words() -> None:
    assert {accounting.GOLD, accounting.SILVER} == {statuses.GOLD, statuses.SILVER}
