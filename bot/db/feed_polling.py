"""The feed job's queries: claim a batch of due subscriptions and read everything their polls
need (the subscription, its subscriber's link, whether ledger rows are pending) in one
transaction per batch, so a steady-state poll (nothing changed) reads and writes nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.feed_models import FeedPost, FeedPostStatus, FeedSubscription
from bot.db.locks import for_update
from bot.db.models import AstravueLink
from bot.db.session import session_scope


@dataclass(frozen=True)
class FeedTarget:
    """One claimed subscription as its poll needs it (rows detached from their session)."""

    row: FeedSubscription
    link: AstravueLink | None  # None: the subscriber has no link (any more)
    unfinished: bool  # pending ledger rows exist: a crash left them


@dataclass(frozen=True)
class FeedClaim:
    owner: str
    limit: int
    now: datetime
    due_by: datetime
    leased_until: datetime


async def claim_and_read(
    sessions: async_sessionmaker[AsyncSession], claim: FeedClaim
) -> tuple[list[int], dict[int, FeedTarget]]:
    """In one transaction: lease up to `claim.limit` subscriptions due by `claim.due_by`
    (FOR UPDATE SKIP LOCKED on PostgreSQL), and read them."""
    async with session_scope(sessions) as session:
        claimed = await claim_due(session, claim)
        return claimed, await read_targets(session, claimed, claim.owner)


async def claim_due(session: AsyncSession, claim: FeedClaim) -> list[int]:
    free = or_(
        FeedSubscription.lease_expires_at.is_(None),
        FeedSubscription.lease_expires_at < claim.now,
    )
    due = for_update(
        select(FeedSubscription.id)
        .where(FeedSubscription.next_poll_at <= claim.due_by, free)
        .order_by(FeedSubscription.next_poll_at)
        .limit(claim.limit),
        session,
        skip_locked=True,
    )
    claimed = await session.scalars(
        update(FeedSubscription)
        .where(FeedSubscription.id.in_(due.scalar_subquery()), free)
        .values(lease_owner=claim.owner, lease_expires_at=claim.leased_until)
        .returning(FeedSubscription.id)
    )
    return list(claimed.all())


async def read_targets(
    session: AsyncSession, feed_ids: list[int], owner: str
) -> dict[int, FeedTarget]:
    """The subscriptions still leased to `owner`, their subscribers' links, and which have
    pending ledger rows."""
    if not feed_ids:
        return {}
    rows = await session.execute(
        select(FeedSubscription, AstravueLink)
        .outerjoin(
            AstravueLink,
            and_(
                AstravueLink.team_id == FeedSubscription.team_id,
                AstravueLink.slack_user_id == FeedSubscription.subscriber_id,
            ),
        )
        .where(FeedSubscription.id.in_(feed_ids), FeedSubscription.lease_owner == owner)
    )
    unfinished = set(
        (
            await session.scalars(
                select(FeedPost.subscription_id)
                .where(
                    FeedPost.subscription_id.in_(feed_ids),
                    FeedPost.status == FeedPostStatus.PENDING,
                )
                .distinct()
            )
        ).all()
    )
    return {feed.id: FeedTarget(feed, link, feed.id in unfinished) for feed, link in rows}
