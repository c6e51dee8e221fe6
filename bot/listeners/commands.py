"""`/astravue`: parse and answer locally in the ack, run the sub-command's handler lazily."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.container import ServiceContainer
from bot.listeners.payloads import Payload
from bot.listeners.router import AREAS, HELP_TOPICS, CommandRegistry, Resolution
from bot.listeners.safe_lazy import Invocation, safe_lazy
from bot.ui.help import help_message, unknown_command

log = logging.getLogger(__name__)

COMMAND = "/astravue"


def local_answer(registry: CommandRegistry, resolution: Resolution) -> dict[str, Any] | None:
    """What the ack itself can say, with no I/O: help and unknown words."""
    specs = registry.available()
    if resolution.spec is None:
        return unknown_command(resolution.unknown or "", list(resolution.suggestions), specs, AREAS)
    if resolution.spec.path == "help":
        topic = HELP_TOPICS.get(resolution.args.split(" ")[0].lower()) if resolution.args else None
        return help_message(specs, AREAS, topic=topic)
    if resolution.spec.path not in registry.handlers:
        return unknown_command(resolution.spec.path, [], specs, AREAS)
    return None


async def dispatch(registry: CommandRegistry, inv: Invocation, resolution: Resolution) -> None:
    """Run a command `local_answer` did not answer (the slash command's, or a DM's)."""
    assert resolution.spec is not None
    if resolution.spec.needs_link and not await inv.linked():
        await inv.connect_prompt()
        return
    log.info("%s: /astravue %s", inv.ids, resolution.spec.path)
    await registry.handlers[resolution.spec.path](inv, resolution)


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

    app.command(COMMAND)(ack=ack_command, lazy=[safe_lazy(services, run_command)])
