"""Ratio cannot be faked: claims are credited at most at the configured rates, upload only
where someone could have downloaded it, and what is withheld lands in the cheat log.

These boards keep the default rates (``max_upload_rate`` 100 MiB/s, ``max_download_rate``
1 GiB/s) and a clock the test moves, so every bound is exact.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import Member, add_member, login
from tests.tracker.conftest import Board
from tests.tracker.wire import Registered, announce, fetch, peer_id, register_torrent
from tinypier.settings import Settings
from tinypier.tracker.accounting import NO_LEECHER, RATE_CAPPED
from tinypier.tracker.engine import Tracker
from tinypier.tracker.store import fold_pending
from tinypier.tracker.swarm import LeecherDepartures

PB = 10**15
UP_RATE = Settings.max_upload_rate
DOWN_RATE = Settings.max_download_rate


class Swarm:
    """One release on a board with the default rates, a clock at a chosen second, and
    members who announce into it."""

    def __init__(self, make_board: Callable[..., Board], freeleech: str = "none") -> None:
        self.board = make_board(max_upload_rate=UP_RATE, max_download_rate=DOWN_RATE)
        self.uploader = add_member(self.board.settings, "uploader")
        self.release: Registered = register_torrent(
            self.board.settings, self.uploader.id, "r", freeleech=freeleech
        )
        [(self.registered_at,)] = self.rows("SELECT created_at FROM torrents")
        self.at(0)

    @property
    def tracker(self) -> Tracker:
        engine: Tracker = self.board.app.state.tracker
        return engine

    def at(self, seconds_after_registration: int) -> None:
        moment = self.registered_at + seconds_after_registration
        self.tracker.clock = lambda: moment

    def member(self, name: str) -> Member:
        return add_member(self.board.settings, name)

    def announce(self, member: Member, label: str, **fields: Any) -> Any:
        return announce(
            self.board.client, member.passkey, self.release.key, peer_id(label=label), **fields
        )

    def leecher(self, name: str = "leech") -> Member:
        member = self.member(name)
        self.announce(member, name, left=1000)
        return member

    def credited(self, member: Member) -> tuple[int, int]:
        [row] = self.rows("SELECT uploaded, downloaded FROM users WHERE id = ?", member.id)
        return (row[0], row[1])

    def cheat_log(self, member: Member) -> list[tuple[Any, ...]]:
        return self.rows(
            "SELECT torrent_id, claimed_uploaded, credited_uploaded, claimed_downloaded,"
            " credited_downloaded, reason FROM cheat_log WHERE user_id = ? ORDER BY id",
            member.id,
        )

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return fetch(self.board.settings, sql, *params)


def test_a_petabyte_claim_is_credited_no_more_than_the_rate_cap_and_logged(
    make_board: Callable[..., Board],
) -> None:
    swarm = Swarm(make_board)
    swarm.leecher()
    cheat = swarm.member("cheat")
    swarm.announce(cheat, "c", left=0, event="started")
    swarm.at(60)
    swarm.announce(cheat, "c", left=0, uploaded=PB)
    swarm.at(61)
    swarm.announce(cheat, "c", left=0, uploaded=PB, event="stopped")
    assert swarm.credited(cheat) == (60 * UP_RATE, 0)
    assert swarm.cheat_log(cheat) == [(swarm.release.id, PB, 60 * UP_RATE, 0, 0, RATE_CAPPED)]


def test_started_with_a_petabyte_then_stopped_credits_nothing_without_a_leecher(
    make_board: Callable[..., Board],
) -> None:
    swarm = Swarm(make_board)
    cheat = swarm.member("cheat")
    swarm.at(3600)
    swarm.announce(cheat, "c", left=0, uploaded=PB, event="started")
    swarm.at(3601)
    swarm.announce(cheat, "c", left=0, uploaded=PB, event="stopped")
    assert swarm.credited(cheat) == (0, 0)
    assert swarm.cheat_log(cheat) == [(swarm.release.id, PB, 0, 0, 0, NO_LEECHER)]


def test_a_never_seen_peers_stopped_is_credited_only_for_the_time_since_registration(
    make_board: Callable[..., Board],
) -> None:
    swarm = Swarm(make_board)
    swarm.leecher()
    cheat = swarm.member("cheat")
    swarm.at(30)
    for n in range(10):
        swarm.announce(cheat, f"made-up-{n}", left=0, uploaded=PB, event="stopped")
    assert swarm.credited(cheat) == (30 * UP_RATE, 0)
    assert [row[1:3] for row in swarm.cheat_log(cheat)] == [(PB, 30 * UP_RATE)] + [(PB, 0)] * 9


def test_a_new_peers_window_opens_at_the_members_last_announce(
    make_board: Callable[..., Board],
) -> None:
    swarm = Swarm(make_board)
    swarm.leecher()
    member = swarm.member("member")
    swarm.at(1000)
    swarm.announce(member, "laptop", left=0)
    swarm.at(1010)
    swarm.announce(member, "seedbox", left=0, uploaded=PB, downloaded=PB)
    assert swarm.credited(member) == (10 * UP_RATE, 10 * DOWN_RATE)


def test_upload_counts_when_a_leecher_was_there_during_the_interval(
    make_board: Callable[..., Board],
) -> None:
    swarm = Swarm(make_board)
    seeder = swarm.member("seeder")
    swarm.announce(seeder, "s", left=0, event="started")
    swarm.at(100)
    leecher = swarm.leecher()
    swarm.at(200)
    swarm.announce(leecher, "leech", left=0, downloaded=5000, event="completed")
    swarm.at(300)
    swarm.announce(seeder, "s", left=0, uploaded=5000)
    swarm.at(400)
    swarm.announce(seeder, "s", left=0, uploaded=9000)
    assert swarm.credited(seeder) == (5000, 0), "the last 4000 had nobody to go to"
    assert swarm.credited(leecher) == (0, 5000)
    assert swarm.cheat_log(seeder) == [(swarm.release.id, 4000, 0, 0, 0, NO_LEECHER)]


def test_a_members_own_second_client_is_not_a_leecher_to_upload_to(
    make_board: Callable[..., Board],
) -> None:
    """A member cannot make their upload creditable by leeching from themselves with
    another peer id (up to ``peers_per_member_max`` are allowed)."""
    swarm = Swarm(make_board)
    cheat = swarm.member("cheat")
    swarm.announce(cheat, "seedbox", left=0, event="started")
    swarm.announce(cheat, "laptop", left=1000, event="started")
    swarm.at(60)
    swarm.announce(cheat, "seedbox", left=0, uploaded=5000)
    assert swarm.credited(cheat) == (0, 0)
    assert swarm.cheat_log(cheat) == [(swarm.release.id, 5000, 0, 0, 0, NO_LEECHER)]


def test_a_members_own_client_that_left_does_not_count_as_a_leecher_who_was_there(
    make_board: Callable[..., Board],
) -> None:
    swarm = Swarm(make_board)
    cheat = swarm.member("cheat")
    swarm.announce(cheat, "seedbox", left=0, event="started")
    swarm.announce(cheat, "laptop", left=1000, event="started")
    swarm.at(30)
    swarm.announce(cheat, "laptop", left=1000, event="stopped")
    swarm.at(60)
    swarm.announce(cheat, "seedbox", left=0, uploaded=5000)
    assert swarm.credited(cheat) == (0, 0)


def test_another_members_leecher_who_left_still_counts_after_the_members_own(
    make_board: Callable[..., Board],
) -> None:
    """The last leecher to leave was the member's own; one of another member left
    earlier in the interval, so the upload could have gone to them."""
    swarm = Swarm(make_board)
    seeder = swarm.member("seeder")
    swarm.announce(seeder, "seedbox", left=0, event="started")
    swarm.announce(seeder, "laptop", left=1000, event="started")
    leecher = swarm.leecher()
    swarm.at(20)
    swarm.announce(leecher, "leech", left=1000, event="stopped")
    swarm.at(40)
    swarm.announce(seeder, "laptop", left=1000, event="stopped")
    swarm.at(60)
    swarm.announce(seeder, "seedbox", left=0, uploaded=5000)
    assert swarm.credited(seeder) == (5000, 0)


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 50)), max_size=30),
    st.integers(0, 3),
)
def test_leecher_departures_answer_as_a_full_history_would(
    departures: list[tuple[int, int]], member: int
) -> None:
    """Two entries stand in for the whole history of who left when, for any member."""
    recorded = LeecherDepartures()
    for user_id, at in departures:
        recorded.record(user_id, at)
    others = [at for user_id, at in departures if user_id != member]
    assert recorded.latest_besides(member) == max(others, default=-1.0)


def test_an_honest_client_at_real_speeds_is_credited_in_full(
    make_board: Callable[..., Board],
) -> None:
    swarm = Swarm(make_board)
    leecher = swarm.leecher()
    seeder = swarm.member("seeder")
    swarm.announce(seeder, "s", left=0, event="started")
    for minute in range(1, 4):
        swarm.at(60 * minute)
        swarm.announce(seeder, "s", left=0, uploaded=minute * 50 * UP_RATE)
        swarm.announce(leecher, "leech", left=1000, downloaded=minute * 50 * UP_RATE)
    assert swarm.credited(seeder) == (150 * UP_RATE, 0)
    assert swarm.credited(leecher) == (0, 150 * UP_RATE)
    assert swarm.rows("SELECT COUNT(*) FROM cheat_log") == [(0,)]


def test_freeleech_scales_the_capped_download(make_board: Callable[..., Board]) -> None:
    swarm = Swarm(make_board, freeleech="silver")
    member = swarm.member("member")
    swarm.at(10)
    swarm.announce(member, "m", left=5, downloaded=PB)
    assert swarm.credited(member) == (0, 10 * DOWN_RATE // 2)


def test_the_cheat_log_keeps_only_the_newest_rows(make_board: Callable[..., Board]) -> None:
    board = make_board(cheat_log_max_rows=3)
    members = [add_member(board.settings, f"m{n}") for n in range(6)]
    release = register_torrent(board.settings, members[0].id, "r")
    for member in members:
        announce(board.client, member.passkey, release.key, peer_id(), left=0, uploaded=PB)
    logged = fetch(board.settings, "SELECT user_id FROM cheat_log ORDER BY id")
    assert logged == [(member.id,) for member in members[-3:]]


def test_the_credit_rules_are_settings(settings: Settings) -> None:
    assert (UP_RATE, DOWN_RATE) == (100 * 1024 * 1024, 1024 * 1024 * 1024)
    assert settings.cheat_log_max_rows == 100_000


def test_admins_read_the_cheat_log_with_member_release_claimed_and_credited(
    make_board: Callable[..., Board],
) -> None:
    swarm = Swarm(make_board)
    swarm.leecher()
    cheat = swarm.member("cheat")
    swarm.at(2)
    swarm.announce(cheat, "c", left=0, uploaded=PB, event="stopped")
    fold_pending(swarm.board.settings)  # cheat-log lines arrive with the credit log's fold
    add_member(swarm.board.settings, "root", role="admin")
    login(swarm.board.client, "root")
    page = swarm.board.client.get("/admin/cheats")
    assert page.status_code == 200
    row = page.text.split("<tbody>")[1]
    for shown in ("cheat", "/topics/", f"{PB} bytes", f"{2 * UP_RATE} bytes", RATE_CAPPED):
        assert shown in row
