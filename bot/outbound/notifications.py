"""The poller's Slack side: open the DM, post cards, digests and summaries with message
metadata naming what they deliver, and read that metadata back from the DM's history.

The poller (`bot.services.notification_poller`) decides what to send; this module renders it
with `bot.ui.notifications` and posts it through the `Messenger` (pacing, 429s), with the
client of the user's team. `TeamNotInstalled` reaches the poller, which skips that user.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.astravue.models import NotificationDto
from bot.domain.notifications import NotificationCard
from bot.outbound.history import posts_by_metadata
from bot.outbound.messenger import Messenger
from bot.slack.clients import TeamClients
from bot.ui import notifications as ui

BeforeSend = Callable[[], Awaitable[None]]


class NotificationOutbox:
    def __init__(self, clients: TeamClients, messenger: Messenger) -> None:
        self.clients = clients
        self.messenger = messenger

    async def open_dm(self, team_id: str, user_id: str) -> str:
        client = await self.clients.for_team(team_id)
        opened = await client.conversations_open(users=user_id)
        return str(opened["channel"]["id"])

    async def send_card(
        self,
        team_id: str,
        channel: str,
        card: NotificationCard,
        *,
        link_id: int,
        before_send: BeforeSend,
    ) -> str:
        metadata = {
            "event_type": ui.EVENT_TYPE,
            "event_payload": {
                "notification_id": card.notification.notification_id,
                "link_id": link_id,
            },
        }
        return await self.messenger.post(
            channel,
            ui.notification_dm(card),
            metadata,
            before_send=before_send,
            client=await self.clients.for_team(team_id),
        )

    async def send_digest(
        self,
        team_id: str,
        channel: str,
        notifications: Sequence[NotificationDto],
        *,
        link_id: int,
        digest_key: str,
        before_send: BeforeSend,
    ) -> str:
        metadata = {
            "event_type": ui.DIGEST_EVENT_TYPE,
            "event_payload": {"link_id": link_id, "digest_key": digest_key},
        }
        return await self.messenger.post(
            channel,
            ui.digest_dm(notifications),
            metadata,
            before_send=before_send,
            client=await self.clients.for_team(team_id),
        )

    async def send_summary(self, team_id: str, channel: str, unread: int) -> None:
        await self.messenger.post(
            channel, ui.summary_dm(unread), client=await self.clients.for_team(team_id)
        )

    async def posted_notifications(
        self, team_id: str, channel: str, link_id: int, oldest: datetime
    ) -> dict[int, str]:
        """notification id -> ts of our DMs in the channel since `oldest`."""

        def key_of(body: dict[str, Any]) -> str | None:
            if body.get("link_id") != link_id or "notification_id" not in body:
                return None
            return str(body["notification_id"])

        client = await self.clients.for_team(team_id)
        found = await posts_by_metadata(client, channel, oldest, ui.EVENT_TYPE, key_of)
        return {int(key): ts for key, ts in found.items()}

    async def posted_digests(
        self, team_id: str, channel: str, link_id: int, oldest: datetime
    ) -> set[str]:
        """The digest keys of our digest DMs in the channel since `oldest` (less 5 minutes)."""
        client = await self.clients.for_team(team_id)
        reply = await client.conversations_history(
            channel=channel,
            oldest=f"{(oldest - timedelta(minutes=5)).timestamp():.6f}",
            limit=200,
            include_all_metadata=True,
        )
        keys = set()
        for msg in reply.get("messages") or []:
            meta = msg.get("metadata") or {}
            body = meta.get("event_payload") or {}
            if meta.get("event_type") == ui.DIGEST_EVENT_TYPE and body.get("link_id") == link_id:
                keys.add(str(body.get("digest_key")))
        return keys
