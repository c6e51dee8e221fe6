"""Acks before lazy work: lazy listeners wait while requests are still being acked.

Everything runs on one event loop, so the CPU that lazy work takes (database reads, token
decryption, HTTP calls) delays the acks of requests that arrived at the same moment; Slack
gives each ack 3 s, lazy work has no such deadline. A burst is acked first, then worked
through. `MAX_WAIT` bounds the wait, so sustained load cannot starve lazy work.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

MAX_WAIT = 1.0


class AckGate:
    def __init__(self) -> None:
        self._acking = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @contextlib.contextmanager
    def acking(self) -> Iterator[None]:
        """Around the handling of one Slack request, until its response is ready."""
        self._acking += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._acking -= 1
            if not self._acking:
                self._idle.set()

    async def wait_for_acks(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), MAX_WAIT)
