"""Notification DMs, the summary and digest DMs, and the notifications list modal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.astravue.models import NotificationDto
from bot.domain.notifications import LIST_LIMIT as LIST_LIMIT
from bot.domain.notifications import NotificationCard as NotificationCard
from bot.domain.tasks import TaskRef
from bot.parsing.durations import format_duration
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
OVERFLOW_COMPLETE = "complete"
OVERFLOW_TIMER = "timer"
QUOTE_LINES = 3  # a quoted comment shows this many lines, then "Show more"
QUOTE_CHARS = 300  # ...and at most this many characters
QUOTE_MAX = 2500  # the whole comment, within a section's 3,000 characters

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


def quote(comment: str, *, expanded: bool = False) -> tuple[str, bool]:
    """The comment as a mrkdwn quote, and whether it was cut (three lines, 300 characters;
    expanded: all of it that fits a section)."""
    lines = [line.rstrip() for line in comment.strip().splitlines()]
    shown = "\n".join(lines if expanded else lines[:QUOTE_LINES])
    limit = QUOTE_MAX if expanded else QUOTE_CHARS
    cut = len(shown) > limit or len(lines) > len(shown.splitlines())
    text = truncate_escaped(shown, limit)
    if cut and not text.endswith("…"):
        text += " …"
    return "\n".join(f"> {line}" for line in text.splitlines()), cut


def notification_dm(
    card: NotificationCard,
    *,
    state: str | None = None,
    expanded: bool = False,
    outcome: str | None = None,
) -> dict[str, Any]:
    """The DM for one notification; `state` ("read", "deleted", "muted") replaces the
    buttons (muted: with Unmute, which brings them back). A mention, comment or reply quotes
    what was said (`expanded`: all of it); `outcome` says what a button did, under it."""
    n = card.notification
    lines = [_who_what(n)]
    about = _about(card)
    if about:
        lines.append(about)
    value = notification_value(n.notification_id, card.task_ref)
    more = None
    if card.comment:
        quoted, cut = quote(card.comment, expanded=expanded)
        lines.append(quoted)
        more = button("Show more", Action.NOTIF_MORE, value) if cut else None
    blocks: list[Block] = [section("\n".join(lines), accessory=more)]
    footer = [t for t in (_when(n), escape((n.type or "").replace("_", " "))) if t]
    if state == "deleted":
        blocks.append(context(":wastebasket: Notification deleted."))
        return message(f"Notification deleted: {truncate(n.message or '', 200)}", blocks)
    if state == "muted" and card.task_ref is not None:
        blocks.append(
            section(
                ":mute: Muted: no more notifications about this task.",
                accessory=button("Unmute", Action.NOTIF_UNMUTE, value),
            )
        )
        return message(f"Muted: {truncate(n.message or 'notification', 200)}", blocks)
    if state == "read":
        footer.append(":white_check_mark: read")
    if outcome:
        footer.append(outcome)
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
    """Open, Mark read and a menu; a DM about a comment opens at the comment and keeps
    Complete and Start timer in its menu (the DM is about what was said)."""
    n = card.notification
    value = notification_value(n.notification_id, card.task_ref)
    elements: list[dict[str, Any]] = []
    if card.comment_url:
        elements.append(button("Open at the comment", Action.OPEN_URL, url=card.comment_url))
    elif card.url:
        elements.append(button("Open in Astravue", Action.OPEN_URL, url=card.url))
    if not read:
        elements.append(button("Mark read", Action.NOTIF_MARK_READ, value))
    choices = [("Delete", f"{OVERFLOW_DELETE}:{value}")]
    if card.task_ref is not None:
        task_choices = [("Mute this task", f"{OVERFLOW_MUTE}:{value}")]
        if card.task_ref.project_id is not None:
            task_choices.append(
                ("Digest only for this project", f"{OVERFLOW_DIGEST_PROJECT}:{value}")
            )
        if card.about_a_comment:
            task_choices[:0] = [
                ("Complete task", f"{OVERFLOW_COMPLETE}:{value}"),
                ("Start timer", f"{OVERFLOW_TIMER}:{value}"),
            ]
        else:
            elements.append(button("Complete", Action.TASK_COMPLETE, card.task_ref.encode()))
            elements.append(button("Start timer", Action.TIMER_START, card.task_ref.encode()))
        choices[:0] = task_choices
    elements.append(overflow(Action.NOTIF_OVERFLOW, choices))
    return elements


def completed(logged: timedelta | None) -> str:
    done = ":white_check_mark: You completed the task"
    return f"{done} (its timer was running: {format_duration(logged)} logged)" if logged else done


def timer_started(start: datetime | None) -> str:
    if start is None:
        return ":stopwatch: Timer started"
    since = date_token(int(start.timestamp()), "{time}", start.strftime("%H:%M UTC"))
    return f":stopwatch: Timer running since {since}"


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
