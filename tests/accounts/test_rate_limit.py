"""Login and registration attempts are limited per address and minute."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from tests.accounts.browser import submit
from tests.accounts.conftest import board_with
from tests.helpers import FakeClock, Member
from tinypier.accounts.rate_limit import STATE_KEY, AttemptLimiter


def test_the_limiter_allows_the_limit_then_refuses() -> None:
    limiter = AttemptLimiter(3, clock=FakeClock())

    answers = [limiter.attempt("198.51.100.7") for _ in range(4)]

    assert answers == [True, True, True, False]


def test_each_address_has_its_own_allowance() -> None:
    limiter = AttemptLimiter(1, clock=FakeClock())

    assert limiter.attempt("198.51.100.7")
    assert not limiter.attempt("198.51.100.7")
    assert limiter.attempt("203.0.113.9")


def test_attempts_older_than_a_minute_no_longer_count() -> None:
    clock = FakeClock()
    limiter = AttemptLimiter(2, clock=clock)
    limiter.attempt("198.51.100.7")
    clock.now += 30
    limiter.attempt("198.51.100.7")

    clock.now += 31
    assert limiter.attempt("198.51.100.7")
    assert not limiter.attempt("198.51.100.7")


def test_a_full_minute_of_quiet_restores_the_whole_allowance() -> None:
    clock = FakeClock()
    limiter = AttemptLimiter(2, clock=clock)
    limiter.attempt("198.51.100.7")
    limiter.attempt("198.51.100.7")

    clock.now += 60.5

    assert limiter.attempt("198.51.100.7")
    assert limiter.attempt("198.51.100.7")


@board_with(login_attempts_per_minute=3)
def test_login_answers_429_with_an_html_page_after_the_limit(
    client: TestClient[Any], alice: Member
) -> None:
    wrong = {"name": "alice", "password": "guess"}
    answers = [submit(client, "/login", "/login", wrong).status_code for _ in range(3)]

    refused = submit(client, "/login", "/login", {"name": "alice", "password": alice.password})

    assert answers == [400, 400, 400]
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert "Too many attempts" in refused.text
    assert "tinypier_session" not in refused.headers.get("set-cookie", "")


@board_with(login_attempts_per_minute=2)
def test_registration_is_limited_too(client: TestClient[Any]) -> None:
    attempt = {"name": "x", "password": "short", "password_confirm": "short"}
    for _ in range(2):
        submit(client, "/register", "/register", attempt)

    assert submit(client, "/register", "/register", attempt).status_code == 429


@board_with(login_attempts_per_minute=1)
def test_the_address_may_log_in_again_once_the_minute_is_over(
    app: Litestar, client: TestClient[Any], alice: Member
) -> None:
    clock = FakeClock()
    app.state[STATE_KEY] = AttemptLimiter(1, clock=clock)
    submit(client, "/login", "/login", {"name": "alice", "password": "guess"})
    assert submit(client, "/login", "/login", {"name": "alice"}).status_code == 429

    clock.now += 61
    response = submit(client, "/login", "/login", {"name": "alice", "password": alice.password})

    assert response.status_code == 303
