"""Notifications and mentions, their order on a page, and the requests that mark or delete them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import Field

from bot.astravue.models.base import AstravueModel, Many, RequestModel, UtcDateTime, spelled
from bot.astravue.models.people import UserDto


class NotificationDto(AstravueModel):
    notification_id: int = spelled("notificationId", "id", "notification_id")
    type: str | None = None
    message: str = ""
    read: bool = spelled("read", "isRead", default=False)
    create_time: UtcDateTime | None = None
    actor: UserDto | None = None
    task_id: int | None = None
    project_id: int | None = None
    space_id: int | None = None
    comment_id: int | None = None


NotificationKind = Literal["NOTIFICATION", "MENTION"]
NotificationOrder = Literal["newest first", "oldest first"]
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def page_order(items: list[NotificationDto]) -> NotificationOrder | None:
    """The order of a page of notifications by (creation time, id); None when it shows none
    (the API's order is not documented)."""
    keys = [(n.create_time or _EARLIEST, n.notification_id) for n in items]
    if len(set(keys)) < 2:
        return None
    if keys == sorted(keys, reverse=True):
        return "newest first"
    if keys == sorted(keys):
        return "oldest first"
    return None


class NotificationReadRequest(RequestModel):
    notification_ids: list[int] | None = None
    mark_all: bool | None = None


class NotificationReadResponseDto(AstravueModel):
    updated_count: int | None = None
    notification_ids: Many[int] = Field(default_factory=list)


class NotificationDeleteRequestDto(RequestModel):
    notification_ids: list[int] = Field(min_length=1)


class NotificationDeleteResponseDto(AstravueModel):
    deleted_count: int | None = None
    notification_ids: Many[int] = Field(default_factory=list)
