"""Slack users by email (`users.lookupByEmail`, Tier 3): the reverse of a profile's email."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class SlackUserLookup:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def by_email(self, email: str) -> str | None:
        """The Slack user id with this email in the client's workspace, or None."""
        try:
            reply = await self.client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            log.info("no Slack user for an email (%s)", exc.response.get("error"))
            return None
        found = (reply.get("user") or {}).get("id")
        return str(found) if found else None
