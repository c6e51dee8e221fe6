"""Which Astravue link a Slack user has, as plain values."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AstravueLink, LinkStatus
from bot.db.repositories import link_for
from bot.domain.links import LinkInfo


def link_info(link: AstravueLink) -> LinkInfo:
    return LinkInfo(
        id=link.id,
        team_id=link.team_id,
        slack_user_id=link.slack_user_id,
        status=link.status,
        org_id=link.org_id,
        astravue_user_id=link.astravue_user_id,
        email=link.astravue_email,
        name=link.astravue_name,
    )


class NotConnected(Exception):
    """The acting Slack user has no working Astravue link."""

    def __init__(self, link: LinkInfo | None) -> None:
        super().__init__("not connected")
        self.link = link


def working(link: LinkInfo | None) -> LinkInfo:
    """`link` if it works, else NotConnected."""
    if link is None or link.status != LinkStatus.ACTIVE:
        raise NotConnected(link)
    return link


class OrgMissing(Exception):
    """The user is linked but no organisation id is known for them yet."""


class Links:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def link(self, team_id: str, slack_user_id: str) -> LinkInfo | None:
        async with self.sessions() as session:
            link = await link_for(session, team_id, slack_user_id)
            return link_info(link) if link else None

    async def active_link(self, team_id: str, slack_user_id: str) -> LinkInfo:
        return working(await self.link(team_id, slack_user_id))
