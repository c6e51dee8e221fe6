"""The one "Reconnect" DM when a link stops working (Keycloak said invalid_grant).

`TokenManager.on_needs_relink` calls it; `relink_notified_at` is set atomically first, so
however many requests or processes hit the dead token at once, the user gets one DM.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError
from sqlalchemy import update

from bot.db.base import utcnow
from bot.db.models import AstravueLink, LinkStatus
from bot.db.session import session_scope
from bot.slack.clients import TeamNotInstalled
from bot.ui.notifications import relink_dm

if TYPE_CHECKING:
    from bot.services.container import ServiceContainer

log = logging.getLogger(__name__)


class RelinkNotifier:
    def __init__(self, services: ServiceContainer) -> None:
        self.services = services

    async def __call__(self, link_id: int) -> None:
        async with session_scope(self.services.runtime.sessions) as session:
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
        try:
            url = await self.services.linking.begin(
                team_id=team_id, slack_user_id=user_id, channel_id=None, response_url=None
            )
            client = await self.services.runtime.team_clients.for_team(team_id)
            await client.chat_postMessage(channel=user_id, **relink_dm(url))
        except TeamNotInstalled:
            log.info("link %s: its workspace uninstalled the app; no reconnect DM", link_id)
        except SlackApiError as exc:
            log.warning(
                "link %s: could not send the reconnect DM (%s)", link_id, exc.response.get("error")
            )
