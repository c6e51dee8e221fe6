"""A Slack user's time zone: the one lookup every service uses (Slack's profile `tz`)."""

from __future__ import annotations

from datetime import tzinfo

from bot.parsing import resolve_zone
from bot.slack.profiles import Profiles


class UserZones:
    def __init__(self, profiles: Profiles) -> None:
        self.profiles = profiles

    async def name(self, slack_user_id: str) -> str:
        """The IANA name Slack has for the user ("UTC" when Slack has none)."""
        return (await self.profiles.get(slack_user_id)).tz

    async def zone(self, slack_user_id: str) -> tzinfo:
        """The user's zone; UTC when the name is missing or unknown."""
        return resolve_zone(await self.name(slack_user_id))
