"""Alembic owns the schema: upgrade from empty, no drift from the models, and a round trip."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.db.base import Base
from bot.db.session import create_engine, current_revision, downgrade, head_revision, upgrade

EXPECTED_TABLES = {
    "astravue_links",
    "oauth_states",
    "used_nonces",
    "user_settings",
    "notification_poll_state",
    "notification_deliveries",
    "processed_events",
    "channel_defaults",
    "slack_installations",
    "slack_oauth_states",
    "pending_links",
    "feed_subscriptions",
    "feed_posts",
}


async def _tables_and_diff(url: str) -> tuple[set[str], list[object], str | None]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:

            def inspect_sync(sync_conn):  # type: ignore[no-untyped-def]
                tables = set(inspect(sync_conn).get_table_names())
                diff = compare_metadata(
                    MigrationContext.configure(sync_conn, opts={"compare_type": True}),
                    Base.metadata,
                )
                return tables, diff

            tables, diff = await conn.run_sync(inspect_sync)
        return tables, diff, await current_revision(engine)
    finally:
        await engine.dispose()


def test_upgrade_on_empty_database_matches_the_models(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    tables, diff, revision = asyncio.run(_tables_and_diff(empty_database_url))
    assert EXPECTED_TABLES <= tables
    assert diff == [], f"models and migrations differ: {diff}"
    assert revision == head_revision()


def test_downgrade_and_upgrade_round_trip(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    downgrade(empty_database_url, "base")
    tables, _, revision = asyncio.run(_tables_and_diff(empty_database_url))
    assert not (EXPECTED_TABLES & tables)
    assert revision is None
    upgrade(empty_database_url)
    tables, diff, revision = asyncio.run(_tables_and_diff(empty_database_url))
    assert EXPECTED_TABLES <= tables and diff == [] and revision == head_revision()
