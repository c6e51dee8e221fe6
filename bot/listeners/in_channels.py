"""Issue 16's listeners, registered together: link unfurls, the global shortcut, and
commands sent to the bot as direct messages."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.container import ServiceContainer
from bot.listeners import direct_messages, shortcuts, unfurls
from bot.listeners.router import CommandRegistry


def register_in_channels(
    app: AsyncApp, services: ServiceContainer, registry: CommandRegistry
) -> None:
    """After the feature modules: the shortcut and DMs use the handlers they added."""
    unfurls.register(app, services)
    shortcuts.register(app, services, registry)
    direct_messages.register(app, services, registry)
