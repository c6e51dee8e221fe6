"""Who a Slack user is, as the connect flow shows and checks it: name, email and workspace."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.profiles import Profiles
from bot.slack.team_clients import acting_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackPerson:
    team_id: str
    user_id: str
    name: str | None
    email: str | None  # None when Slack has none (or could not be asked): never a match
    workspace: str  # the workspace's name, or its id when Slack does not tell


class SlackDirectory:
    def __init__(self, client: AsyncWebClient, profiles: Profiles) -> None:
        self.client = client
        self.profiles = profiles
        self._workspaces: dict[str, str] = {}

    async def person(self, team_id: str, user_id: str) -> SlackPerson:
        acting_for(team_id)  # distributed mode: users.info and auth.test with this team's token
        try:
            profile = await self.profiles.get(user_id, fresh=True)
            name, email = profile.name, profile.email
        except Exception:  # Slack unreachable: no email, so the link waits for a confirmation
            log.warning(
                "users.info for %s/%s failed; asking the browser to confirm",
                team_id,
                user_id,
                exc_info=True,
            )
            name = email = None
        return SlackPerson(
            team_id=team_id,
            user_id=user_id,
            name=name,
            email=email,
            workspace=await self.workspace(team_id),
        )

    async def workspace(self, team_id: str) -> str:
        """The bot token's workspace name (auth.test), when that is the user's workspace."""
        if team_id not in self._workspaces:
            try:
                reply = await self.client.auth_test()
            except Exception:  # a name for a page is not worth failing the connect over
                log.info("auth.test failed; showing the workspace id", exc_info=True)
                return team_id
            if reply.get("team_id") != team_id or not reply.get("team"):
                return team_id
            self._workspaces[team_id] = str(reply["team"])
        return self._workspaces[team_id]
