"""Answers shared by feature modules: a form's result, and a card button's reference."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.astravue.errors import Forbidden
from bot.container import ServiceContainer
from bot.domain.tasks import TaskRef
from bot.listeners import audience
from bot.listeners.safe_lazy import Invocation
from bot.ui import shared as shared_ui
from bot.ui import tasks as task_ui
from bot.ui.errors import UserFacingError

log = logging.getLogger(__name__)

ROLE_HINTS = {
    "delete": "the task's owners, its creator or an organisation Admin",
    "create": "Members and Admins (Guests are read-only)",
    "edit": "Members and Admins, or a Guest who owns the task",
}


def app_url(inv: Invocation) -> str:
    """Where "Open in Astravue" links point."""
    return app_url_of(inv.services)


def app_url_of(services: ServiceContainer) -> str:
    return services.settings.astravue_app_url


def forbidden(what: str, exc: Forbidden) -> UserFacingError:
    """Astravue's 403 on a task, in words: who may `what` it."""
    return UserFacingError(
        f"Astravue says your role doesn't allow you to {what} this task "
        f"({exc.message or 'forbidden'}). Only {ROLE_HINTS[what]} can; ask "
        "one of them, or an Admin to change your role."
    )


def clicked_ref(inv: Invocation, value: str | None = None) -> TaskRef:
    """The task a card button (or `value`) points at: the value, or the last part of
    `verb|ref`."""
    value = inv.payload.action_value if value is None else value
    try:
        return TaskRef.decode(value.split("|")[-1])
    except ValueError:
        raise UserFacingError(
            "That button no longer points at a task. Run the command again."
        ) from None


async def announce(inv: Invocation, meta: dict[str, Any], payload: dict[str, Any]) -> None:
    """A form's result, once its work is done: in the message's thread (shortcut), else
    ephemeral where it began (`meta["c"]`, the channel kept in the view's metadata), else as
    a DM. A thread Slack refuses (e.g. the app is not in that channel) costs only the thread
    reply: the user is told privately that it worked, and why the reply is missing."""
    channel = meta.get("c")
    if channel and meta.get("ts"):
        try:
            await inv.client.chat_postMessage(
                channel=channel,
                thread_ts=meta["ts"],
                metadata=audience.shared_by(inv.user_id),
                **payload,
            )
            return
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            log.info("%s: thread reply refused (%s); telling the user privately", inv.ids, error)
            payload = task_ui.thread_refused(payload, str(channel), error)
    await inv.tell_privately(payload, channel)


async def share_in_channel(inv: Invocation, channel: str, payload: dict[str, Any]) -> None:
    """A result the user asked to `--share`, posted in `channel` as the compact shared card
    (bot.ui.shared); a channel Slack refuses costs only the shared copy."""
    try:
        await inv.client.chat_postMessage(
            channel=channel,
            metadata=audience.shared_by(inv.user_id),
            **shared_ui.for_channel(payload, inv.user_id),
        )
    except SlackApiError as exc:
        log.info("%s: sharing refused (%s)", inv.ids, exc.response.get("error"))
