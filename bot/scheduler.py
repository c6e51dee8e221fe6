"""APScheduler jobs of a serving process: the notification poll tick and the pruning of
expired single-use records. Coordination across processes is in the database (leases), so
every process may run these."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import delete

from bot.db.base import utcnow
from bot.db.models import OAuthState, ProcessedEvent, SlackOAuthState, UsedNonce
from bot.db.session import session_scope
from bot.slack.lifecycle import purge_uninstalled

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.wiring import Runtime

log = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(hours=1)
RESCUE_EVERY = timedelta(minutes=5)
# Slack retries events for minutes, or for 24 h with Delayed Events.
EVENT_MEMORY = timedelta(hours=25)


async def prune_expired(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Delete expired OAuth states and nonces, event ids past Slack's retry window, and the
    links of workspaces uninstalled for 30 days."""
    now = utcnow()
    async with session_scope(sessions) as session:
        removed = 0
        for statement in (
            delete(OAuthState).where(OAuthState.expires_at < now),
            delete(UsedNonce).where(UsedNonce.expires_at < now),
            delete(ProcessedEvent).where(ProcessedEvent.received_at < now - EVENT_MEMORY),
            delete(SlackOAuthState).where(SlackOAuthState.expires_at < now),
        ):
            removed += (await session.execute(statement)).rowcount or 0  # type: ignore[attr-defined]
    # Links of workspaces uninstalled for 30 days go (a reinstall before that restores them).
    return removed + await purge_uninstalled(sessions)


def start_scheduler(runtime: Runtime) -> AsyncIOScheduler:
    """Start the jobs on the running event loop (call from inside it)."""
    interval = runtime.settings.notify_poll_seconds
    scheduler = AsyncIOScheduler(timezone="UTC")
    # coalesce + one instance: a slow tick delays the next rather than stacking up.
    poller = runtime.services.poller
    scheduler.add_job(
        poller.tick,
        "interval",
        seconds=poller.tick_seconds,
        id="notifications.tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=interval,
        next_run_time=utcnow(),
    )
    scheduler.add_job(  # project feeds: read on the notification poll's interval
        runtime.services.feed_poller.tick,
        "interval",
        seconds=interval,
        id="feeds.tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=interval,
        next_run_time=utcnow(),
    )
    scheduler.add_job(
        runtime.services.rescue.run,
        "interval",
        seconds=RESCUE_EVERY.total_seconds(),
        id="timers.rescue",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(RESCUE_EVERY.total_seconds()),
    )
    scheduler.add_job(
        prune_expired,
        "interval",
        args=[runtime.sessions],
        seconds=PRUNE_EVERY.total_seconds(),
        id="prune",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(PRUNE_EVERY.total_seconds()),
    )
    scheduler.start()
    log.info("scheduler started: notification poll every %d s", interval)
    return scheduler
