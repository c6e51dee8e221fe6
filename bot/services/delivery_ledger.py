"""The delivery ledger: one row per link and notification, and its states.

`pending` (about to be posted), `sent` (with the message ts), `held` (for a digest or quiet
hours), `digested`, `skipped`. Rows are what make delivery exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.astravue.models import NotificationDto
from bot.db.base import utcnow
from bot.db.models import DeliveryStatus, NotificationDelivery, PollState
from bot.db.session import session_scope

Row = tuple[NotificationDto, DeliveryStatus, dict[str, Any] | None]


def payload_of(n: NotificationDto, **extra: Any) -> dict[str, Any]:
    return {"notification": n.model_dump(mode="json", by_alias=True), **extra}


def restore(payload: dict[str, Any] | None, notification_id: int) -> NotificationDto:
    if payload and "notification" in payload:
        return NotificationDto.model_validate(payload["notification"])
    return NotificationDto(notification_id=notification_id)


async def insert_rows(session: Any, link_id: int, rows: list[Row]) -> None:
    """Rows for notifications not in the ledger yet (a row already there is kept)."""
    known = set(
        (
            await session.scalars(
                select(NotificationDelivery.notification_id).where(
                    NotificationDelivery.link_id == link_id,
                    NotificationDelivery.notification_id.in_(
                        [n.notification_id for n, _, _ in rows]
                    ),
                )
            )
        ).all()
    )
    for n, status, payload in rows:
        if n.notification_id not in known:
            session.add(
                NotificationDelivery(
                    link_id=link_id,
                    notification_id=n.notification_id,
                    status=status,
                    task_id=n.task_id,
                    project_id=n.project_id,
                    payload=payload,
                )
            )
    await session.flush()


async def mark_sent(
    session: Any, link_id: int, notification_id: int, channel: str, ts: str
) -> None:
    now = utcnow()
    await session.execute(
        update(NotificationDelivery)
        .where(
            NotificationDelivery.link_id == link_id,
            NotificationDelivery.notification_id == notification_id,
        )
        .values(status=DeliveryStatus.SENT, channel_id=channel, message_ts=ts, sent_at=now)
    )
    await session.execute(
        update(PollState).where(PollState.link_id == link_id).values(last_delivery_at=now)
    )


async def rows_in(
    sessions: async_sessionmaker[AsyncSession],
    link_id: int,
    status: DeliveryStatus,
    limit: int | None = None,
) -> Sequence[NotificationDelivery]:
    """The link's rows in this state, oldest notification first."""
    async with sessions() as session:
        query = (
            select(NotificationDelivery)
            .where(NotificationDelivery.link_id == link_id, NotificationDelivery.status == status)
            .order_by(NotificationDelivery.notification_id)
        )
        return (await session.scalars(query if limit is None else query.limit(limit))).all()


async def mark_digested(
    sessions: async_sessionmaker[AsyncSession],
    link_id: int,
    ids: list[int],
    channel: str,
    ts: str | None,
) -> None:
    if not ids:
        return
    async with session_scope(sessions) as session:
        await session.execute(
            update(NotificationDelivery)
            .where(
                and_(
                    NotificationDelivery.link_id == link_id,
                    NotificationDelivery.notification_id.in_(ids),
                )
            )
            .values(
                status=DeliveryStatus.DIGESTED,
                channel_id=channel,
                message_ts=ts,
                sent_at=utcnow(),
            )
        )


async def delivered_payload(
    sessions: async_sessionmaker[AsyncSession], link_id: int, notification_id: int
) -> dict[str, Any] | None:
    async with sessions() as session:
        row = (
            await session.scalars(
                select(NotificationDelivery).where(
                    NotificationDelivery.link_id == link_id,
                    NotificationDelivery.notification_id == notification_id,
                )
            )
        ).one_or_none()
    return row.payload if row else None
