"""A whole Slack team leaving: every link of the team is disconnected (tokens revoked)."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AstravueLink, LinkStatus
from bot.services.linking import LinkingService

log = logging.getLogger(__name__)


class TeamLinks:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], linking: LinkingService) -> None:
        self._sessions = sessions
        self._linking = linking

    async def connected_users(self, team_id: str) -> list[str]:
        async with self._sessions() as session:
            users = await session.scalars(
                select(AstravueLink.slack_user_id).where(
                    AstravueLink.team_id == team_id, AstravueLink.status != LinkStatus.DISCONNECTED
                )
            )
            return list(users.all())

    async def disconnect_team(self, team_id: str, why: str) -> int:
        """Disconnect every link of the team; how many there were."""
        users = await self.connected_users(team_id)
        for user_id in users:
            await self._linking.disconnect(team_id=team_id, slack_user_id=user_id)
        log.info("team %s: %s; disconnected %d link(s)", team_id, why, len(users))
        return len(users)
