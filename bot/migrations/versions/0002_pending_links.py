"""pending links: a connect whose emails differ waits for the browser's confirmation

Revision ID: 0002_pending_links
Revises: 0001
Create Date: 2026-12-02 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision = "0002_pending_links"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_links",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("csrf_hash", sa.String(length=64), nullable=False),
        sa.Column("tokens_ct", sa.Text(), nullable=False),
        sa.Column("response_url_ct", sa.Text(), nullable=True),
        sa.Column("astravue_user_id", sa.BigInteger(), nullable=True),
        sa.Column("astravue_email", sa.String(length=320), nullable=True),
        sa.Column("astravue_name", sa.String(length=200), nullable=True),
        sa.Column("org_id", sa.BigInteger(), nullable=True),
        sa.Column("user_source", sa.String(length=16), nullable=True),
        sa.Column("org_source", sa.String(length=16), nullable=True),
        sa.Column("session_only", sa.Boolean(), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_links")),
    )
    with op.batch_alter_table("pending_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_links_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_links_expires_at"))
    op.drop_table("pending_links")
