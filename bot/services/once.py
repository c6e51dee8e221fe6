"""Once-only keys: the first claim of a key wins, in any process; a retry finds it taken.

Keys share the table of Slack event ids (`processed_events`), so the scheduler prunes them
after the same window (bot.scheduler.EVENT_MEMORY)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import ProcessedEvent
from bot.db.session import session_scope

KEY_MAX = 64  # the column's length


async def claim(sessions: async_sessionmaker[AsyncSession], key: str) -> bool:
    """True the first time `key` is claimed (until it is released)."""
    try:
        async with session_scope(sessions) as session:
            session.add(ProcessedEvent(event_id=key[:KEY_MAX], received_at=utcnow()))
    except IntegrityError:
        return False
    return True


async def release(sessions: async_sessionmaker[AsyncSession], key: str) -> None:
    """Let `key` be claimed again: the work it guarded failed before changing anything."""
    async with session_scope(sessions) as session:
        await session.execute(
            delete(ProcessedEvent).where(ProcessedEvent.event_id == key[:KEY_MAX])
        )
