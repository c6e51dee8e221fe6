"""Per-user request budget: stay under Astravue's documented 100 requests per user per minute.

A sliding window of request start times per user. Waiting here is cheaper than a 429, which
Astravue answers with a minute-long penalty. Memory stays bounded: a user holds at most
`limit` timestamps, and users idle for a whole window are forgotten.

A request about to wait first tells the observer in `WAIT_OBSERVER`, if the caller set one:
a Slack request sets it to say "this will arrive in ~N s" at once instead of going silent.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar

WaitObserver = Callable[[float], Awaitable[None]]
#: Called with the seconds a request will wait, before it waits (per asyncio context).
WAIT_OBSERVER: ContextVar[WaitObserver | None] = ContextVar("budget_wait_observer", default=None)


class UserRateBudget:
    def __init__(
        self,
        limit: int = 100,
        window: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self._limit = limit
        self._window = window
        self._clock = clock
        self._sleep = sleep
        self._starts: dict[str, deque[float]] = {}
        self._waiting: dict[str, int] = {}  # requests of each user waiting for a slot
        self._last_sweep = clock()

    @property
    def tracked_users(self) -> int:
        return len(self._starts)

    @asynccontextmanager
    async def slot(self, user_key: str) -> AsyncIterator[None]:
        """Wait until `user_key` may send one more request, and count it."""
        await self._acquire(user_key)
        yield

    async def _acquire(self, user_key: str) -> None:
        while True:
            now = self._clock()
            self._sweep(now)
            starts = self._starts.setdefault(user_key, deque())
            self._prune(starts, now)
            if len(starts) < self._limit:
                starts.append(now)
                return
            observer = WAIT_OBSERVER.get()
            if observer is not None:
                await observer(self._estimate(starts, self._waiting.get(user_key, 0), now))
            self._waiting[user_key] = self._waiting.get(user_key, 0) + 1
            try:
                await self._sleep(starts[0] + self._window - now)
            finally:
                self._waiting[user_key] -= 1
                if not self._waiting[user_key]:
                    del self._waiting[user_key]

    def _estimate(self, starts: deque[float], ahead: int, now: float) -> float:
        """Seconds until a request behind `ahead` waiting ones may start: the slot of the
        request that started `ahead` places after the oldest frees, one window per lap."""
        laps, index = divmod(ahead, len(starts))
        return starts[index] + self._window * (laps + 1) - now

    def _prune(self, starts: deque[float], now: float) -> None:
        while starts and starts[0] <= now - self._window:
            starts.popleft()

    def _sweep(self, now: float) -> None:
        """Once per window, drop users with no request inside the window."""
        if now - self._last_sweep < self._window:
            return
        self._last_sweep = now
        for key in list(self._starts):
            self._prune(self._starts[key], now)
            if not self._starts[key]:
                del self._starts[key]
