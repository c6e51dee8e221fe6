"""Which Slack Web API client speaks for a team.

Everything that sends outside a request (the poller's DMs, Home publishes, the rescue and
relink DMs) asks a `TeamClients` for the client of the user's team, so that one code path
serves a single pasted bot token and many OAuth installations alike.
"""

from __future__ import annotations

from typing import Protocol

from slack_sdk.web.async_client import AsyncWebClient


class TeamNotInstalled(Exception):
    """The app has no (longer an) installation for this team: nothing may be sent to it."""

    def __init__(self, team_id: str, enterprise_id: str | None = None) -> None:
        super().__init__(f"no installation for team {team_id}")
        self.team_id = team_id
        self.enterprise_id = enterprise_id


class TeamClients(Protocol):
    async def for_team(self, team_id: str, enterprise_id: str | None = None) -> AsyncWebClient:
        """The client holding this team's bot token; raises `TeamNotInstalled`."""
        ...


class SingleWorkspaceClients:
    """Single-workspace mode: one pasted `SLACK_BOT_TOKEN` speaks for every team."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def for_team(self, team_id: str, enterprise_id: str | None = None) -> AsyncWebClient:
        return self._client
