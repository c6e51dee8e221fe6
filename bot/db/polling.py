"""The poller's queries: claim a batch of due links and read everything their polls need, in
one transaction per batch, so a steady-state poll (nothing new) reads and writes nothing more.

A claim sets the lease and `last_polled_at`; a poll that finds nothing new has nothing of its
own to write: its lease is given back, and its next poll set, with others' in one statement
per batch (`release_leases`). A claim leaves `next_poll_at` as it was, so the claim query
walks the `next_poll_at` index in order and stops after a batch, and a link whose poller
died before giving it back is due as soon as its lease lapses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ScalarSelect, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.locks import for_update
from bot.db.models import (
    AstravueLink,
    DeliveryStatus,
    LinkStatus,
    NotificationDelivery,
    PollState,
    UserSettings,
)
from bot.db.session import session_scope


@dataclass(frozen=True)
class PollTarget:
    """One claimed link as its poll needs it (rows detached from their session)."""

    link: AstravueLink
    cursor: int | None
    initialized: bool
    failures: int
    last_error: str | None
    settings: UserSettings | None  # None until the user's settings row exists
    unfinished: bool  # pending (a crash) or held (a digest) deliveries exist

    @property
    def had_failed(self) -> bool:
        return bool(self.failures or self.last_error)


@dataclass(frozen=True)
class Claim:
    owner: str
    limit: int
    now: datetime
    due_by: datetime
    leased_until: datetime


async def claim_and_read(
    sessions: async_sessionmaker[AsyncSession], claim: Claim
) -> tuple[list[int], dict[int, PollTarget]]:
    """In one transaction: lease up to `claim.limit` active links due by `claim.due_by`, the
    longest due first, and read them."""
    async with session_scope(sessions) as session:
        claimed = await claim_due(session, claim)
        return claimed, await read_targets(session, claimed)


async def claim_due(session: AsyncSession, claim: Claim) -> list[int]:
    free = or_(PollState.lease_expires_at.is_(None), PollState.lease_expires_at < claim.now)
    active = exists().where(
        AstravueLink.id == PollState.link_id, AstravueLink.status == LinkStatus.ACTIVE
    )
    due = for_update(
        select(PollState.link_id)
        .where(PollState.next_poll_at <= claim.due_by, free, active)
        .order_by(PollState.next_poll_at)
        .limit(claim.limit),
        session,
        skip_locked=True,
    )
    claimed = await session.scalars(
        update(PollState)
        .where(PollState.link_id.in_(due.scalar_subquery()), free)
        .values(
            lease_owner=claim.owner,
            lease_expires_at=claim.leased_until,
            last_polled_at=claim.now,
        )
        .returning(PollState.link_id)
    )
    return list(claimed.all())


async def read_targets(session: AsyncSession, link_ids: list[int]) -> dict[int, PollTarget]:
    """The links, their poll state and settings, and which have unfinished deliveries."""
    if not link_ids:
        return {}
    rows = await session.execute(
        select(
            AstravueLink,
            PollState.last_seen_id,
            PollState.initialized,
            PollState.failures,
            PollState.last_error,
            UserSettings,
        )
        .join(PollState, PollState.link_id == AstravueLink.id)
        .outerjoin(
            UserSettings,
            and_(
                UserSettings.team_id == AstravueLink.team_id,
                UserSettings.slack_user_id == AstravueLink.slack_user_id,
            ),
        )
        .where(AstravueLink.id.in_(link_ids))
    )
    unfinished = set(
        (
            await session.scalars(
                select(NotificationDelivery.link_id)
                .where(
                    NotificationDelivery.link_id.in_(link_ids),
                    NotificationDelivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.HELD)),
                )
                .distinct()
            )
        ).all()
    )
    return {  # the poll state as columns: one ORM instance less per link
        link.id: PollTarget(
            link, cursor, initialized, failures, last_error, settings, link.id in unfinished
        )
        for link, cursor, initialized, failures, last_error, settings in rows
    }


async def release_leases(
    session: AsyncSession, owner: str, link_ids: list[int], due_again: datetime
) -> None:
    """Give back `owner`'s leases on links whose polls changed nothing, each next polled at
    `due_again` (one statement)."""
    if link_ids:
        await session.execute(
            update(PollState)
            .where(PollState.link_id.in_(_locked_in_order(session, owner, link_ids)))
            .values(lease_owner=None, lease_expires_at=None, next_poll_at=due_again)
        )


async def renew_leases(
    session: AsyncSession, owner: str, link_ids: list[int], until: datetime
) -> None:
    """Extend `owner`'s leases on `link_ids` to `until` (one statement)."""
    await session.execute(
        update(PollState)
        .where(PollState.link_id.in_(_locked_in_order(session, owner, link_ids)))
        .values(lease_expires_at=until)
    )


def _locked_in_order(session: AsyncSession, owner: str, link_ids: list[int]) -> ScalarSelect[int]:
    """`owner`'s leased rows among `link_ids`, locked in link order: a renewal of a poller's
    leases and a batch release of some run at once on PostgreSQL, and two UPDATEs locking
    overlapping rows in different orders would deadlock."""
    query = select(PollState.link_id).where(
        PollState.lease_owner == owner, PollState.link_id.in_(link_ids)
    )
    return for_update(query.order_by(PollState.link_id), session).scalar_subquery()
