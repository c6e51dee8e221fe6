"""What `serve` does before it serves: the database schema check (and SQLite's migration)."""

from __future__ import annotations

import asyncio

from bot.config import ConfigError, Settings


async def prepare_database(settings: Settings) -> None:
    """SQLite (embedded default) migrates itself; any other database must be migrated first."""
    from bot.db.session import create_engine, current_revision, head_revision, upgrade

    if settings.is_sqlite:
        await asyncio.to_thread(upgrade, settings.database_url)
        return
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        current = await current_revision(engine)
    finally:
        await engine.dispose()
    if current != head_revision():
        raise ConfigError(
            f"the database schema is at {current or 'nothing'}, the code needs {head_revision()}: "
            "run `astravue-bot migrate` first."
        )
