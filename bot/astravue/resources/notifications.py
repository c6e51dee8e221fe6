"""Notifications and mentions: listing, marking read, deleting."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from bot.astravue.models import (
    NotificationDeleteRequestDto,
    NotificationDeleteResponseDto,
    NotificationDto,
    NotificationKind,
    NotificationReadRequest,
    NotificationReadResponseDto,
)
from bot.astravue.pagination import Page, PageWalk
from bot.astravue.resources.base import DEFAULT_PAGE_SIZE, Resource, query


class Notifications(Resource):
    async def list(
        self,
        *,
        page: int = 0,
        size: int = DEFAULT_PAGE_SIZE,
        kind: NotificationKind | None = None,
        read: bool | None = None,
    ) -> builtins.list[NotificationDto]:
        return (await self.page(page=page, size=size, kind=kind, read=read)).items

    async def page(
        self,
        *,
        page: int = 0,
        size: int = DEFAULT_PAGE_SIZE,
        kind: NotificationKind | None = None,
        read: bool | None = None,
    ) -> Page[NotificationDto]:
        params = query(page=page, size=size, type=kind, read=read)
        reply = await self._transport.call("listNotifications", query=params)
        return reply.listing(NotificationDto, wrapper="notifications").page(page, size)

    def iter(
        self,
        *,
        size: int = DEFAULT_PAGE_SIZE,
        kind: NotificationKind | None = None,
        read: bool | None = None,
    ) -> PageWalk[NotificationDto]:
        async def fetch(page: int) -> Page[NotificationDto]:
            return await self.page(page=page, size=size, kind=kind, read=read)

        return PageWalk(fetch, operation="listNotifications", identity=lambda n: n.notification_id)

    async def mark_read(
        self, *, notification_ids: Sequence[int] | None = None, mark_all: bool | None = None
    ) -> NotificationReadResponseDto:
        body = NotificationReadRequest(
            notification_ids=list(notification_ids) if notification_ids is not None else None,
            mark_all=mark_all,
        )
        reply = await self._transport.call("markNotificationsRead", body=body)
        return reply.optional(NotificationReadResponseDto)

    async def delete(self, *, notification_ids: Sequence[int]) -> NotificationDeleteResponseDto:
        body = NotificationDeleteRequestDto(notification_ids=list(notification_ids))
        reply = await self._transport.call("deleteNotifications", body=body)
        return reply.optional(NotificationDeleteResponseDto)
