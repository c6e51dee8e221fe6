"""Each linked user is polled once per interval (issue 18), not once every two.

The real scheduler of a serving process runs the tick with `NOTIFY_POLL_SECONDS=5` for four
intervals; the test notes when each user's poll begins (wrapping `poll_link`, which the tick
calls) and checks the sandbox served one notification listing per poll.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime

from bot.sandbox.stack import start_stack
from bot.scheduler import start_scheduler
from tests.scenario.conftest import connect

INTERVAL = 5
PERIODS = 4
USERS = ("U0MARIA", "U0DEV")


async def test_each_user_is_polled_once_per_interval(database_url: str) -> None:
    stack = await start_stack(database_url, notify_poll_seconds=INTERVAL)
    try:
        for user in USERS:
            await connect(stack, user)
        loop = asyncio.get_running_loop()
        service = stack.runtime.services.poller
        began: defaultdict[int, list[float]] = defaultdict(list)
        poll_link = service.poll_link

        async def timed(link_id: int, due_again: datetime | None = None) -> None:
            began[link_id].append(loop.time())
            await poll_link(link_id, due_again)

        service.poll_link = timed  # type: ignore[method-assign]
        requests = stack.sandbox.astravue.requests
        mark = len(requests)
        scheduler = start_scheduler(stack.runtime)
        try:
            # The first tick runs at once; stop half an interval after the last one is due.
            await asyncio.sleep(INTERVAL * (PERIODS + 0.5))
        finally:
            scheduler.shutdown(wait=False)
        listings = sum(
            1
            for method, path, _ in requests[mark:]
            if method == "GET" and path == "/v1/notifications"
        )
    finally:
        await stack.stop()

    assert len(began) == len(USERS)
    for link_id, times in began.items():
        period = (times[-1] - times[0]) / max(len(times) - 1, 1)
        print(f"link {link_id}: {len(times)} polls, every {period:.2f} s on average")
        assert abs(period - INTERVAL) <= 0.1 * INTERVAL, (
            f"link {link_id} polled every {period:.1f} s, not every {INTERVAL} s"
        )
        assert len(times) == PERIODS + 1, (
            f"link {link_id}: {len(times)} polls in {PERIODS} intervals"
        )
    assert listings == sum(len(times) for times in began.values())
