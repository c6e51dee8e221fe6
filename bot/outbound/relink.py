"""The "Reconnect" DM, sent once when a link stops working (`bot.services.relink` decides)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.slack.clients import TeamClients, TeamNotInstalled
from bot.ui.notifications import relink_dm

log = logging.getLogger(__name__)


class RelinkSender:
    def __init__(self, clients: TeamClients) -> None:
        self.clients = clients

    async def send(self, team_id: str, user_id: str, connect_url: str) -> None:
        """Post the DM; a failure is logged, never raised (the link stays needs_relink)."""
        try:
            client = await self.clients.for_team(team_id)
            await client.chat_postMessage(channel=user_id, **relink_dm(connect_url))
        except TeamNotInstalled:
            log.info("%s/%s: no installation; no reconnect DM", team_id, user_id)
        except SlackApiError as exc:
            log.warning(
                "%s/%s: could not send the reconnect DM (%s)",
                team_id,
                user_id,
                exc.response.get("error"),
            )
