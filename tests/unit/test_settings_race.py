"""Two requests creating a user's settings row at the same moment both get the one row."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import UserSettings
from bot.db.repositories import settings_for
from bot.db.session import session_scope


async def test_concurrent_first_use_creates_one_row(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async def first_use() -> int:
        async with session_scope(sessions) as session:
            return (await settings_for(session, "T0ACME", "U0MARIA")).id

    ids = await asyncio.gather(*[first_use() for _ in range(10)])
    assert len(set(ids)) == 1
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(UserSettings))
    assert count == 1
