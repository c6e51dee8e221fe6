"""Bolt listeners: commands, actions, views, shortcuts, events, options and middleware."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncApp

from bot.container import ServiceContainer

if TYPE_CHECKING:
    from bot.listeners.registration import Feature


def register_listeners(app: AsyncApp, services: ServiceContainer) -> None:
    from bot.listeners import commands, events, middleware, response_url_guard
    from bot.listeners.in_channels import register_in_channels
    from bot.listeners.registration import register_feature
    from bot.listeners.router import CommandRegistry

    registry = CommandRegistry()
    response_url_guard.register(app, services.settings)
    middleware.register(app, services)
    # First: Bolt tries listeners in order until one matches, and most requests are commands
    # (this halved the ack's CPU); it routes to the handlers the modules below add.
    commands.register(app, services, registry)
    for feature in _features():
        register_feature(app, services, registry, feature)
    events.register(app, services)
    register_in_channels(app, services, registry)


def _features() -> list[Feature]:
    """Each feature module's table of top-level handlers (`FEATURE`), in registration order."""
    from bot.listeners import (
        account,
        feeds,
        notifications,
        space_forms,
        spaces,
        task_capture,
        task_form,
        task_lists,
        tasks,
        time_entries,
        time_views,
        timers,
    )

    # App Home sections appear in this order.
    return [
        account.FEATURE,
        timers.FEATURE,
        time_entries.FEATURE,
        time_views.FEATURE,
        task_lists.FEATURE,
        tasks.FEATURE,
        task_capture.FEATURE,
        task_form.FEATURE,
        spaces.FEATURE,
        space_forms.FEATURE,
        notifications.FEATURE,
        feeds.FEATURE,
    ]
