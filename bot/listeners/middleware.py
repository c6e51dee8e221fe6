"""Global middleware: drop Slack's event retries that were already handled.

Nothing here reads the acting user's link: that is lazy work (`Invocation.linked()`), so no
request waits on the database before its ack."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.container import ServiceContainer
from bot.services import once

log = logging.getLogger(__name__)


async def first_delivery(services: ServiceContainer, event_id: str) -> bool:
    """True the first time an event id is seen, in any process (old ids are pruned by the
    scheduler, bot.scheduler.prune_expired)."""
    return await once.claim(services.sessions, event_id)


def register(app: AsyncApp, services: ServiceContainer) -> None:
    @app.middleware
    async def dedupe_events(
        body: dict[str, Any], context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await first_delivery(services, str(event_id)):
            log.info(
                "event %s already handled (retry %s); skipped", event_id, context.get("retry_num")
            )
            return BoltResponse(status=200, body="")
        return await next()
