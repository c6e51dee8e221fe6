"""project feeds: channel subscriptions to a project and the ledger of their posts

Revision ID: 0004_project_feeds
Revises: 0003_slack_installations
Create Date: 2026-12-03 06:04:23.077537
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision = "0004_project_feeds"
down_revision = "0003_slack_installations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("subscriber_id", sa.String(length=32), nullable=False),
        sa.Column("space_id", sa.BigInteger(), nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("project_name", sa.String(length=200), nullable=False),
        sa.Column("digest_time", sa.String(length=5), nullable=True),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("last_digest_day", sa.String(length=10), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("initialized", sa.Boolean(), nullable=False),
        sa.Column("paused_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_poll_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_polled_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_subscriptions")),
        sa.UniqueConstraint(
            "team_id",
            "channel_id",
            "project_id",
            name=op.f("uq_feed_subscriptions_team_id_channel_id_project_id"),
        ),
    )
    with op.batch_alter_table("feed_subscriptions", schema=None) as batch_op:
        batch_op.create_index("ix_feed_due", ["next_poll_at"], unique=False)
        batch_op.create_index("ix_feed_subscriber", ["team_id", "subscriber_id"], unique=False)

    op.create_table(
        "feed_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("change_key", sa.String(length=160), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "sent", name="feedpoststatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["feed_subscriptions.id"],
            name=op.f("fk_feed_posts_subscription_id_feed_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_posts")),
        sa.UniqueConstraint(
            "subscription_id", "change_key", name=op.f("uq_feed_posts_subscription_id_change_key")
        ),
    )
    with op.batch_alter_table("feed_posts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feed_posts_subscription_id"), ["subscription_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feed_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_posts_subscription_id"))

    op.drop_table("feed_posts")
    with op.batch_alter_table("feed_subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_feed_subscriber")
        batch_op.drop_index("ix_feed_due")

    op.drop_table("feed_subscriptions")
