"""What the notification poller needs from Slack, as the poller sees it.

`bot.outbound.notifications.NotificationOutbox` is the implementation wiring passes in: it
renders with `bot.ui` and posts at Slack's pace. Each method may raise `TeamNotInstalled`
(`bot.slack.clients`): the poll of that user then ends without sending.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from bot.astravue.models import NotificationDto
from bot.domain.notifications import NotificationCard

BeforeSend = Callable[[], Awaitable[None]]


class NotificationOutbox(Protocol):
    async def open_dm(self, team_id: str, user_id: str) -> str: ...

    async def send_card(
        self,
        team_id: str,
        channel: str,
        card: NotificationCard,
        *,
        link_id: int,
        before_send: BeforeSend,
    ) -> str: ...

    async def send_digest(
        self,
        team_id: str,
        channel: str,
        notifications: Sequence[NotificationDto],
        *,
        link_id: int,
        digest_key: str,
        before_send: BeforeSend,
    ) -> str: ...

    async def send_summary(self, team_id: str, channel: str, unread: int) -> None: ...

    async def posted_notifications(
        self, team_id: str, channel: str, link_id: int, oldest: datetime
    ) -> dict[int, str]: ...

    async def posted_digests(
        self, team_id: str, channel: str, link_id: int, oldest: datetime
    ) -> set[str]: ...
