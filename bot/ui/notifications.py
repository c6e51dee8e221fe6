"""Notification DMs, the summary and digest DMs, and the notifications list modal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.astravue.models import NotificationDto
from bot.domain.notifications import LIST_LIMIT as LIST_LIMIT
from bot.domain.notifications import NotificationCard as NotificationCard
from bot.domain.tasks import TaskRef
from bot.ui.components import (
    Block,
    actions,
    button,
    context,
    date_token,
    escape,
    header,
    message,
    modal,
    option,
    overflow,
    section,
    truncate,
    truncate_escaped,
)
from bot.ui.ids import Action, Callback

EVENT_TYPE = "astravue_notification"
DIGEST_EVENT_TYPE = "astravue_digest"
PICK_GROUP = 10
PICK_BLOCK = "notif_pick_{}"
DIGEST_LINES = 40
DIGEST_MESSAGE = 180

OVERFLOW_MUTE = "mute"
OVERFLOW_DIGEST_PROJECT = "digest_project"
OVERFLOW_DELETE = "delete"

_ICONS = {
    "assignment": ":bust_in_silhouette:",
    "mention": ":speech_balloon:",
    "comment": ":speech_balloon:",
    "status_change": ":arrows_counterclockwise:",
}


def notification_value(notification_id: int, task_ref: TaskRef | None) -> str:
    """Button value: `<notification>` or `<notification>|<task ref>` (ids only)."""
    return f"{notification_id}|{task_ref.encode()}" if task_ref else str(notification_id)


def parse_notification_value(value: str) -> tuple[int, TaskRef | None]:
    """Raises ValueError on anything else."""
    head, _, ref = value.partition("|")
    return int(head), TaskRef.decode(ref) if ref else None


def _who_what(n: NotificationDto, limit: int = 1500) -> str:
    icon = _ICONS.get((n.type or "").lower(), ":bell:")
    return f"{icon} {truncate_escaped(n.message or 'New notification', limit)}"


def _when(n: NotificationDto) -> str:
    if n.create_time is None:
        return ""
    return date_token(int(n.create_time.timestamp()), "{date_short_pretty} at {time}")


def _about(card: NotificationCard) -> str:
    parts = []
    if card.task_title:
        parts.append(f"*{truncate_escaped(card.task_title, 300)}*")
    if card.project_name:
        parts.append(f"in {truncate_escaped(card.project_name, 150)}")
    return " ".join(parts)


def notification_dm(card: NotificationCard, *, state: str | None = None) -> dict[str, Any]:
    """The DM for one notification; `state` ("read", "deleted", "muted") replaces the
    buttons (muted: with Unmute, which brings them back)."""
    n = card.notification
    lines = [_who_what(n)]
    about = _about(card)
    if about:
        lines.append(about)
    blocks: list[Block] = [section("\n".join(lines))]
    footer = [t for t in (_when(n), escape((n.type or "").replace("_", " "))) if t]
    if state == "deleted":
        blocks.append(context(":wastebasket: Notification deleted."))
        return message(f"Notification deleted: {truncate(n.message or '', 200)}", blocks)
    if state == "muted" and card.task_ref is not None:
        value = notification_value(n.notification_id, card.task_ref)
        blocks.append(
            section(
                ":mute: Muted: no more notifications about this task.",
                accessory=button("Unmute", Action.NOTIF_UNMUTE, value),
            )
        )
        return message(f"Muted: {truncate(n.message or 'notification', 200)}", blocks)
    if state == "read":
        footer.append(":white_check_mark: read")
    if footer:
        blocks.append(context(" · ".join(footer)))
    blocks.append(
        actions(
            *_dm_buttons(card, read=state == "read" or n.read),
            block_id=f"notif_{n.notification_id}",
        )
    )
    return message(truncate(n.message or "New Astravue notification", 300), blocks)


def _dm_buttons(card: NotificationCard, *, read: bool) -> list[dict[str, Any]]:
    n = card.notification
    value = notification_value(n.notification_id, card.task_ref)
    elements: list[dict[str, Any]] = []
    if card.url:
        elements.append(button("Open in Astravue", Action.OPEN_URL, url=card.url))
    if not read:
        elements.append(button("Mark read", Action.NOTIF_MARK_READ, value))
    if card.task_ref is not None:
        elements.append(button("Complete", Action.TASK_COMPLETE, card.task_ref.encode()))
        elements.append(button("Start timer", Action.TIMER_START, card.task_ref.encode()))
    choices = [("Delete", f"{OVERFLOW_DELETE}:{value}")]
    if card.task_ref is not None:
        choices.insert(0, ("Mute this task", f"{OVERFLOW_MUTE}:{value}"))
        if card.task_ref.project_id is not None:
            choices.insert(
                1, ("Digest only for this project", f"{OVERFLOW_DIGEST_PROJECT}:{value}")
            )
    elements.append(overflow(Action.NOTIF_OVERFLOW, choices))
    return elements


def summary_dm(unread: int) -> dict[str, Any]:
    text = (
        f"You have {unread} unread Astravue notification{'s' if unread != 1 else ''}. "
        "New ones will arrive here as they happen."
    )
    return message(
        text,
        [
            section(f":bell: {text}"),
            actions(button("List them", Action.NOTIF_LIST, "unread", style="primary")),
        ],
    )


def digest_dm(notifications: Sequence[NotificationDto]) -> dict[str, Any]:
    count = len(notifications)
    title = f"{count} Astravue notification{'s' if count != 1 else ''} while you were away"
    shown = list(notifications)[:DIGEST_LINES]
    # ~290 chars a line, so ten lines fit one section and none is cut off unseen
    lines = [f"• {_who_what(n, DIGEST_MESSAGE)} {_when(n)}" for n in shown]
    blocks: list[Block] = [header(title)]
    for start in range(0, len(lines), 10):  # keep each section under 3,000 characters
        blocks.append(section(truncate("\n".join(lines[start : start + 10]), 3000)))
    if count > len(shown):
        blocks.append(context(f"and {count - len(shown)} more"))
    blocks.append(actions(button("List unread", Action.NOTIF_LIST, "unread")))
    return message(title, blocks)


def relink_dm(connect_url: str) -> dict[str, Any]:
    text = (
        "Your Astravue connection stopped working (signed out or expired), so I paused "
        "your notifications. Reconnect to get them again."
    )
    return message(
        text,
        [
            section(f":warning: {text}"),
            actions(button("Reconnect Astravue", Action.CONNECT, url=connect_url, style="primary")),
        ],
    )


def list_modal(
    notifications: Sequence[NotificationDto], *, only_unread: bool, note: str | None = None
) -> dict[str, Any]:
    """Checkbox groups of ten, and buttons acting on what is ticked."""
    shown = list(notifications)[:LIST_LIMIT]
    blocks: list[Block] = []
    if note:
        blocks.append(section(note))
    if not shown:
        blocks.append(section("Nothing unread. :tada:" if only_unread else "No notifications."))
    for group, start in enumerate(range(0, len(shown), PICK_GROUP)):
        options = [_pick_option(n) for n in shown[start : start + PICK_GROUP]]
        blocks.append(
            {
                "type": "input",
                "block_id": PICK_BLOCK.format(group),
                "optional": True,
                "label": {"type": "plain_text", "text": "Select" if group == 0 else " "},
                "element": {
                    "type": "checkboxes",
                    "action_id": Action.NOTIF_SELECT,
                    "options": options,
                },
            }
        )
    if len(notifications) > len(shown):
        blocks.append(context(f"and {len(notifications) - len(shown)} more (newest shown)"))
    buttons = [button("Mark all read", Action.NOTIF_MARK_ALL, "all")]
    if shown:
        buttons = [
            button("Mark selected read", Action.NOTIF_MARK_SELECTED, "selected", style="primary"),
            *buttons,
            button("Delete selected", Action.NOTIF_DELETE_SELECTED, "selected", style="danger"),
        ]
    blocks.append(actions(*buttons))
    return modal(
        "Notifications",
        blocks,
        callback_id=Callback.NOTIF_LIST,
        close="Close",
        submit="Done" if shown else None,
        private_metadata="unread" if only_unread else "all",
    )


def _pick_option(n: NotificationDto) -> dict[str, Any]:
    marker = "" if n.read else "● "  # unread
    return option(f"{marker}{n.message or 'Notification'}", str(n.notification_id))


def loading_modal() -> dict[str, Any]:
    return modal(
        "Notifications",
        [section(":hourglass_flowing_sand: Loading…")],
        callback_id=Callback.LOADING,
        close="Close",
    )
