"""A tick's loop: every claimed item polled once, claiming ends at a short batch, at most
`concurrency` polls at once, and the workers are always stopped and awaited."""

from __future__ import annotations

import asyncio

import pytest

from bot.services.claimed_polls import poll_claimed


class Claims:
    """Hands out batches of consecutive ints from `total` due items."""

    def __init__(self, total: int, batch: int) -> None:
        self.total, self.batch = total, batch
        self.next = 0
        self.calls = 0

    async def __call__(self) -> tuple[int, list[int]]:
        self.calls += 1
        items = list(range(self.next, min(self.next + self.batch, self.total)))
        self.next += len(items)
        return len(items), items


class Polls:
    def __init__(self) -> None:
        self.seen: list[int] = []
        self.running = 0
        self.most = 0

    async def __call__(self, item: int) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.001 * (1 + item % 3))  # some slower than others
        self.seen.append(item)
        self.running -= 1


@pytest.mark.parametrize(("total", "claims"), [(0, 1), (7, 2), (10, 3), (23, 5)])
async def test_every_claimed_item_is_polled_once(total: int, claims: int) -> None:
    claim, poll = Claims(total, batch=5), Polls()
    polled = await poll_claimed(claim, poll, batch=5, concurrency=3)
    assert polled == total
    assert sorted(poll.seen) == list(range(total))
    # Claiming stops at the first short batch (an empty one when the last was full).
    assert claim.calls == claims
    assert poll.most == min(3, total)  # never more than `concurrency` at once


async def test_the_short_batch_is_decided_by_the_count_claimed() -> None:
    """An item claimed but not readable is not polled, yet counts toward a full batch."""
    batches = [(2, [1]), (2, [2, 3]), (1, [4]), (2, [5, 6])]
    calls = 0

    async def claim() -> tuple[int, list[int]]:
        nonlocal calls
        calls += 1
        return batches[calls - 1]

    poll = Polls()
    assert await poll_claimed(claim, poll, batch=2, concurrency=2) == 4
    assert sorted(poll.seen) == [1, 2, 3, 4]
    assert calls == 3


@pytest.mark.parametrize("how", ["error", "cancel"])
async def test_the_workers_are_stopped_and_awaited_when_claiming_fails(how: str) -> None:
    started = asyncio.Event()
    finished: list[int] = []
    calls = 0

    async def claim() -> tuple[int, list[int]]:
        nonlocal calls
        calls += 1
        if calls == 1:
            return 2, [1, 2]
        await started.wait()
        if how == "error":
            raise RuntimeError("database gone")
        await asyncio.Event().wait()  # until cancelled
        raise AssertionError

    async def poll(item: int) -> None:
        started.set()
        await asyncio.sleep(0.01)
        finished.append(item)

    tasks_before = len(asyncio.all_tasks())
    tick = asyncio.create_task(poll_claimed(claim, poll, batch=2, concurrency=4))
    if how == "error":
        with pytest.raises(RuntimeError, match="database gone"):
            await tick
    else:
        await started.wait()
        await asyncio.sleep(0)
        tick.cancel()
        with pytest.raises(asyncio.CancelledError):
            await tick
    # The items already queued were polled to the end, and no worker is left running.
    assert sorted(finished) == [1, 2]
    assert len(asyncio.all_tasks()) == tasks_before
