"""The feed posts ledger: a `pending` row per change (unique per subscription and change
key) committed before the post, `sent` with the ts after it; and the lease that guards both.

Every write of the ledger and every post is preceded by a conditional renewal of the
subscription's lease, which fails once another poller took the subscription (or it was
removed): that poll then stops (LeaseLost), as the notification poller does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.feed_models import FeedPost, FeedPostStatus, FeedSubscription

EVENT_TYPE = "astravue_feed_post"


class LeaseLost(Exception):
    """Another poller took the subscription over, or it was removed: post nothing more."""


class FeedSender(Protocol):
    """What the feed job sends through (bot.outbound.feed_poster renders and posts)."""

    async def post(
        self,
        team_id: str,
        channel: str,
        post: dict[str, Any],
        metadata: dict[str, Any],
        before_send: Any,
    ) -> str:
        """Post `post` (a change, a digest or a pause notice) with `metadata`; the ts."""
        ...

    async def posted(
        self, team_id: str, channel: str, subscription_id: int, oldest: datetime
    ) -> dict[str, str]:
        """change key -> ts of this subscription's messages in `channel` since `oldest`."""
        ...

    async def open_dm(self, team_id: str, user_id: str) -> str: ...


def metadata_for(subscription_id: int, change_key: str) -> dict[str, Any]:
    return {
        "event_type": EVENT_TYPE,
        "event_payload": {"subscription_id": subscription_id, "change_key": change_key},
    }


def post_payload(kind: str, feed: Any, **data: Any) -> dict[str, Any]:
    """What a ledger row keeps to render its post: a change or a digest of `feed`."""
    return {
        "kind": kind,
        "project": feed.project_name,
        "project_id": feed.project_id,
        "space_id": feed.space_id,
        **data,
    }


class Ledger:
    def __init__(self, owner: str, lease: timedelta) -> None:
        self.owner = owner
        self.lease = lease

    async def hold_lease(self, session: AsyncSession, subscription_id: int) -> None:
        """Renew this poller's lease within `session`'s transaction, or raise LeaseLost."""
        renewed = await session.execute(
            update(FeedSubscription)
            .where(
                FeedSubscription.id == subscription_id,
                FeedSubscription.lease_owner == self.owner,
            )
            .values(lease_expires_at=utcnow() + self.lease)
        )
        if not renewed.rowcount:  # type: ignore[attr-defined]
            raise LeaseLost(subscription_id)

    async def release_all(
        self, session: AsyncSession, feed_ids: list[int], due_again: datetime
    ) -> None:
        """Release the leases of successful polls, due again at `due_again`: one statement."""
        await session.execute(
            update(FeedSubscription)
            .where(FeedSubscription.id.in_(feed_ids), FeedSubscription.lease_owner == self.owner)
            .values(
                lease_owner=None,
                lease_expires_at=None,
                last_polled_at=utcnow(),
                last_error=None,
                failures=0,
                next_poll_at=due_again,
            )
        )

    @staticmethod
    async def add_pending(
        session: AsyncSession,
        subscription_id: int,
        posts: list[tuple[str, str, dict[str, Any]]],
    ) -> int:
        """Pending rows for (change key, channel, payload) not yet in the ledger; how many."""
        if not posts:
            return 0
        known = set(
            (
                await session.scalars(
                    select(FeedPost.change_key).where(
                        FeedPost.subscription_id == subscription_id,
                        FeedPost.change_key.in_([key for key, _, _ in posts]),
                    )
                )
            ).all()
        )
        added = 0
        for key, channel, payload in posts:
            if key in known:
                continue
            known.add(key)
            session.add(
                FeedPost(
                    subscription_id=subscription_id,
                    change_key=key,
                    status=FeedPostStatus.PENDING,
                    channel_id=channel,
                    payload=payload,
                )
            )
            added += 1
        await session.flush()
        return added

    @staticmethod
    async def pending(
        session: AsyncSession, subscription_id: int, limit: int | None = None
    ) -> list[FeedPost]:
        query = (
            select(FeedPost)
            .where(
                FeedPost.subscription_id == subscription_id,
                FeedPost.status == FeedPostStatus.PENDING,
            )
            .order_by(FeedPost.id)
        )
        if limit is not None:
            query = query.limit(limit)
        return list((await session.scalars(query)).all())

    async def claim_row(self, session: AsyncSession, subscription_id: int, post_id: int) -> None:
        """Just before a post goes out: the lease is still ours (renewed), the row pending."""
        await self.hold_lease(session, subscription_id)
        status = await session.scalar(select(FeedPost.status).where(FeedPost.id == post_id))
        if status != FeedPostStatus.PENDING:
            raise LeaseLost(subscription_id)

    @staticmethod
    async def mark_sent(session: AsyncSession, post_id: int, ts: str) -> None:
        await session.execute(
            update(FeedPost)
            .where(FeedPost.id == post_id)
            .values(status=FeedPostStatus.SENT, message_ts=ts, sent_at=utcnow())
        )
