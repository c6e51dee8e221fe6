"""Talk to the bot: a direct message to the app is read as an `/astravue` command.

The text goes through the same grammar and handlers as the slash command
(`bot.listeners.commands`); the answers are messages in that DM instead of ephemeral replies
through a response_url. Only what a person typed counts: the bot's own messages, edits and
every other subtype are ignored (and Slack's retries are dropped by the event middleware).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.container import ServiceContainer
from bot.listeners.commands import dispatch, local_answer
from bot.listeners.events import ack_event
from bot.listeners.payloads import Payload
from bot.listeners.router import CommandRegistry
from bot.listeners.safe_lazy import Invocation, report_failure, safe_lazy
from bot.ui.direct_messages import needs_a_form

log = logging.getLogger(__name__)

MAX_TEXT = 4000
# Commands whose handler opens a form (a DM has no trigger_id), always or without arguments.
FORMS = frozenset(
    {"task", "task edit", "settings", "space new", "space edit", "project new", "project edit"}
)
FORMS_WITHOUT_ARGS = frozenset({"timer start", "timer switch", "log"})
# "@Astravue task new ...", "/astravue help" or "astravue help" read as "task new ...", "help".
_PREFIX = re.compile(r"^\s*(?:<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s:,]*)?(?:/?astravue\b\s*)?", re.I)


def command_text(event: dict[str, Any], bot_user_id: str | None) -> str | None:
    """The command a person typed in their DM with the bot, or None for anything else."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("edited"):
        return None
    user = event.get("user")
    if not isinstance(user, str) or not user or event.get("bot_id") or event.get("bot_profile"):
        return None
    if bot_user_id and user == bot_user_id:
        return None
    text = event.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    return _PREFIX.sub("", text[:MAX_TEXT], count=1).strip()


@dataclass
class DirectMessage(Invocation):
    """An Invocation whose answers are posted in the DM the command came from."""

    async def tell_privately(self, payload: dict[str, Any], channel: str | None) -> None:
        await self.client.chat_postMessage(channel=self.channel_id or self.user_id, **payload)


async def in_a_dm(body: dict[str, Any]) -> bool:
    return Payload(body).event.get("channel_type") == "im"


def register(app: AsyncApp, services: ServiceContainer, registry: CommandRegistry) -> None:
    async def direct_message(inv: Invocation) -> None:
        text = command_text(inv.payload.event, inv.context.bot_user_id)
        if text is None:
            return
        dm = DirectMessage(**{f.name: getattr(inv, f.name) for f in fields(inv) if f.init})
        try:
            resolution = registry.resolve(text)
            answer = local_answer(registry, resolution)
            if answer is not None:
                await dm.reply(answer)
                return
            assert resolution.spec is not None
            path = resolution.spec.path
            if path in FORMS or (path in FORMS_WITHOUT_ARGS and not resolution.args):
                await dm.reply(needs_a_form(path))
                return
            await dispatch(registry, dm, resolution)
        except Exception as exc:  # answered in the DM, like any lazy failure
            await report_failure(dm, exc)

    app.event("message", matchers=[in_a_dm])(
        ack=ack_event, lazy=[safe_lazy(services, direct_message)]
    )
