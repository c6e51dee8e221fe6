"""Global middleware: drop Slack's event retries that were already handled, and note the
acting user's link status in the context (plain values only: lazy requests are copied)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.db.base import utcnow
from bot.db.models import ProcessedEvent
from bot.db.repositories import link_for
from bot.db.session import session_scope
from bot.services.container import ServiceContainer

log = logging.getLogger(__name__)

EVENT_MEMORY = timedelta(hours=2)  # Slack retries within ~6 min; Delayed Events aside, 2 h


async def first_delivery(services: ServiceContainer, event_id: str) -> bool:
    """True the first time an event id is seen, in any process."""
    now = utcnow()
    try:
        async with session_scope(services.runtime.sessions) as session:
            session.add(ProcessedEvent(event_id=event_id, received_at=now))
    except IntegrityError:
        return False
    if hash(event_id) % 50 == 0:  # prune now and then, not on every event
        async with session_scope(services.runtime.sessions) as session:
            await session.execute(delete(ProcessedEvent)
                                  .where(ProcessedEvent.received_at < now - EVENT_MEMORY))
    return True


def register(app: AsyncApp, services: ServiceContainer) -> None:
    @app.middleware
    async def dedupe_events(body: dict[str, Any], context: AsyncBoltContext,
                            next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await first_delivery(services, str(event_id)):
            log.info("event %s already handled (retry %s); skipped", event_id,
                     context.get("retry_num"))
            return BoltResponse(status=200, body="")
        return await next()

    @app.middleware
    async def resolve_link(context: AsyncBoltContext,
                           next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse | None:
        if context.user_id and context.team_id:
            async with services.runtime.sessions() as session:
                link = await link_for(session, context.team_id, context.user_id)
            context["link_status"] = link.status.value if link else None
        return await next()
