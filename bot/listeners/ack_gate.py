"""Acks before lazy work: lazy listeners wait until a burst of requests has been acked.

The CPU that lazy work takes (database reads, token decryption, HTTP calls) delays the acks
of requests that arrived at the same moment; Slack gives each ack 3 s, lazy work has no such
deadline. A burst is acked first, then worked through. "Acked" means no request in flight
and none started or ended for `QUIET` seconds: requests of a burst arrive a few milliseconds
apart, so between two of them nothing is in flight, and lazy work started in those gaps
slowed the rest of the burst (issue 18). `MAX_WAIT` bounds the wait, so sustained load
cannot starve lazy work, and a lazy listener that opens a modal still has two of the
trigger_id's three seconds.

With `serve --workers N` the workers share the cores, so one worker's lazy work slowed the
acks of the others (2 workers: p99 1.5x to 1.8x bare Bolt's, 1.0x when each waited for all).
Each process writes its own slot of an `AckBoard` in memory the workers share, and every
gate reads them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator, MutableSequence
from multiprocessing.context import SpawnContext
from typing import cast

MAX_WAIT = 1.0
QUIET = 0.05

# One slot per process: requests in flight, and when that count last changed (monotonic
# seconds: CLOCK_MONOTONIC is the same clock in every process of the machine).
_SLOT = 2


def shared_slots(context: SpawnContext, processes: int) -> MutableSequence[float]:
    """Slots in shared memory for `processes` workers, handed to each when it starts."""
    return cast(MutableSequence[float], context.RawArray("d", _SLOT * processes))


class AckBoard:
    """Requests in flight per serving process. Each process writes only its own slot, so
    no lock is needed; readers see every slot."""

    def __init__(self, slots: MutableSequence[float] | None = None, index: int = 0) -> None:
        self._slots = slots if slots is not None else [0.0] * _SLOT
        self._at = index * _SLOT
        # A worker started again after a crash finds its slot as the crash left it.
        self._slots[self._at] = 0.0
        self._slots[self._at + 1] = 0.0

    def began(self) -> None:
        self._slots[self._at] += 1
        self._slots[self._at + 1] = time.monotonic()

    def ended(self) -> None:
        self._slots[self._at] -= 1
        self._slots[self._at + 1] = time.monotonic()

    def idle_for(self) -> float:
        """Seconds since the last request anywhere began or ended; 0 while one is in flight."""
        slots = self._slots
        if any(slots[at] > 0 for at in range(0, len(slots), _SLOT)):
            return 0.0
        return time.monotonic() - max(slots[at + 1] for at in range(0, len(slots), _SLOT))


class AckGate:
    def __init__(
        self, board: AckBoard | None = None, quiet: float = QUIET, max_wait: float = MAX_WAIT
    ) -> None:
        self.board = board or AckBoard()
        self.quiet = quiet
        self.max_wait = max_wait
        self._watch: asyncio.Future[None] | None = None

    @contextlib.contextmanager
    def acking(self) -> Iterator[None]:
        """Around the handling of one Slack request, until its response is ready."""
        self.board.began()
        try:
            yield
        finally:
            self.board.ended()

    async def wait_for_acks(self) -> None:
        if self.board.idle_for() >= self.quiet:
            return
        # One watcher per process however many lazy listeners wait.
        if self._watch is None or self._watch.done():
            self._watch = asyncio.ensure_future(self._until_quiet())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._watch), self.max_wait)

    async def _until_quiet(self) -> None:
        # Polled: another process's request cannot set an asyncio.Event here.
        while (idle := self.board.idle_for()) < self.quiet:  # noqa: ASYNC110
            await asyncio.sleep(self.quiet - idle)
