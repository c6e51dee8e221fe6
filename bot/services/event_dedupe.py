"""Once-only work for listeners: Slack's event retries, and a view submitted twice.

The first claim of a key wins, in any process (bot.services.once, the `processed_events`
table); the scheduler prunes old keys (bot.scheduler.prune_expired)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import once


class EventDedupe:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def first_delivery(self, event_id: str) -> bool:
        """True the first time Slack delivers this event id; False for its retries."""
        return await once.claim(self._sessions, event_id)

    async def claim_submission(self, team_id: str, view_id: str) -> bool:
        """True the first time this view submission is handled."""
        return await once.claim(self._sessions, self._view_key(team_id, view_id))

    async def release_submission(self, team_id: str, view_id: str) -> None:
        """The work the claim guarded failed before changing anything: allow it again."""
        await once.release(self._sessions, self._view_key(team_id, view_id))

    @staticmethod
    def _view_key(team_id: str, view_id: str) -> str:
        return f"view:{team_id}:{view_id}"
