"""Posting the poller's DMs at Slack's pace: ~1 message per second per channel, a workspace
budget, and `Retry-After` honoured on 429.

It runs in the poller, never in a listener, so waiting here blocks no request. Its Slack clients
have no rate-limit retry handler: this pacer alone decides when to try again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics

log = logging.getLogger(__name__)

CHANNEL_INTERVAL = 1.0  # seconds between two posts to one channel
WORKSPACE_PER_SECOND = 4.0
MAX_RATE_LIMIT_RETRIES = 8
DEFAULT_RETRY_AFTER = 1.0


class RateLimitExhausted(Exception):
    """Slack kept answering 429; the caller keeps its pending work for the next poll."""


def retry_after_of(error: SlackApiError) -> float | None:
    """Seconds Slack asked us to wait, or None when it is not a 429."""
    response = error.response
    if getattr(response, "status_code", None) != 429:
        return None
    headers = getattr(response, "headers", None) or {}
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(float(value), 0.0) if value is not None else DEFAULT_RETRY_AFTER
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


class Messenger:
    """Paces posts per channel and per workspace client (the `client` given to `post`, else
    the one it was built with). Reservations are taken under a lock, waits happen outside it,
    so posts to different channels proceed in parallel within the workspace budget."""

    def __init__(
        self,
        client: AsyncWebClient | None = None,
        *,
        channel_interval: float = CHANNEL_INTERVAL,
        workspace_per_second: float = WORKSPACE_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.channel_interval = channel_interval
        self.workspace_interval = 1.0 / workspace_per_second
        self.clock = clock
        self.sleep = sleep
        self._channel_next: dict[str, float] = {}
        self._workspace_next: dict[int, float] = {}  # per workspace client
        self._blocked_until: dict[str, float] = {}  # Retry-After, per channel
        self._lock = asyncio.Lock()

    async def _reserve(self, workspace: int, channel: str) -> float:
        """The moment this post may go out; books the slot at once."""
        async with self._lock:
            now = self.clock()
            at = max(
                now,
                self._channel_next.get(channel, 0.0),
                self._workspace_next.get(workspace, 0.0),
                self._blocked_until.get(channel, 0.0),
            )
            self._channel_next[channel] = at + self.channel_interval
            self._workspace_next[workspace] = at + self.workspace_interval
            return at

    async def _paced(
        self,
        workspace: int,
        channel: str,
        call: Callable[[], Awaitable[Any]],
        before_send: Callable[[], Awaitable[None]] | None = None,
    ) -> Any:
        for _ in range(MAX_RATE_LIMIT_RETRIES + 1):
            at = await self._reserve(workspace, channel)
            delay = at - self.clock()
            if delay > 0:
                await self.sleep(delay)
            if before_send is not None:
                await before_send()
            try:
                return await call()
            except SlackApiError as exc:
                wait = retry_after_of(exc)
                if wait is None:
                    raise
                log.info("Slack rate-limited channel %s; retrying after %.0f s", channel, wait)
                metrics.SLACK_RATE_LIMITED.inc()
                async with self._lock:
                    until = self.clock() + wait
                    self._blocked_until[channel] = max(self._blocked_until.get(channel, 0.0), until)
        raise RateLimitExhausted(channel)

    async def post(
        self,
        channel: str,
        payload: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        *,
        before_send: Callable[[], Awaitable[None]] | None = None,
        client: AsyncWebClient | None = None,
    ) -> str:
        """Post a message; returns its ts. `before_send` runs after the pacing wait, right
        before each attempt, and may raise to cancel the post (the poller's lease check)."""
        sender = client or self.client
        if sender is None:
            raise ValueError("no Slack client to post with")
        message: dict[str, Any] = {"channel": channel, **payload}
        if metadata is not None:
            message["metadata"] = metadata
        reply = await self._paced(
            id(sender),
            channel,
            lambda: sender.chat_postMessage(**message),
            before_send,
        )
        metrics.DMS_SENT.inc()
        return str(reply["ts"])
