"""Acks before lazy work: lazy listeners wait until a burst of requests has been acked.

Everything runs on one event loop, so the CPU that lazy work takes (database reads, token
decryption, HTTP calls) delays the acks of requests that arrived at the same moment; Slack
gives each ack 3 s, lazy work has no such deadline. A burst is acked first, then worked
through. "Acked" means no request in flight and none started for `QUIET` seconds: requests of
a burst arrive a few milliseconds apart, so between two of them nothing is in flight, and
lazy work started in those gaps slowed the rest of the burst (issue 18). `MAX_WAIT` bounds
the wait, so sustained load cannot starve lazy work, and a lazy listener that opens a modal
still has two of the trigger_id's three seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

MAX_WAIT = 1.0
QUIET = 0.05


class AckGate:
    def __init__(self, quiet: float = QUIET, max_wait: float = MAX_WAIT) -> None:
        self.quiet = quiet
        self.max_wait = max_wait
        self._acking = 0
        self._open = asyncio.Event()
        self._open.set()
        self._opening: asyncio.TimerHandle | None = None

    @contextlib.contextmanager
    def acking(self) -> Iterator[None]:
        """Around the handling of one Slack request, until its response is ready."""
        self._acking += 1
        self._open.clear()
        if self._opening is not None:
            self._opening.cancel()
            self._opening = None
        try:
            yield
        finally:
            self._acking -= 1
            if not self._acking:
                self._opening = asyncio.get_running_loop().call_later(self.quiet, self._open.set)

    async def wait_for_acks(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._open.wait(), self.max_wait)
