"""A whole Slack team leaving: every link of the team is disconnected (tokens revoked), or in
distributed mode its installation ends and the links are suspended."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AstravueLink, LinkStatus
from bot.services.linking import LinkingService
from bot.slack.lifecycle import end_installation

log = logging.getLogger(__name__)


class TeamLinks:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        linking: LinkingService,
        *,
        distributed: bool = False,
    ) -> None:
        self._sessions = sessions
        self._linking = linking
        self._distributed = distributed

    async def end_team(self, team_id: str, enterprise_id: str | None, why: str) -> None:
        """The app left a team (uninstalled, bot token revoked). Distributed mode: the
        installation ends and its links wait, suspended, for a reinstall
        (bot.slack.lifecycle); one pasted token: the team's links are disconnected."""
        if not self._distributed:
            await self.disconnect_team(team_id, why)
            return
        ended = await end_installation(self._sessions, team_id=team_id, enterprise_id=enterprise_id)
        log.info("team %s: %s; installation ended: %s", team_id, why, ended)

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
