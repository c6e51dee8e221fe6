"""Poll leases: which poller polls which link, and until when.

A tick claims due links (`FOR UPDATE SKIP LOCKED` on PostgreSQL) by writing its owner and an
expiry; every ledger write and every post first renews the lease with a conditional UPDATE,
which fails once another poller has taken the link over (`LeaseLost`).

Leases are short (`lease`, 30 s to 5 minutes) and a live poller renews those of its polls in
flight at once every third of one (`kept_alive`), however long its polls take; a lease it
forgot (a release that failed, a cancelled tick) is left to lapse. A claim does not move a
link's next poll; giving the link back does. So a link whose poller died (or stalled) with it
is still due, and any tick takes it over once the lease lapses: a killed process's users are
polled within a lease.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import DeliveryStatus, NotificationDelivery, PollState
from bot.db.polling import Claim, PollTarget, claim_and_read, release_leases, renew_leases
from bot.db.session import session_scope

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
# A tick also takes links falling due this fraction of an interval after its start: ticks
# start a little late by varying amounts, and a link must not miss one for being due a few
# milliseconds after it began.
EARLY = 0.1


class LeaseLost(Exception):
    """Another poller took the link over (this poll outlasted its lease): post nothing more."""


class PollLeases:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, interval_seconds: float
    ) -> None:
        self.sessions = sessions
        self.interval = timedelta(seconds=interval_seconds)
        # Longer than one post can take (the Slack client gives up after 10 s), short enough
        # that a dead poller's users wait at most half an interval for another to take over.
        self.lease = min(max(self.interval / 2, timedelta(seconds=30)), timedelta(minutes=5))
        self.keep_alive = True  # off only in tests that stage a stalled poller
        self._held: set[int] = set()  # claimed, not yet given back: what kept_alive renews
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    async def claim(self, limit: int, *, due_by: datetime | None = None) -> list[int]:
        """Lease up to `limit` active links due by `due_by` (now), atomically."""
        return (await self.claim_and_read(limit, due_by=due_by))[0]

    async def claim_and_read(
        self, limit: int, *, due_by: datetime | None = None
    ) -> tuple[list[int], dict[int, PollTarget]]:
        """Lease up to `limit` active links due by `due_by` (now) and read what their polls
        need, in one transaction (bot/db/polling.py). Their next poll is set when they are
        given back (`release`, `release_unchanged`)."""
        now = utcnow()
        claimed, targets = await claim_and_read(
            self.sessions, Claim(self.owner, limit, now, due_by or now, now + self.lease)
        )
        self._held.update(claimed)
        return claimed, targets

    def let_lapse(self, link_ids: Iterable[int]) -> None:
        """Stop renewing these leases: another poller takes the links over once they lapse."""
        self._held.difference_update(link_ids)

    @asynccontextmanager
    async def kept_alive(self) -> AsyncIterator[None]:
        """While the body runs, renew every lease this poller holds every third of a lease."""
        renewer = asyncio.create_task(self._renew_all()) if self.keep_alive else None
        try:
            yield
        finally:
            if renewer is not None:
                renewer.cancel()
                with suppress(asyncio.CancelledError):
                    await renewer

    async def _renew_all(self) -> None:
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                if self._held:
                    async with session_scope(self.sessions) as session:
                        await renew_leases(
                            session, self.owner, list(self._held), utcnow() + self.lease
                        )
            except Exception as exc:  # the database is away: the next renewal may succeed
                log.warning("notifications: could not renew poll leases: %s", exc)

    async def release_unchanged(self, link_ids: list[int], due_again: datetime) -> None:
        """Give back the leases of polls that changed nothing, next polled at `due_again`, in
        one statement."""
        self.let_lapse(link_ids)  # first: should the release fail, the leases lapse
        if link_ids:
            async with session_scope(self.sessions) as session:
                await release_leases(session, self.owner, link_ids, due_again)

    async def release(self, link_id: int, error: str | None, due_again: datetime | None) -> None:
        self.let_lapse([link_id])  # first: should the release fail, the lease lapses
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
