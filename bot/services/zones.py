"""A Slack user's time zone and date order: the one lookup every service uses (Slack's profile
`tz` and `locale`, cached together)."""

from __future__ import annotations

from datetime import tzinfo

from bot.parsing import day_first_in, resolve_zone
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

    async def day_first(self, slack_user_id: str) -> bool:
        """Whether the user writes numeric dates day first ("31/12"), from their Slack locale."""
        return day_first_in((await self.profiles.get(slack_user_id)).locale)
