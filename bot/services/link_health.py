"""What `/astravue doctor` reads about a link: its poll state and recorded identity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import PollState
from bot.services.identity import recorded


@dataclass(frozen=True)
class PollHealth:
    last_polled_at: datetime | None
    last_delivery_at: datetime | None
    last_error: str | None


class LinkHealth:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def poll(self, link_id: int) -> PollHealth | None:
        """The link's notification polling; None when it is not polled at all."""
        async with self._sessions() as session:
            poll = await session.get(PollState, link_id)
            if poll is None:
                return None
            return PollHealth(poll.last_polled_at, poll.last_delivery_at, poll.last_error)

    async def identity_sources(self, team_id: str, slack_user_id: str) -> dict[str, Any]:
        """Where each identity fact (user id, organisation) came from."""
        return await recorded(self._sessions, team_id, slack_user_id)

    async def org_name(self, team_id: str, slack_user_id: str, org_id: int | None) -> str | None:
        """The name sign-in gave for organisation `org_id`, if it did (None for another)."""
        if org_id is None:
            return None
        facts = await self.identity_sources(team_id, slack_user_id)
        name = facts.get("org_name")
        return name if isinstance(name, str) and facts.get("org_name_of") == str(org_id) else None
