"""Global middleware: drop Slack's event retries that were already handled.

Nothing here reads the acting user's link: that is lazy work (`Invocation.linked()`), so no
request waits on the database before its ack. A class (Bolt's `AsyncMiddleware`) rather than
a decorated function: Bolt then hands it the request as is, instead of building a keyword
argument set for it on every request."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.container import ServiceContainer
from bot.listeners.payloads import Payload

log = logging.getLogger(__name__)


class DedupeEvents(AsyncMiddleware):
    def __init__(self, services: ServiceContainer) -> None:
        self.services = services

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        event_id = Payload(req.body).event_id
        if event_id and not await self.services.dedupe.first_delivery(event_id):
            log.info(
                "event %s already handled (retry %s); skipped",
                event_id,
                req.context.get("retry_num"),
            )
            return BoltResponse(status=200, body="")
        return await next()


def register(app: AsyncApp, services: ServiceContainer) -> None:
    app.use(DedupeEvents(services))
