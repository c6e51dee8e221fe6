"""The schema. Alembic (migrations/) creates it; nothing here creates tables at run time."""

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
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow
from bot.domain.links import LinkStatus as LinkStatus  # re-exported: callers import it here

EMAIL_CHARS = 320  # the longest address RFC 5321 allows
NAME_CHARS = 200


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # row written, DM maybe posted: reconcile against history first
    SENT = "sent"
    HELD = "held"  # waiting for a digest (quiet hours or digest mode)
    DIGESTED = "digested"  # included in a digest DM
    SKIPPED = "skipped"  # muted, own action, or seen at the first poll


class AstravueLink(Base):
    """One Slack user's connection to their Astravue account, with encrypted tokens."""

    __tablename__ = "astravue_links"
    __table_args__ = (UniqueConstraint("team_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[LinkStatus] = mapped_column(
        Enum(
            LinkStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        ),
        default=LinkStatus.ACTIVE,
    )
    astravue_user_id: Mapped[int | None] = mapped_column(BigInteger)
    astravue_email: Mapped[str | None] = mapped_column(String(EMAIL_CHARS))
    astravue_name: Mapped[str | None] = mapped_column(String(NAME_CHARS))
    org_id: Mapped[int | None] = mapped_column(BigInteger)
    # Ciphertexts `v1.<kid>.<...>`, bound to this row, team and user (bot.security.crypto).
    refresh_token_ct: Mapped[str | None] = mapped_column(Text)
    access_token_ct: Mapped[str | None] = mapped_column(Text)
    access_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refresh_failures: Mapped[int] = mapped_column(Integer, default=0)
    refresh_backoff_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    relink_reason: Mapped[str | None] = mapped_column(String(200))
    relink_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dm_channel_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class OAuthState(Base):
    """A pending connect flow: single use, short-lived, bound to one Slack team and user."""

    __tablename__ = "oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    code_verifier_ct: Mapped[str] = mapped_column(Text)  # encrypted PKCE verifier
    response_url_ct: Mapped[str | None] = mapped_column(Text)  # encrypted: a bearer capability
    command_ct: Mapped[str | None] = mapped_column(Text)  # encrypted: the command to resume
    channel_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class PendingLink(Base):
    """A signed-in connect waiting for its browser's confirmation (the Astravue email did not
    match the Slack user's): tokens sealed, confirmed once with a CSRF token, short-lived."""

    __tablename__ = "pending_links"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    csrf_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 (hex) of the page's token
    tokens_ct: Mapped[str] = mapped_column(Text)  # encrypted token set, bound to this row
    response_url_ct: Mapped[str | None] = mapped_column(Text)
    command_ct: Mapped[str | None] = mapped_column(Text)  # encrypted: the command to resume
    astravue_user_id: Mapped[int | None] = mapped_column(BigInteger)
    astravue_email: Mapped[str | None] = mapped_column(String(EMAIL_CHARS))
    astravue_name: Mapped[str | None] = mapped_column(String(NAME_CHARS))
    org_id: Mapped[int | None] = mapped_column(BigInteger)
    user_source: Mapped[str | None] = mapped_column(String(16))  # where the identity came from
    org_source: Mapped[str | None] = mapped_column(String(16))
    session_only: Mapped[bool] = mapped_column(Boolean, default=False)  # no offline token
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class UsedNonce(Base):
    """Nonces of signed single-use links that were already used (pruned after expiry)."""

    __tablename__ = "used_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class UserSettings(Base):
    """Per-user preferences: notifications, quiet hours and timer habits."""

    __tablename__ = "user_settings"
    __table_args__ = (UniqueConstraint("team_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    notifications_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # {"assignment": "instant" | "digest" | "off", ...}; missing types are instant.
    type_modes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    muted_task_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    digest_project_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    quiet_start: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" in the user's tz
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    skip_own_actions: Mapped[bool] = mapped_column(Boolean, default=True)
    mark_read_on_delivery: Mapped[bool] = mapped_column(Boolean, default=False)
    timer_limit_minutes: Mapped[int] = mapped_column(Integer, default=480)
    workday_end: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" in the user's tz
    last_stop_billable: Mapped[bool] = mapped_column(Boolean, default=True)
    timer_reminded_id: Mapped[int | None] = mapped_column(BigInteger)  # timer already rescued
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PollState(Base):
    """Notification polling for one link: schedule, lease, cursor and backoff."""

    __tablename__ = "notification_poll_state"

    link_id: Mapped[int] = mapped_column(
        ForeignKey("astravue_links.id", ondelete="CASCADE"), primary_key=True
    )
    next_poll_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_seen_id: Mapped[int | None] = mapped_column(BigInteger)
    initialized: Mapped[bool] = mapped_column(Boolean, default=False)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    last_delivery_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_poll_due", "next_poll_at"),)


class NotificationDelivery(Base):
    """One Astravue notification delivered (or held) for one link: the exactly-once ledger."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (UniqueConstraint("link_id", "notification_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("astravue_links.id", ondelete="CASCADE"))
    notification_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[DeliveryStatus] = mapped_column(
        Enum(
            DeliveryStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=DeliveryStatus.PENDING,
    )
    task_id: Mapped[int | None] = mapped_column(BigInteger)
    project_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # held notifications for digests
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProcessedEvent(Base):
    """Slack event ids already handled: Slack retries up to 3 times; side effects run once."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ChannelDefault(Base):
    """The project last used from a channel, preselected by the message shortcut."""

    __tablename__ = "channel_defaults"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    space_id: Mapped[int | None] = mapped_column(BigInteger)
    project_id: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SlackInstallation(Base):
    """One Slack workspace (or Enterprise Grid organisation) that installed the app through
    OAuth. `enterprise_id`/`team_id` are "" when absent (an org-wide install has no team), so
    the pair is unique. Tokens are sealed (bot.slack.sealing), bound to this row and its ids."""

    __tablename__ = "slack_installations"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    team_id: Mapped[str] = mapped_column(String(32), default="")
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    enterprise_name: Mapped[str | None] = mapped_column(String(NAME_CHARS))
    team_name: Mapped[str | None] = mapped_column(String(NAME_CHARS))
    app_id: Mapped[str | None] = mapped_column(String(32))
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str | None] = mapped_column(Text)
    installer_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_token_ct: Mapped[str | None] = mapped_column(Text)  # None once uninstalled
    bot_refresh_token_ct: Mapped[str | None] = mapped_column(Text)  # token rotation only
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SlackOAuthState(Base):
    """A pending "Add to Slack": the SHA-256 of the state; consumed once, expires."""

    __tablename__ = "slack_oauth_states"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


from bot.db import feed_models as feed_models  # noqa: E402  (registers the feed tables)
