"""The global shortcut "Create Astravue task" (the ⚡ menu and the search bar): the same
create form as `/astravue task`, opened by that command's own handler."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.container import ServiceContainer
from bot.listeners.registration import Ack, requiring_link
from bot.listeners.router import CommandRegistry, Resolution
from bot.listeners.safe_lazy import Invocation, safe_lazy
from bot.ui.ids import Callback


async def ack_shortcut(ack: Ack) -> None:
    await ack()


def register(app: AsyncApp, services: ServiceContainer, registry: CommandRegistry) -> None:
    async def create_task_shortcut(inv: Invocation) -> None:
        # The trigger_id of the shortcut opens the form; no channel: the result comes as a DM.
        await registry.handlers["task"](inv, Resolution(registry.specs["task"], ""))

    app.shortcut(Callback.GLOBAL_TASK)(
        ack=ack_shortcut, lazy=[safe_lazy(services, requiring_link(create_task_shortcut))]
    )
