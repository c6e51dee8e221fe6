"""RetryPolicy arithmetic and Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.astravue.errors import parse_retry_after
from bot.astravue.retry import RetryPolicy

from .conftest import FakeClock

NOW = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("3", 3.0),
        (" 1.5 ", 1.5),
        ("Fri, 01 Mar 2024 12:00:07 GMT", 7.0),
        ("Fri, 01 Mar 2024 11:59:00 GMT", 0.0),  # already past: retry now
        ("-4", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


@pytest.mark.parametrize(
    ("jitter", "retries_done", "delay"),
    [(0.0, 0, 0.125), (0.999, 0, 0.2499), (0.0, 10, 2.0), (1.0, 10, 4.0)],
)
def test_backoff_is_jittered_exponential_and_capped(
    jitter: float, retries_done: int, delay: float
) -> None:
    policy = RetryPolicy(jitter=lambda: jitter)
    assert policy.backoff(retries_done) == pytest.approx(delay, abs=1e-3)


def test_delay_before_retry_rules() -> None:
    clock = FakeClock()
    policy = RetryPolicy(clock=clock, jitter=lambda: 0.0)
    started = clock.now
    assert policy.delay_before_retry(0, None, started) == 0.125
    assert policy.delay_before_retry(0, 10.0, started) == 10.0  # at the cap
    assert policy.delay_before_retry(0, 10.5, started) is None  # over the cap
    assert policy.delay_before_retry(2, None, started) is None  # retries used up
    clock.now = started + 14.9
    assert policy.delay_before_retry(1, 0.2, started) is None  # would pass the deadline
    assert policy.delay_before_retry(1, 0.1, started) == 0.1


async def test_run_returns_after_a_retryable_failure() -> None:
    clock = FakeClock()
    policy = RetryPolicy(clock=clock, sleep=clock.sleep, jitter=lambda: 0.0)
    outcomes: list[Exception | str] = [ValueError("once"), "ok"]
    budgets: list[float] = []

    async def attempt(seconds_left: float) -> str:
        budgets.append(seconds_left)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert await policy.run(attempt, retryable=lambda exc: isinstance(exc, ValueError)) == "ok"
    assert budgets == [15.0, 15.0 - 0.125]


async def test_run_raises_non_retryable_errors_untouched() -> None:
    policy = RetryPolicy(sleep=FakeClock().sleep)
    calls = 0

    async def attempt(seconds_left: float) -> None:
        nonlocal calls
        calls += 1
        raise KeyError("fatal")

    with pytest.raises(KeyError):
        await policy.run(attempt, retryable=lambda exc: isinstance(exc, ValueError))
    assert calls == 1
