"""Project feeds: which channel follows which project, and the exactly-once ledger of posts.

Registered on `Base.metadata` by `bot.db.models` (its last line imports this module)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class FeedPostStatus(enum.StrEnum):
    PENDING = "pending"  # row written, message maybe posted: reconcile against history first
    SENT = "sent"


class FeedSubscription(Base):
    """A channel following one project, read with its subscriber's own Astravue token."""

    __tablename__ = "feed_subscriptions"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "project_id"),
        Index("ix_feed_due", "next_poll_at"),
        Index("ix_feed_subscriber", "team_id", "subscriber_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    subscriber_id: Mapped[str] = mapped_column(String(32))  # the Slack user whose token reads
    space_id: Mapped[int] = mapped_column(BigInteger)
    project_id: Mapped[int] = mapped_column(BigInteger)
    project_name: Mapped[str] = mapped_column(String(200))
    digest_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM"; None: no digest
    zone: Mapped[str] = mapped_column(String(64), default="UTC")  # the subscriber's, for digests
    last_digest_day: Mapped[str | None] = mapped_column(String(10))  # local ISO date
    # What the last read saw: task id -> FeedTask fields (bot.domain.feed_changes).
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    initialized: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_poll_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FeedPost(Base):
    """One change of a followed project posted (or about to be) to a channel, or the DM that
    tells a subscriber their feeds are paused: unique per subscription and change key."""

    __tablename__ = "feed_posts"
    __table_args__ = (UniqueConstraint("subscription_id", "change_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("feed_subscriptions.id", ondelete="CASCADE"), index=True
    )
    change_key: Mapped[str] = mapped_column(String(160))
    status: Mapped[FeedPostStatus] = mapped_column(
        Enum(
            FeedPostStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=FeedPostStatus.PENDING,
    )
    channel_id: Mapped[str] = mapped_column(String(32))  # where it goes (a channel or a DM)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
