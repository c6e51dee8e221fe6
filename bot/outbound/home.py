"""Publishing the App Home: features contribute sections; one failing section never blanks it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.db.models import LinkStatus
from bot.services.linking import LinkingService
from bot.services.links import Links
from bot.ui.components import context
from bot.ui.home import home_linked, home_unlinked

if TYPE_CHECKING:
    from bot.domain.links import LinkInfo

log = logging.getLogger(__name__)

Section = list[dict[str, Any]]
SectionProvider = Callable[["LinkInfo"], Awaitable[Section]]


class HomeService:
    def __init__(self, links: Links, linking: LinkingService) -> None:
        self.links = links
        self.linking = linking
        self.providers: list[tuple[str, SectionProvider]] = []

    def add_section(self, name: str, provider: SectionProvider) -> None:
        self.providers.append((name, provider))

    async def view_for(self, team_id: str, user_id: str) -> dict[str, Any]:
        link = await self.links.link(team_id, user_id)
        if link is None or link.status != LinkStatus.ACTIVE:
            url = await self.linking.begin(
                team_id=team_id, slack_user_id=user_id, channel_id=None, response_url=None
            )
            return home_unlinked(url)
        sections = []
        for name, provider in self.providers:
            try:
                sections.append(await provider(link))
            except Exception as exc:  # one section failing must not blank the whole Home
                log.warning(
                    "home section %s failed for %s/%s: %s",
                    name,
                    team_id,
                    user_id,
                    type(exc).__name__,
                )
                sections.append([context(f":warning: Couldn't load {name} right now.")])
        return home_linked(link.name or link.email, sections)

    async def publish(self, client: AsyncWebClient, team_id: str, user_id: str) -> None:
        await client.views_publish(user_id=user_id, view=await self.view_for(team_id, user_id))
