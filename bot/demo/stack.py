"""The demo's running world: the sandbox and the real app over a fresh database."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol

from bot.config import Settings
from bot.sandbox.stack import Stack, start_stack
from bot.wiring import Runtime

NOTIFY_POLL_SECONDS = 5

PrepareDatabase = Callable[[Settings], Awaitable[None]]


class Scheduler(Protocol):
    def shutdown(self, wait: bool = ...) -> None: ...


# What `astravue-bot serve` runs for the background jobs (the CLI passes both: the demo stands
# outside the product and reaches neither the database nor the scheduler itself).
StartScheduler = Callable[[Runtime], Scheduler]


@asynccontextmanager
async def running_stack(
    *, prepare_database: PrepareDatabase, start_scheduler: StartScheduler | None = None
) -> AsyncIterator[Stack]:
    """Sandbox + app on free loopback ports over a fresh temporary SQLite database, which
    `prepare_database` migrates. With `start_scheduler` (interactive mode) the background
    jobs run, notifications polled every NOTIFY_POLL_SECONDS."""
    with tempfile.TemporaryDirectory(prefix="astravue-demo-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        stack = await start_stack(
            url,
            prepare_database=prepare_database,
            scheduler_enabled=start_scheduler is not None,
            notify_poll_seconds=NOTIFY_POLL_SECONDS,
        )
        scheduler = None
        try:
            if start_scheduler is not None:
                scheduler = start_scheduler(stack.runtime)
            yield stack
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            await stack.stop()
