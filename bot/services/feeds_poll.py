"""The feed job: claim due subscriptions, read each project with its subscriber's token,
diff against the stored snapshot and post each change exactly once.

Astravue has no webhooks, so a feed is a poll on the notification poller's interval. One
poll of a subscription: reconcile rows a crash left `pending` (their metadata in the
channel's history), read the project's tasks, then in ONE transaction record a pending row
per change (bot.services.feeds_ledger) and the new snapshot, then post the pending rows.
The first read records the snapshot and posts nothing. A subscriber whose link is broken or
gone pauses all their feeds, with one DM (itself a ledger row, so it too is sent once); the
feeds resume when the link is active again.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.errors import AstravueError, ReauthorizationRequired
from bot.db.base import utcnow
from bot.db.feed_models import FeedSubscription
from bot.db.feed_polling import FeedClaim, FeedTarget, claim_and_read, read_targets
from bot.db.models import LinkStatus
from bot.db.session import session_scope
from bot.domain.feed_changes import (
    diff,
    digest_day,
    digest_of,
    first_digest_day,
    snapshot_from_json,
    snapshot_to_json,
    unchanged,
)
from bot.services.astravue_access import AstravueAccess
from bot.services.claimed_polls import poll_claimed
from bot.services.feeds import feed_info, feed_task
from bot.services.feeds_ledger import FeedSender, LeaseLost, Ledger, metadata_for, post_payload
from bot.services.links import link_info

log = logging.getLogger(__name__)

BATCH = 50
CONCURRENCY = 20  # project reads in flight per process
PAGE_SIZE = 100
MAX_BACKOFF = timedelta(hours=1)
EARLY = 0.1  # see NotificationService: take subscriptions falling due just after a tick began
# At ~1 post per second per channel, 20 take about 20 s: well within the 5-minute lease.
POSTS_PER_POLL = 20


class FeedPoller:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        astravue: AstravueAccess,
        sender: FeedSender,
        *,
        interval_seconds: float,
    ) -> None:
        self.sessions = sessions
        self.astravue = astravue
        self.sender = sender
        self.interval = timedelta(seconds=interval_seconds)
        self.posts_per_poll = POSTS_PER_POLL
        owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.ledger = Ledger(owner, max(timedelta(minutes=5), self.interval * 5))

    @property
    def owner(self) -> str:
        return self.ledger.owner

    # ---- the tick ------------------------------------------------------------------------

    async def tick(self) -> int:
        """Poll every subscription due when the tick began, once; returns how many.

        The subscriptions are claimed in batches and polled a few at a time
        (bot.services.claimed_polls)."""
        started = utcnow()
        due_again = started + self.interval
        # Successful polls are released together: one commit per batch, not per feed (on
        # SQLite every commit waits for the one write lock).
        done: list[int] = []

        async def claim_batch() -> tuple[int, list[FeedTarget]]:
            claimed, targets = await self.claim_and_read(
                BATCH, due_by=started + self.interval * EARLY
            )
            return len(claimed), [targets[feed_id] for feed_id in claimed if feed_id in targets]

        async def poll(target: FeedTarget) -> None:
            if await self.poll(target.row.id, due_again, defer_release=True, target=target):
                done.append(target.row.id)
            if len(done) >= BATCH:
                batch = done[:]
                done.clear()
                await self._release_all(batch, due_again)

        try:
            return await poll_claimed(claim_batch, poll, batch=BATCH, concurrency=CONCURRENCY)
        finally:
            await self._release_all(done, due_again)

    async def claim(self, limit: int, *, due_by: datetime | None = None) -> list[int]:
        """A lease on up to `limit` due subscriptions (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
        return (await self.claim_and_read(limit, due_by=due_by))[0]

    async def claim_and_read(
        self, limit: int, *, due_by: datetime | None = None
    ) -> tuple[list[int], dict[int, FeedTarget]]:
        """Lease up to `limit` due subscriptions and read what their polls need, in one
        transaction (bot.db.feed_polling)."""
        now = utcnow()
        claim = FeedClaim(self.owner, limit, now, due_by or now, now + self.ledger.lease)
        return await claim_and_read(self.sessions, claim)

    async def poll(
        self,
        feed_id: int,
        due_again: datetime | None = None,
        *,
        defer_release: bool = False,
        target: FeedTarget | None = None,
    ) -> bool:
        """One subscription's poll; a failure backs it off and touches no other. With
        `defer_release`, a successful poll keeps its lease for `_release_all` (True).
        `target` is what `claim_and_read` read for it (read again when not given)."""
        error: str | None = None
        try:
            await self._poll(feed_id, target)
        except LeaseLost:
            log.info("feeds: subscription %s was taken over or removed", feed_id)
        except Exception as exc:  # one feed's failure must never stop the tick
            error = f"{type(exc).__name__}: {exc}"[:300]
            log.warning(
                "feeds: poll of subscription %s failed: %s",
                feed_id,
                error,
                exc_info=not isinstance(exc, AstravueError),
            )
        if error is None and defer_release:
            return True
        await self._release(feed_id, error, due_again)
        return False

    async def _release_all(self, feed_ids: list[int], due_again: datetime) -> None:
        if feed_ids:
            async with session_scope(self.sessions) as session:
                await self.ledger.release_all(session, feed_ids, due_again)

    async def _release(self, feed_id: int, error: str | None, due_again: datetime | None) -> None:
        now = utcnow()
        async with session_scope(self.sessions) as session:
            if error is None:  # the usual case: one statement
                await session.execute(
                    update(FeedSubscription)
                    .where(
                        FeedSubscription.id == feed_id, FeedSubscription.lease_owner == self.owner
                    )
                    .values(
                        lease_owner=None,
                        lease_expires_at=None,
                        last_polled_at=now,
                        last_error=None,
                        failures=0,
                        next_poll_at=due_again or now + self.interval,
                    )
                )
                return
            row = await session.get(FeedSubscription, feed_id)
            if row is None or row.lease_owner != self.owner:
                return
            row.lease_owner, row.lease_expires_at = None, None
            row.last_polled_at = now
            row.last_error = error
            row.failures = row.failures + 1 if error else 0
            row.next_poll_at = (
                now + min(self.interval * 2**row.failures, MAX_BACKOFF)
                if error
                else due_again or now + self.interval
            )

    # ---- one subscription ----------------------------------------------------------------

    async def _poll(self, feed_id: int, target: FeedTarget | None = None) -> None:
        if target is None:
            async with self.sessions() as session:
                target = (await read_targets(session, [feed_id], self.owner)).get(feed_id)
            if target is None:
                return  # removed, or no longer ours
        row, unfinished = target.row, target.unfinished
        feed = feed_info(row)
        initialized = row.initialized
        digest_time, zone, last_day = row.digest_time, row.zone, row.last_digest_day
        link = link_info(target.link) if target.link is not None else None
        if unfinished:
            await self._reconcile(feed_id, feed.team_id)
        if link is None or link.status != LinkStatus.ACTIVE:
            removed = link is None or link.status == LinkStatus.DISCONNECTED
            await self._pause(feed_id, feed.team_id, feed.subscriber_id, removed)
            await self._deliver(feed_id, feed.team_id)
            return
        if feed.paused_at is not None:
            await self._resume(feed_id)
        assert target.link is not None
        try:
            client = self.astravue(link)
            with self.astravue.tokens.reading(target.link):
                tasks = [
                    feed_task(task)
                    async for task in client.project_tasks.iter(
                        space_id=feed.space_id, project_id=feed.project_id, size=PAGE_SIZE
                    )
                ]
        except ReauthorizationRequired:
            await self._pause(feed_id, feed.team_id, feed.subscriber_id, False)
            await self._deliver(feed_id, feed.team_id)
            return
        after = {task.task_id: task for task in tasks}
        now = utcnow()
        if not initialized:
            await self._record(feed_id, [], after, first_digest_day(digest_time, zone, now))
            return
        # The steady state: the read matches the stored snapshot, so nothing to diff or store.
        same = unchanged(row.snapshot, after)
        before = {} if same else snapshot_from_json(row.snapshot)
        changes, stored = ([], None) if same else diff(before, after)
        posts = [
            (
                change.key,
                feed.channel_id,
                post_payload("change", feed, change=change.to_json(), zone=zone),
            )
            for change in changes
        ]
        day = digest_day(digest_time, zone, now, last_day)
        if day is not None:
            if stored is None:
                stored = snapshot_from_json(row.snapshot)
            digest = digest_of(stored, day, zone)
            if digest.overdue or digest.today:
                posts.append(
                    (
                        f"digest:{day}",
                        feed.channel_id,
                        post_payload("digest", feed, digest=digest.to_json(), zone=zone),
                    )
                )
        if posts or (not same and stored != before) or (day or last_day) != last_day:
            if stored is None:
                stored = snapshot_from_json(row.snapshot)
            await self._record(feed_id, posts, stored, day or last_day)
        if posts or unfinished:
            await self._deliver(feed_id, feed.team_id)

    async def _record(
        self,
        feed_id: int,
        posts: list[tuple[str, str, dict[str, Any]]],
        snapshot: dict[int, Any],
        digest_day_done: str | None,
    ) -> None:
        """The pending rows and the snapshot they were found against, in one transaction."""
        async with session_scope(self.sessions) as session:
            await self.ledger.hold_lease(session, feed_id)
            added = await self.ledger.add_pending(session, feed_id, posts)
            await session.execute(
                update(FeedSubscription)
                .where(FeedSubscription.id == feed_id)
                .values(
                    snapshot=snapshot_to_json(snapshot),
                    initialized=True,
                    last_digest_day=digest_day_done,
                )
            )
        if added:
            log.info("feeds: subscription %s: %d new post(s)", feed_id, added)

    async def _pause(self, feed_id: int, team_id: str, subscriber_id: str, removed: bool) -> None:
        """Pause every feed of this subscriber; the poll that pauses its own row first writes
        the one DM that says so."""
        async with self.sessions() as session:
            paused = await session.scalar(
                select(FeedSubscription.paused_at).where(FeedSubscription.id == feed_id)
            )
        if paused is not None:
            return
        dm = await self.sender.open_dm(team_id, subscriber_id)
        now = utcnow()
        async with session_scope(self.sessions) as session:
            await self.ledger.hold_lease(session, feed_id)
            took = set(
                (
                    await session.scalars(
                        update(FeedSubscription)
                        .where(
                            FeedSubscription.team_id == team_id,
                            FeedSubscription.subscriber_id == subscriber_id,
                            FeedSubscription.paused_at.is_(None),
                        )
                        .values(paused_at=now)
                        .returning(FeedSubscription.id)
                    )
                ).all()
            )
            if feed_id not in took:
                return  # another poll paused this one (and wrote the DM)
            feeds = (
                await session.scalars(
                    select(FeedSubscription)
                    .where(FeedSubscription.id.in_(took))
                    .order_by(FeedSubscription.project_name)
                )
            ).all()
            payload = {
                "kind": "paused",
                "reason": "removed" if removed else "needs_relink",
                "feeds": [{"project": f.project_name, "channel": f.channel_id} for f in feeds],
            }
            await self.ledger.add_pending(
                session, feed_id, [(f"paused:{now.isoformat()}", dm, payload)]
            )
        log.info(
            "feeds: %d feed(s) of %s paused (link %s)",
            len(took),
            subscriber_id,
            "removed" if removed else "broken",
        )

    async def _resume(self, feed_id: int) -> None:
        async with session_scope(self.sessions) as session:
            await self.ledger.hold_lease(session, feed_id)
            await session.execute(
                update(FeedSubscription)
                .where(FeedSubscription.id == feed_id)
                .values(paused_at=None)
            )
        log.info("feeds: subscription %s resumed", feed_id)

    # ---- exactly-once delivery -----------------------------------------------------------

    async def _reconcile(self, feed_id: int, team_id: str) -> None:
        """Pending rows met before posting were left by a crash: were they posted?"""
        async with self.sessions() as session:
            pending = await self.ledger.pending(session, feed_id)
        by_channel: dict[str, list[Any]] = {}
        for row in pending:
            by_channel.setdefault(row.channel_id, []).append(row)
        for channel, rows in by_channel.items():
            oldest = min(row.created_at for row in rows) - timedelta(minutes=5)
            posted = await self.sender.posted(team_id, channel, feed_id, oldest)
            found = [(row.id, posted[row.change_key]) for row in rows if row.change_key in posted]
            if found:
                log.info(
                    "feeds: subscription %s: %d pending post(s) were already posted",
                    feed_id,
                    len(found),
                )
                async with session_scope(self.sessions) as session:
                    for post_id, ts in found:
                        await self.ledger.mark_sent(session, post_id, ts)

    async def _deliver(self, feed_id: int, team_id: str) -> int:
        """The oldest `posts_per_poll` pending rows; the rest wait for the next poll."""
        async with self.sessions() as session:
            pending = await self.ledger.pending(session, feed_id, limit=self.posts_per_poll)
        for row in pending:
            ts = await self.sender.post(
                team_id,
                row.channel_id,
                row.payload,
                metadata_for(feed_id, row.change_key),
                partial(self._claim_row, feed_id, row.id),
            )
            async with session_scope(self.sessions) as session:
                await self.ledger.mark_sent(session, row.id, ts)
        return len(pending)

    async def _claim_row(self, feed_id: int, post_id: int) -> None:
        async with session_scope(self.sessions) as session:
            await self.ledger.claim_row(session, feed_id, post_id)
