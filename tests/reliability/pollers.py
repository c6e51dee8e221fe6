"""Helpers for tests that run the poller in subprocesses against the running stack."""

from __future__ import annotations

import os

from bot.sandbox.stack import Stack


def poller_env(stack: Stack, *, poll_seconds: int) -> dict[str, str]:
    """Settings for a poller process sharing the stack's database, keys and sandbox."""
    env = {key.upper(): str(value) for key, value in stack.sandbox.env().items()}
    settings = stack.settings
    env.update(
        DATABASE_URL=settings.database_url,
        PUBLIC_URL=settings.public_url,
        TOKEN_ENCRYPTION_KEYS=str(settings.token_encryption_keys),
        SCHEDULER_ENABLED="false",
        LOG_LEVEL="WARNING",
        NOTIFY_POLL_SECONDS=str(poll_seconds),
        PATH=os.environ.get("PATH", ""),
    )
    return env
