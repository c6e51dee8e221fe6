"""The user's Astravue notifications as the list modal and the DM buttons change them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.astravue.client import AstravueClient
from bot.domain.links import LinkInfo

ClientFor = Callable[[LinkInfo], AstravueClient]


class NotificationInbox:
    def __init__(self, astravue: ClientFor) -> None:
        self._astravue = astravue

    async def mark_all_read(self, link: LinkInfo) -> int:
        """How many Astravue says it marked."""
        done = await self._astravue(link).notifications.mark_read(mark_all=True)
        return done.updated_count or 0

    async def mark_read(self, link: LinkInfo, notification_ids: Sequence[int]) -> int:
        done = await self._astravue(link).notifications.mark_read(notification_ids=notification_ids)
        return done.updated_count or 0

    async def delete(self, link: LinkInfo, notification_ids: Sequence[int]) -> int:
        removed = await self._astravue(link).notifications.delete(notification_ids=notification_ids)
        return removed.deleted_count or 0
