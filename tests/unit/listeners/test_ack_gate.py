"""Lazy work waits until a burst has been acked: none in flight, none started for a moment."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import MutableSequence
from multiprocessing.synchronize import Event

from bot.listeners.ack_gate import AckBoard, AckGate, shared_slots

QUIET, MAX_WAIT = 0.05, 0.5


async def released_after(gate: AckGate, burst: list[float]) -> float:
    """Seconds until a lazy waiting from now is let through while acks of `burst` durations
    follow one another with no gap between them."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    waiting = asyncio.create_task(gate.wait_for_acks())
    released: list[float] = []
    waiting.add_done_callback(lambda _: released.append(loop.time() - started))
    for seconds in burst:
        with gate.acking():
            await asyncio.sleep(seconds)
    await waiting
    return released[0]


async def test_an_idle_gate_lets_lazy_work_through_at_once() -> None:
    assert await released_after(AckGate(quiet=QUIET, max_wait=MAX_WAIT), []) < QUIET


async def test_lazy_work_waits_for_the_whole_burst_and_a_quiet_gap() -> None:
    burst = [0.02] * 5
    waited = await released_after(AckGate(quiet=QUIET, max_wait=MAX_WAIT), burst)
    assert sum(burst) + QUIET <= waited < MAX_WAIT


async def test_a_request_in_the_quiet_gap_keeps_lazy_work_waiting() -> None:
    gate = AckGate(quiet=QUIET, max_wait=MAX_WAIT)
    with gate.acking():
        pass
    waiting = asyncio.create_task(gate.wait_for_acks())
    await asyncio.sleep(QUIET / 2)
    with gate.acking():  # the burst's next request
        pass
    await asyncio.sleep(QUIET * 0.75)  # past the first request's gap, not the second's
    assert not waiting.done()
    await asyncio.wait_for(waiting, QUIET)


async def test_sustained_acks_delay_lazy_work_by_max_wait_at_most() -> None:
    waited = await released_after(AckGate(quiet=QUIET, max_wait=MAX_WAIT), [0.1] * 10)
    assert MAX_WAIT <= waited < MAX_WAIT + 0.2


def _ack_in_another_process(
    slots: MutableSequence[float], began: Event, finish: Event
) -> None:  # pragma: no cover - runs in the child process
    board = AckBoard(slots, 1)
    board.began()
    began.set()
    finish.wait(10)
    board.ended()


async def test_lazy_work_waits_for_the_acks_of_another_worker_process() -> None:
    """`serve --workers N`: a request in flight in another worker holds this one's lazy work."""
    context = multiprocessing.get_context("spawn")
    slots = shared_slots(context, 2)
    gate = AckGate(AckBoard(slots, 0), quiet=QUIET, max_wait=5.0)
    began, finish = context.Event(), context.Event()
    other = context.Process(target=_ack_in_another_process, args=(slots, began, finish))
    other.start()
    try:
        assert await asyncio.to_thread(began.wait, 30), "the other worker did not start"
        waiting = asyncio.create_task(gate.wait_for_acks())
        await asyncio.sleep(QUIET * 4)
        assert not waiting.done()
        finish.set()
        await asyncio.wait_for(waiting, 2.0)
    finally:
        finish.set()
        other.join(10)
    assert other.exitcode == 0


def test_a_worker_started_again_clears_the_slot_its_crash_left() -> None:
    slots = [0.0] * 4
    crashed = AckBoard(slots, 1)
    crashed.began()  # and the process died with the request in flight
    assert AckBoard(slots, 0).idle_for() == 0.0
    AckBoard(slots, 1)  # the supervisor's new worker 2
    assert AckBoard(slots, 0).idle_for() > 0.0
