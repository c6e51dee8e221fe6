"""The one "Reconnect" DM when a link stops working (Keycloak said invalid_grant).

`TokenManager.on_needs_relink` calls it; `relink_notified_at` is set atomically first, so
however many requests or processes hit the dead token at once, the user gets one DM. What
the DM says and how it is sent is `bot.outbound.relink`'s.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import AstravueLink, LinkStatus
from bot.db.session import session_scope
from bot.services.linking import LinkingService


class RelinkSender(Protocol):
    async def send(self, team_id: str, user_id: str, connect_url: str) -> None: ...


class RelinkNotifier:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        linking: LinkingService,
        sender: RelinkSender,
    ) -> None:
        self.sessions = sessions
        self.linking = linking
        self.sender = sender

    async def __call__(self, link_id: int) -> None:
        async with session_scope(self.sessions) as session:
            claimed = (
                await session.execute(
                    update(AstravueLink)
                    .where(
                        AstravueLink.id == link_id,
                        AstravueLink.status == LinkStatus.NEEDS_RELINK,
                        AstravueLink.relink_notified_at.is_(None),
                    )
                    .values(relink_notified_at=utcnow())
                    .returning(AstravueLink.team_id, AstravueLink.slack_user_id)
                )
            ).one_or_none()
        if claimed is None:
            return  # already told, or reconnected meanwhile
        team_id, user_id = claimed
        url = await self.linking.begin(
            team_id=team_id, slack_user_id=user_id, channel_id=None, response_url=None
        )
        await self.sender.send(team_id, user_id, url)
