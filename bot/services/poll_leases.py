"""Poll leases: which poller polls which link, and until when.

A tick claims due links (`FOR UPDATE SKIP LOCKED` on PostgreSQL) by writing its owner and an
expiry; every ledger write and every post first renews the lease with a conditional UPDATE,
which fails once another poller has taken the link over (`LeaseLost`).
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.locks import for_update
from bot.db.models import AstravueLink, DeliveryStatus, LinkStatus, NotificationDelivery, PollState
from bot.db.session import session_scope

MAX_BACKOFF = timedelta(hours=1)


class LeaseLost(Exception):
    """Another poller took the link over (this poll outlasted its lease): post nothing more."""


class PollLeases:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, interval_seconds: float
    ) -> None:
        self.sessions = sessions
        self.interval = timedelta(seconds=interval_seconds)
        self.lease = max(timedelta(minutes=5), self.interval * 5)
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    async def claim(self, limit: int, *, due_by: datetime | None = None) -> list[int]:
        """Take a lease on up to `limit` active links due by `due_by` (now), atomically."""
        now = utcnow()
        async with session_scope(self.sessions) as session:
            free = or_(PollState.lease_expires_at.is_(None), PollState.lease_expires_at < now)
            due = for_update(
                select(PollState.link_id)
                .where(
                    PollState.next_poll_at <= (due_by or now),
                    free,
                    PollState.link_id.in_(
                        select(AstravueLink.id).where(AstravueLink.status == LinkStatus.ACTIVE)
                    ),
                )
                .order_by(PollState.next_poll_at)
                .limit(limit),
                session,
                skip_locked=True,
            )
            claimed = await session.scalars(
                update(PollState)
                .where(PollState.link_id.in_(due.scalar_subquery()), free)
                .values(lease_owner=self.owner, lease_expires_at=now + self.lease)
                .returning(PollState.link_id)
            )
            return list(claimed.all())

    async def release(self, link_id: int, error: str | None, due_again: datetime | None) -> None:
        now = utcnow()
        async with session_scope(self.sessions) as session:
            poll = await session.get(PollState, link_id)
            if poll is None or poll.lease_owner != self.owner:
                return  # disconnected meanwhile, or the lease was lost
            poll.lease_owner, poll.lease_expires_at = None, None
            poll.last_polled_at = now
            poll.last_error = error[:300] if error else None
            poll.failures = poll.failures + 1 if error else 0
            poll.next_poll_at = (
                now + min(self.interval * 2**poll.failures, MAX_BACKOFF)
                if error
                else due_again or now + self.interval
            )

    async def hold(self, session: Any, link_id: int) -> None:
        """Renew this poller's lease on the link within `session`'s transaction, or raise
        LeaseLost. One conditional UPDATE: a concurrent claim waits for it (a row lock on
        PostgreSQL, the write lock on SQLite) and then finds the lease held."""
        renewed = await session.execute(
            update(PollState)
            .where(PollState.link_id == link_id, PollState.lease_owner == self.owner)
            .values(lease_expires_at=utcnow() + self.lease)
        )
        if not renewed.rowcount:
            raise LeaseLost(link_id)

    async def renew(self, link_id: int) -> None:
        async with session_scope(self.sessions) as session:
            await self.hold(session, link_id)

    async def claim_row(self, link_id: int, notification_id: int) -> None:
        """Just before a DM goes out: the lease is still ours (renewed) and the row pending."""
        async with session_scope(self.sessions) as session:
            await self.hold(session, link_id)
            status = await session.scalar(
                select(NotificationDelivery.status).where(
                    NotificationDelivery.link_id == link_id,
                    NotificationDelivery.notification_id == notification_id,
                )
            )
        if status != DeliveryStatus.PENDING:
            raise LeaseLost(link_id)
