"""The loop of a poller's tick: claim batches of due items and poll them, a few at a time.

Workers take claimed items from a short queue while the next batch is claimed, so a slow poll
never holds up a whole batch. Claiming stops at the first batch shorter than a full one:
items falling due during the tick wait for the next one, so a tick always ends even when a
pass takes longer than the interval.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


async def poll_claimed(
    claim_batch: Callable[[], Awaitable[tuple[int, Iterable[T]]]],
    poll: Callable[[T], Awaitable[object]],
    *,
    batch: int,
    concurrency: int,
) -> int:
    """Poll what `claim_batch` claims with `concurrency` workers; returns how many polls ended.

    `claim_batch` claims up to `batch` items and returns how many it claimed and the items
    to poll (those it could read); claiming stops once fewer than `batch` were claimed.
    However the tick ends (an error or a cancellation while claiming too), each worker is
    told to stop once the queue is drained and all are awaited before this returns or raises.
    """
    queue: asyncio.Queue[T | None] = asyncio.Queue(maxsize=batch)
    polled = 0

    async def worker() -> None:
        nonlocal polled
        while (item := await queue.get()) is not None:
            await poll(item)
            polled += 1

    workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
    try:
        while True:
            claimed, items = await claim_batch()
            for item in items:
                await queue.put(item)
            if claimed < batch:
                break
    finally:
        for _ in workers:
            await queue.put(None)
        await asyncio.gather(*workers)
    return polled
