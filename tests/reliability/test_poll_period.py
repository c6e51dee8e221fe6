"""Each linked user is polled once per interval (issue 18), not once every two.

The ticks are driven by the test on a frozen clock (time-machine), as the scheduler would
run them: one per interval, each starting a little late by a varying amount, and each poll
taking a sizeable part of the interval (the clock is moved inside every poll). The test notes
on that clock when each user's poll begins and checks the period over several ticks, and one
sandbox listing per poll. The old rule ("due again one interval after its poll ended") polls
every user every other tick here and fails both checks.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import pytest
import time_machine

from bot.db.base import utcnow
from bot.sandbox.stack import start_stack
from bot.scheduler import start_scheduler
from tests.scenario.conftest import connect

INTERVAL = 60
TICKS = 6
USERS = ("U0MARIA", "U0DEV", "U0GINA")
# How late each tick starts, in fractions of the interval (APScheduler's wake-up jitter and a
# busy loop), and how long each poll takes on the clock: 3 users x 0.04 = an eighth of it.
LATENESS = (0.0, 0.05, 0.01, 0.08, 0.0, 0.03)
POLL_TAKES = 0.04


# When the tick starts, in intervals from the first: the scheduler's own cadence (one per
# interval, late by varying amounts), and the four-per-interval one a 60 s interval gets so
# that a dead poller's claims are taken over within its 30 s lease (bot/scheduler.py).
ONCE_PER_INTERVAL = [n + late for n, late in enumerate(LATENESS[:TICKS])]
FOUR_PER_INTERVAL = [n / 4 for n in range(TICKS * 4)]


@pytest.mark.parametrize("schedule", [ONCE_PER_INTERVAL, FOUR_PER_INTERVAL], ids=["1x", "4x"])
async def test_each_user_is_polled_once_per_interval(
    database_url: str, schedule: list[float]
) -> None:
    stack = await start_stack(database_url, notify_poll_seconds=INTERVAL)
    try:
        for user in USERS:
            await connect(stack, user)
        service = stack.runtime.services.poller
        began: defaultdict[int, list[datetime]] = defaultdict(list)
        poll_link = service.poll_link
        requests = stack.sandbox.astravue.requests
        mark = len(requests)
        start = utcnow() + timedelta(seconds=1)
        with time_machine.travel(start, tick=False) as clock:

            async def timed(link_id: int, due_again: datetime | None = None) -> None:
                began[link_id].append(utcnow())
                clock.shift(timedelta(seconds=INTERVAL * POLL_TAKES))
                await poll_link(link_id, due_again)

            service.poll_link = timed  # type: ignore[method-assign]
            ticks = []
            for at in schedule:
                clock.move_to(start + timedelta(seconds=INTERVAL * at))
                ticks.append(await service.tick())
        listings = sum(
            1
            for method, path, _ in requests[mark:]
            if method == "GET" and path == "/v1/notifications"
        )
    finally:
        await stack.stop()

    assert sorted(ticks, reverse=True)[:TICKS] == [len(USERS)] * TICKS, f"polls per tick: {ticks}"
    assert sum(ticks) == len(USERS) * TICKS, f"users polled per tick: {ticks}"
    assert len(began) == len(USERS)
    for link_id, times in began.items():
        period = (times[-1] - times[0]).total_seconds() / max(len(times) - 1, 1)
        print(f"link {link_id}: {len(times)} polls, every {period:.2f} s on average")
        assert len(times) == TICKS, f"link {link_id}: {len(times)} polls in {TICKS} ticks"
        assert abs(period - INTERVAL) <= 0.1 * INTERVAL, (
            f"link {link_id} polled every {period:.1f} s, not every {INTERVAL} s"
        )
    assert listings == sum(len(times) for times in began.values())


async def test_the_scheduler_ticks_once_per_interval(database_url: str) -> None:
    """The tick job runs at once, never stacks, and comes every interval or every half lease
    (a 60 s interval: every 15 s), whichever is shorter."""
    stack = await start_stack(database_url, notify_poll_seconds=INTERVAL)
    try:
        scheduler = start_scheduler(stack.runtime)
        try:
            job = scheduler.get_job("notifications.tick")
            assert job is not None
            assert stack.runtime.services.poller.leases.lease == timedelta(seconds=30)
            assert job.trigger.interval == timedelta(seconds=15)
            assert job.max_instances == 1 and job.coalesce
            assert job.next_run_time <= utcnow() + timedelta(seconds=1)
        finally:
            scheduler.shutdown(wait=False)
    finally:
        await stack.stop()
