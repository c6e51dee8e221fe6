"""UserRateBudget: 100 requests per user per sliding minute, bounded memory."""

from __future__ import annotations

import asyncio

from bot.astravue.budget import WAIT_OBSERVER, UserRateBudget

from .conftest import FakeClock


async def use(budget: UserRateBudget, user: str, times: int) -> None:
    for _ in range(times):
        async with budget.slot(user):
            pass


async def test_101st_request_in_a_minute_waits(budget: UserRateBudget, clock: FakeClock) -> None:
    await use(budget, "U1", 100)
    assert clock.sleeps == []
    await use(budget, "U1", 1)
    assert clock.sleeps == [60.0]


async def test_window_slides(budget: UserRateBudget, clock: FakeClock) -> None:
    await use(budget, "U1", 50)
    clock.now += 30
    await use(budget, "U1", 50)
    await use(budget, "U1", 1)  # the first 50 leave the window 30 s later
    assert clock.sleeps == [30.0]


async def test_users_have_separate_budgets(budget: UserRateBudget, clock: FakeClock) -> None:
    await use(budget, "U1", 100)
    await use(budget, "U2", 100)
    assert clock.sleeps == []


async def test_idle_users_are_forgotten(budget: UserRateBudget, clock: FakeClock) -> None:
    for user in range(50):
        await use(budget, f"U{user}", 1)
    assert budget.tracked_users == 50
    clock.now += 61
    await use(budget, "U-active", 1)
    assert budget.tracked_users == 1


async def test_concurrent_waiters_do_not_overrun_the_limit() -> None:
    loop = asyncio.get_running_loop()
    budget = UserRateBudget(limit=3, window=0.2, clock=loop.time)
    started: list[float] = []

    async def one() -> None:
        async with budget.slot("U1"):
            started.append(loop.time())

    await asyncio.gather(*(one() for _ in range(6)))
    started.sort()
    assert started[3] - started[0] >= 0.19  # the 4th had to wait for the 1st to age out


async def test_a_wait_is_announced_to_the_observer_first(
    budget: UserRateBudget, clock: FakeClock
) -> None:
    told: list[tuple[float, int]] = []

    async def observer(seconds: float) -> None:
        told.append((seconds, len(clock.sleeps)))

    await use(budget, "U1", 100)
    token = WAIT_OBSERVER.set(observer)
    try:
        await use(budget, "U1", 1)
    finally:
        WAIT_OBSERVER.reset(token)
    assert told == [(60.0, 0)]  # told the wait before sleeping it
    await use(budget, "U1", 100)  # no observer set: waits without telling anyone
    assert len(told) == 1


async def test_the_estimate_counts_the_requests_waiting_ahead() -> None:
    loop = asyncio.get_running_loop()
    budget = UserRateBudget(limit=2, window=10.0, clock=loop.time)
    start = loop.time()
    await use(budget, "U1", 2)
    told: list[float] = []

    async def observer(seconds: float) -> None:
        told.append(round(seconds + loop.time() - start))  # when, from the first start

    async def one() -> None:
        token = WAIT_OBSERVER.set(observer)
        try:
            async with budget.slot("U1"):
                pass
        finally:
            WAIT_OBSERVER.reset(token)

    waiters = [asyncio.create_task(one()) for _ in range(5)]
    await asyncio.sleep(0)  # each has asked once and is asleep
    assert told == [10, 10, 20, 20, 30]
    for waiter in waiters:
        waiter.cancel()
    await asyncio.gather(*waiters, return_exceptions=True)
    told.clear()
    late = asyncio.create_task(one())
    await asyncio.sleep(0)
    assert told == [10]  # the cancelled ones no longer count as ahead
    late.cancel()
    await asyncio.gather(late, return_exceptions=True)
