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
from bot.listeners.payloads import Payload

log = logging.getLogger(__name__)


def register(app: AsyncApp, services: ServiceContainer) -> None:
    @app.middleware
    async def dedupe_events(
        body: dict[str, Any], context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        event_id = Payload(body).event_id
        if event_id and not await services.dedupe.first_delivery(event_id):
            log.info(
                "event %s already handled (retry %s); skipped", event_id, context.get("retry_num")
            )
            return BoltResponse(status=200, body="")
        return await next()
