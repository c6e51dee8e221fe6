"""resume commands: the command a connect interrupted, sealed with its state

Revision ID: 0005_resume_commands
Revises: 0004_project_feeds
Create Date: 2026-12-03 09:35:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_resume_commands"
down_revision = "0004_project_feeds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("oauth_states", "pending_links"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("command_ct", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in ("oauth_states", "pending_links"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("command_ct")
