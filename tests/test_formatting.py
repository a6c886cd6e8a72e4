"""Numbers and times read the same on every page, the way trackers show them."""

from __future__ import annotations

import pytest

from tinypier.web.formatting import human_size, iso, ratio, when


def test_sizes_read_in_binary_units() -> None:
    assert human_size(0) == "0 B"
    assert human_size(1023) == "1023 B"
    assert human_size(1536) == "1.5 KiB"
    assert human_size(5 * 1024**4) == "5.0 TiB"


@pytest.mark.parametrize(
    ("uploaded", "downloaded", "shown"),
    [(0, 0, "—"), (5, 0, "∞"), (0, 5, "0.00"), (1, 2, "0.50"), (3 * 2**30, 2**30, "3.00")],
)
def test_ratio_reads_like_a_tracker_shows_it(uploaded: int, downloaded: int, shown: str) -> None:
    assert ratio(uploaded, downloaded) == shown


def test_times_are_shown_in_utc() -> None:
    assert when(86_400) == "1970-01-02 00:00 UTC"
    assert when(None) == ""
    assert iso(86_400) == "1970-01-02T00:00:00+00:00"
