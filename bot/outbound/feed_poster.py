"""Feed posts to Slack: the job in `bot.services.feeds_poll` decides what to post, this
renders it (bot.ui.feeds) and posts it at Slack's channel pace, with message metadata naming
the subscription and change; and it searches a channel's history for that metadata when a
crash left a post pending."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.outbound.history import posts_by_metadata
from bot.outbound.messenger import Messenger
from bot.services.feeds_ledger import EVENT_TYPE
from bot.slack.clients import TeamClients
from bot.ui import feeds as ui

if TYPE_CHECKING:
    pass


class FeedPoster:
    def __init__(self, clients: TeamClients, messenger: Messenger, *, app_url: str) -> None:
        self.clients = clients
        self.messenger = messenger
        self.app_url = app_url

    async def post(
        self,
        team_id: str,
        channel: str,
        post: dict[str, Any],
        metadata: dict[str, Any],
        before_send: Callable[[], Awaitable[None]] | None,
    ) -> str:
        payload = ui.render(post, self.app_url)
        return await self.messenger.post(
            channel,
            payload,
            metadata,
            before_send=before_send,
            client=await self.clients.for_team(team_id),
        )

    async def posted(
        self, team_id: str, channel: str, subscription_id: int, oldest: datetime
    ) -> dict[str, str]:
        def key_of(body: dict[str, Any]) -> str | None:
            if body.get("subscription_id") != subscription_id or "change_key" not in body:
                return None
            return str(body["change_key"])

        client = await self.clients.for_team(team_id)
        return await posts_by_metadata(client, channel, oldest, EVENT_TYPE, key_of)

    async def open_dm(self, team_id: str, user_id: str) -> str:
        opened = await (await self.clients.for_team(team_id)).conversations_open(users=user_id)
        return str(opened["channel"]["id"])
