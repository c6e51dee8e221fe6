"""Slack profiles (time zone, locale, email, name) with a short cache: users.info is Tier 4."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.parsing.dates import SLACK_DEFAULT_LOCALE
from bot.ttl_cache import TTLCache

log = logging.getLogger(__name__)

TTL_SECONDS = 3600.0


@dataclass(frozen=True)
class Profile:
    user_id: str
    tz: str
    email: str | None
    name: str | None
    locale: str = SLACK_DEFAULT_LOCALE  # "en-GB": how the user writes dates


class Profiles:
    def __init__(self, client: AsyncWebClient, *, max_entries: int = 20_000) -> None:
        self.client = client
        self._cache: TTLCache[str, Profile] = TTLCache(TTL_SECONDS, max_entries=max_entries)

    async def get(self, user_id: str, *, fresh: bool = False) -> Profile:
        """`fresh` skips the cache: for decisions on the email, such as linking an account."""
        cached = self._cache.get(user_id)
        if cached is not None and not fresh:
            return cached
        try:
            reply = await self.client.users_info(user=user_id, include_locale=True)
            user = reply["user"]
            profile = Profile(
                user_id=user_id,
                tz=user.get("tz") or "UTC",
                email=(user.get("profile") or {}).get("email"),
                name=user.get("real_name") or user.get("name"),
                locale=user.get("locale") or SLACK_DEFAULT_LOCALE,
            )
        except SlackApiError as exc:
            log.info("users.info %s failed (%s); assuming UTC", user_id, exc.response.get("error"))
            return Profile(user_id=user_id, tz="UTC", email=None, name=None)
        self._cache.put(user_id, profile)
        return profile
