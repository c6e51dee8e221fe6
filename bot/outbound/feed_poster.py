"""Feed posts to Slack: the job in `bot.services.feeds_poll` decides what to post, this
renders it (bot.ui.feeds) and posts it at Slack's channel pace, with message metadata naming
the subscription and change; and it searches a channel's history for that metadata when a
crash left a post pending."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from slack_sdk.web.async_client import AsyncWebClient

from bot.outbound.messenger import Messenger
from bot.services.feeds_ledger import EVENT_TYPE
from bot.services.feeds_poll import FeedPoller
from bot.slack.clients import SingleWorkspaceClients, TeamClients
from bot.ui import feeds as ui

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.config import Settings
    from bot.services.astravue_access import AstravueAccess


class FeedDependencies(Protocol):
    """What the feed job needs of the process's services (bot.container.ServiceContainer)."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    astravue_access: AstravueAccess


HISTORY_PAGES = 5


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
        payload = ui.render(post, self.app_url, str(post.get("zone") or "UTC"))
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
        slack = await self.clients.for_team(team_id)
        found: dict[str, str] = {}
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            reply = await slack.conversations_history(
                channel=channel,
                oldest=f"{oldest.timestamp():.6f}",
                limit=200,
                include_all_metadata=True,
                cursor=cursor,
            )
            for msg in reply.get("messages") or []:
                meta = msg.get("metadata") or {}
                body = meta.get("event_payload") or {}
                if (
                    meta.get("event_type") == EVENT_TYPE
                    and body.get("subscription_id") == subscription_id
                    and "change_key" in body
                ):
                    found[str(body["change_key"])] = str(msg["ts"])
            cursor = (reply.get("response_metadata") or {}).get("next_cursor")
            if not reply.get("has_more") or not cursor:
                break
        return found

    async def open_dm(self, team_id: str, user_id: str) -> str:
        opened = await (await self.clients.for_team(team_id)).conversations_open(users=user_id)
        return str(opened["channel"]["id"])


def feed_poller(services: FeedDependencies, clients: TeamClients | None = None) -> FeedPoller:
    """The feed job of this process. `clients` speak for each team without rate-limit
    retries (the Messenger paces); by default, one such client for `SLACK_BOT_TOKEN`."""
    settings = services.settings
    if clients is None:
        clients = SingleWorkspaceClients(
            AsyncWebClient(
                token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10
            )
        )
    poster = FeedPoster(clients, Messenger(), app_url=settings.astravue_app_url)
    return FeedPoller(
        services.sessions,
        services.astravue_access,
        poster,
        interval_seconds=settings.notify_poll_seconds,
    )
