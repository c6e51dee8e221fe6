"""`/astravue`: parse and answer locally in the ack, run the sub-command's handler lazily."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.container import OrgMissing, ServiceContainer
from bot.domain.links import ResumedCommand
from bot.listeners.payloads import Payload
from bot.listeners.registration import ack_only
from bot.listeners.router import AREAS, HELP_TOPICS, CommandRegistry, Resolution
from bot.listeners.safe_lazy import Invocation, safe_lazy
from bot.ui.account import org_prompt
from bot.ui.help import help_message, unknown_command, unknown_topic
from bot.ui.ids import Action

log = logging.getLogger(__name__)

COMMAND = "/astravue"
MAX_RESUMED = 1900  # fits a button's value (2,000) with its prefix


def local_answer(registry: CommandRegistry, resolution: Resolution) -> dict[str, Any] | None:
    """What the ack itself can say, with no I/O: an area's help and unknown words. The short
    help depends on whether the user is connected, so it is answered lazily."""
    specs = registry.available()
    if resolution.spec is None:
        words = resolution.unknown or ""
        args = f"{resolution.args} --share" if resolution.share else resolution.args
        return unknown_command(words, list(resolution.suggestions), args=args)
    if resolution.spec.path == "help" and resolution.args:
        word = resolution.args.split(" ")[0].lower()
        topic = HELP_TOPICS.get(word)
        if topic is None:
            guesses = difflib.get_close_matches(word, list(HELP_TOPICS), n=1, cutoff=0.6)
            return unknown_topic(word, guesses, AREAS)
        return help_message(specs, AREAS, topic=topic)
    if resolution.spec.path not in registry.handlers:
        return unknown_command(resolution.spec.path, [])
    return None


def command_line(resolution: Resolution) -> str | None:
    """The command as it can be typed again (to resume it), None if it is too long to keep
    in a button's value."""
    assert resolution.spec is not None
    line = f"{resolution.spec.path} {resolution.args}".strip()
    line = f"{line} --share" if resolution.share else line
    return line if len(line) <= MAX_RESUMED else None


async def dispatch(registry: CommandRegistry, inv: Invocation, resolution: Resolution) -> None:
    """Run a command `local_answer` did not answer (the slash command's, or a DM's). One
    that needs the user connected, or their organisation, asks for it and runs when given."""
    assert resolution.spec is not None
    if resolution.spec.needs_link and not await inv.linked():
        await inv.connect_prompt(resume=command_line(resolution))
        return
    log.info("%s: /astravue %s", inv.ids, resolution.spec.path)
    try:
        await registry.handlers[resolution.spec.path](inv, resolution)
    except OrgMissing:  # raised before any Astravue call: nothing was done yet
        log.info("%s: organisation not set", inv.ids)
        await inv.reply(org_prompt(resume=command_line(resolution), channel_id=inv.channel_id))


def register(app: AsyncApp, services: ServiceContainer, registry: CommandRegistry) -> None:
    async def ack_command(ack: Callable[..., Awaitable[None]], body: dict[str, Any]) -> None:
        resolution = registry.resolve(Payload(body).text)
        answer = local_answer(registry, resolution)
        if answer is not None:
            await ack(**answer, response_type="ephemeral")
        else:
            await ack()

    async def run_command(inv: Invocation) -> None:
        resolution = registry.resolve(inv.payload.text)
        if local_answer(registry, resolution) is not None:
            return  # answered in the ack
        await dispatch(registry, inv, resolution)

    async def run_clicked(inv: Invocation) -> None:
        """[Run it] (or a help area button): the command in the button's value, run as the
        user who clicked, as if they had typed it."""
        text = str((inv.body.get("actions") or [{}])[0].get("value") or "")
        resolution = registry.resolve(text)
        answer = local_answer(registry, resolution)
        if answer is not None:
            await inv.reply(answer, replace=True)
            return
        await dispatch(registry, inv, resolution)

    async def resume(command: ResumedCommand) -> None:
        """A command that waited for connect or the organisation, run as if typed again;
        it answers through the response_url while that lives, else privately."""
        body = {
            "command": COMMAND,
            "text": command.text,
            "team_id": command.team_id,
            "user_id": command.user_id,
            "channel_id": command.channel_id,
        }
        context = AsyncBoltContext(
            team_id=command.team_id,
            link_team_id=command.team_id,
            user_id=command.user_id,
            channel_id=command.channel_id,
            response_url=command.response_url,
        )
        respond = AsyncRespond(response_url=command.response_url)
        log.info("team=%s user=%s: resuming a command", command.team_id, command.user_id)
        await safe_lazy(services, run_command)(
            body=body, context=context, client=services.slack, respond=respond
        )

    services.resume_command = resume

    @registry.handler("help")
    async def short_help(inv: Invocation, _r: Resolution) -> None:
        linked = await inv.linked()
        payload = help_message(registry.available(), AREAS, linked=linked)
        await inv.reply(payload, replace=bool(inv.body.get("actions")))

    app.command(COMMAND)(ack=ack_command, lazy=[safe_lazy(services, run_command)])
    app.action(re.compile(rf"^{re.escape(Action.RUN_COMMAND)}(:\d+)?$"))(
        ack=ack_only, lazy=[safe_lazy(services, run_clicked)]
    )
