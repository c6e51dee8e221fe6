"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db.session import create_engine, create_sessionmaker, upgrade

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sandbox dialects", "how the sandbox Astravue answers the scenarios")
    group.addoption(
        "--sandbox-dialect",
        default=None,
        metavar="SWITCHES",
        help="run every scenario test once, against this dialect only "
        "(comma-separated switches, 'all', or '' for the documented guesses)",
    )
    group.addoption(
        "--all-dialect-combinations",
        action="store_true",
        help="also run every scenario test under each single switch (marked slow)",
    )


requires_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL row locks / SKIP LOCKED: set TEST_DATABASE_URL (CI does)",
)


async def _admin(sql: str) -> None:
    engine = create_async_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(sql)
    finally:
        await engine.dispose()


def fresh_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new, empty database: a temp SQLite file, or a new PostgreSQL database dropped after."""
    if not ON_POSTGRES:
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield TEST_DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def empty_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from fresh_database_url(tmp_path_factory)


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """A database migrated to head."""
    upgrade(empty_database_url)
    return empty_database_url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)
