"""The demo's running world: the sandbox and the real app over a fresh database."""

from __future__ import annotations

import importlib
import importlib.util
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from bot.config import Settings
from bot.sandbox.stack import Stack, start_stack

NOTIFY_POLL_SECONDS = 5

PrepareDatabase = Callable[[Settings], Awaitable[None]]


def scheduler_available() -> bool:
    return importlib.util.find_spec("bot.scheduler") is not None


def notifications_available() -> bool:
    return importlib.util.find_spec("bot.services.notifications") is not None


@asynccontextmanager
async def running_stack(
    *, poll_notifications: bool, prepare_database: PrepareDatabase
) -> AsyncIterator[Stack]:
    """Sandbox + app on free loopback ports over a fresh temporary SQLite database, which
    `prepare_database` (what `astravue-bot serve` runs first) migrates.

    With `poll_notifications` (interactive mode) the notification scheduler runs when built.
    """
    with tempfile.TemporaryDirectory(prefix="astravue-demo-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        polling = poll_notifications and scheduler_available()
        stack = await start_stack(
            url,
            prepare_database=prepare_database,
            scheduler_enabled=polling,
            notify_poll_seconds=NOTIFY_POLL_SECONDS,
        )
        scheduler = None
        try:
            if polling:
                scheduler = importlib.import_module("bot.scheduler").start_scheduler(stack.runtime)
            yield stack
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            await stack.stop()
