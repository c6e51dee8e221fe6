"""Bolt listeners: commands, actions, views, shortcuts, events, options and middleware."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.container import ServiceContainer


def register_listeners(app: AsyncApp, services: ServiceContainer) -> None:
    from bot.listeners import account, commands, events, middleware, response_url_guard
    from bot.listeners.in_channels import register_in_channels
    from bot.listeners.router import CommandRegistry

    registry = CommandRegistry()
    response_url_guard.register(app, services.settings)
    middleware.register(app, services)
    # First: Bolt tries listeners in order until one matches, and most requests are commands
    # (this halved the ack's CPU); it routes to the handlers the modules below add.
    commands.register(app, services, registry)
    account.register(app, services, registry)
    for feature in _feature_modules():
        feature.register(app, services, registry)
    events.register(app, services)
    register_in_channels(app, services, registry)


def _feature_modules() -> list:  # type: ignore[type-arg]
    """Feature listener modules, each with `register(app, services, registry)`."""
    from bot.listeners import notifications, spaces, tasks, timers

    return [timers, tasks, spaces, notifications]  # App Home sections appear in this order
