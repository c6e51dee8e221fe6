"""Retry policy: bounded retries with jittered exponential backoff, Retry-After and a deadline.

`sleep` and `clock` are injected so tests run instantly and deterministically.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

from bot.astravue.errors import AstravueAPIError, AstravueConnectionError

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]
T = TypeVar("T")

_RETRYABLE_STATUSES = frozenset({408, 429})
# A POST (create, start) may have taken effect even if the answer was lost. Resend it only
# when the server said it did not process it: 408 (request not read), 429 (rejected before
# processing), 503 (unavailable, usually a proxy with no upstream).
_RETRYABLE_STATUSES_NON_IDEMPOTENT = frozenset({408, 429, 503})


def should_retry(exc: BaseException, *, idempotent: bool) -> bool:
    """Whether an Astravue failure is worth another attempt."""
    if isinstance(exc, AstravueConnectionError):
        return idempotent or not exc.request_sent
    if isinstance(exc, AstravueAPIError):
        if idempotent:
            return exc.status in _RETRYABLE_STATUSES or exc.status >= 500
        return exc.status in _RETRYABLE_STATUSES_NON_IDEMPOTENT
    return False


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2
    base_delay: float = 0.25
    max_delay: float = 4.0
    retry_after_cap: float = 10.0  # a longer Retry-After is not waited for: the error surfaces
    deadline: float = 15.0  # seconds for the whole call, retries and waits included
    sleep: Sleep = asyncio.sleep
    clock: Clock = time.monotonic
    jitter: Callable[[], float] = random.random  # uniform in [0, 1)

    def backoff(self, retries_done: int) -> float:
        """Equal jitter: half the exponential step is fixed, half random, to spread retries."""
        step = min(self.max_delay, self.base_delay * 2.0**retries_done)
        return step / 2 + self.jitter() * step / 2

    def delay_before_retry(
        self, retries_done: int, retry_after: float | None, started: float
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        if retries_done >= self.max_retries:
            return None
        if retry_after is None:
            delay = self.backoff(retries_done)
        elif retry_after > self.retry_after_cap:
            return None  # retrying sooner than the server asked would only be refused again
        else:
            delay = retry_after
        if self.clock() + delay > started + self.deadline:
            return None
        return delay

    async def run(
        self,
        attempt: Callable[[float], Awaitable[T]],
        *,
        retryable: Callable[[BaseException], bool],
    ) -> T:
        """Call `attempt(seconds_left_before_deadline)` until it succeeds or may not retry.

        The error of the last attempt is raised as is.
        """
        started = self.clock()
        retries_done = 0
        while True:
            try:
                return await attempt(started + self.deadline - self.clock())
            except Exception as exc:
                if not retryable(exc):
                    raise
                delay = self.delay_before_retry(
                    retries_done, getattr(exc, "retry_after", None), started
                )
                if delay is None:
                    raise
            retries_done += 1
            await self.sleep(delay)


def capped_timeout(configured: httpx.Timeout, seconds_left: float) -> httpx.Timeout:
    """The configured timeouts, shortened so one attempt cannot outlive the call's deadline."""
    cap = max(seconds_left, 0.001)

    def capped(value: float | None) -> float:
        return cap if value is None else min(value, cap)

    return httpx.Timeout(
        connect=capped(configured.connect),
        read=capped(configured.read),
        write=capped(configured.write),
        pool=capped(configured.pool),
    )
