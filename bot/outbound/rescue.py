"""The forgotten-timer DM (`bot.services.rescue` decides when)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.astravue.models import TimerData
from bot.domain.links import LinkInfo
from bot.slack.clients import TeamClients, TeamNotInstalled
from bot.ui.timers import rescue_dm


class RescueSender:
    def __init__(self, clients: TeamClients) -> None:
        self.clients = clients

    async def send(
        self, link: LinkInfo, timer: TimerData, zone: tzinfo, now: datetime, why: str
    ) -> tuple[str, str] | None:
        """The DM posted (channel, ts); None when the team has no installation (nothing
        sent). Slack errors are raised: the caller keeps the reminder for its next pass."""
        try:
            client = await self.clients.for_team(link.team_id)
        except TeamNotInstalled:
            return None
        posted = await client.chat_postMessage(
            channel=link.slack_user_id, **rescue_dm(timer, zone, now, why)
        )
        return str(posted.get("channel") or link.slack_user_id), str(posted["ts"])
