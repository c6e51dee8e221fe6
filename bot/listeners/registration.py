"""Registering a feature the same way everywhere: ack at once, work lazily.

Each feature module declares a `FEATURE` table of its top-level handler functions (commands,
actions, view submissions, options, shortcuts, App Home sections); `register_feature` hands
the table to Bolt, the command registry and the Home service.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.container import ServiceContainer
from bot.domain.links import LinkInfo
from bot.listeners.payloads import Payload
from bot.listeners.router import CommandRegistry, Resolution
from bot.listeners.safe_lazy import Invocation, LazyHandler, safe_lazy

Ack = Callable[..., Awaitable[None]]
CommandHandler = Callable[[Invocation, Resolution], Awaitable[None]]
Validator = Callable[[dict[str, Any]], dict[str, str]]
# Options are answered inside the ack (3 s): the handler returns the ack's arguments.
OptionsHandler = Callable[[ServiceContainer, Payload, AsyncBoltContext], Awaitable[dict[str, Any]]]
HomeSection = Callable[[ServiceContainer, LinkInfo], Awaitable[list[dict[str, Any]]]]


@dataclass(frozen=True)
class View:
    """A view submission: `validate(view)` runs in the ack (no I/O) and returns field errors
    keyed by block id, shown inline; otherwise the modal closes and `handler` runs lazily."""

    callback_id: str
    handler: LazyHandler
    validate: Validator | None = None


@dataclass(frozen=True)
class Feature:
    """What one feature module registers."""

    commands: Mapping[str, CommandHandler] = field(default_factory=dict)
    actions: Mapping[str, LazyHandler] = field(default_factory=dict)
    actions_unlinked: Mapping[str, LazyHandler] = field(default_factory=dict)
    acks_only: tuple[str, ...] = ()  # actions acked and nothing more (URL buttons, checkboxes)
    views: tuple[View, ...] = ()
    options: Mapping[str, OptionsHandler] = field(default_factory=dict)
    shortcuts: Mapping[str, LazyHandler] = field(default_factory=dict)
    home_sections: tuple[tuple[str, HomeSection], ...] = ()


def register_feature(
    app: AsyncApp, services: ServiceContainer, registry: CommandRegistry, feature: Feature
) -> None:
    for path, command in feature.commands.items():
        registry.handler(path)(command)
    for action_id in feature.acks_only:
        app.action(action_id)(ack_only)
    for action_id, handler in feature.actions.items():
        on_action(app, services, action_id, handler)
    for action_id, handler in feature.actions_unlinked.items():
        on_action(app, services, action_id, handler, needs_link=False)
    for view in feature.views:
        on_view(app, services, view.callback_id, view.handler, validate=view.validate)
    for action_id, options in feature.options.items():
        app.options(action_id)(_answer_options(services, options))
    for callback_id, handler in feature.shortcuts.items():
        app.shortcut(callback_id)(ack=ack_only, lazy=[safe_lazy(services, handler)])
    for name, section in feature.home_sections:
        services.home.add_section(name, partial(section, services))


async def ack_only(ack: Ack) -> None:
    await ack()


def _answer_options(services: ServiceContainer, options: OptionsHandler) -> Callable[..., Any]:
    async def answer(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack(**await options(services, Payload(body), context))

    answer.__name__ = f"options_{getattr(options, '__name__', 'handler')}"
    return answer


def requiring_link(handler: LazyHandler) -> LazyHandler:
    """An unlinked user who clicks gets the connect prompt, not an error."""

    async def run(inv: Invocation) -> None:
        if not await inv.linked():
            await inv.connect_prompt()
            return
        await handler(inv)

    run.__name__ = handler.__name__
    return run


def on_action(
    app: AsyncApp,
    services: ServiceContainer,
    action_id: str,
    handler: LazyHandler,
    *,
    needs_link: bool = True,
) -> None:
    lazy = requiring_link(handler) if needs_link else handler
    app.action(action_id)(ack=ack_only, lazy=[safe_lazy(services, lazy)])


def on_view(
    app: AsyncApp,
    services: ServiceContainer,
    callback_id: str,
    handler: LazyHandler,
    *,
    validate: Validator | None = None,
    needs_link: bool = True,
) -> None:
    async def ack_view(ack: Ack, body: dict[str, Any]) -> None:
        errors = validate(Payload(body).view) if validate else {}
        if errors:
            await ack(response_action="errors", errors=errors)
        else:
            await ack()

    async def run(inv: Invocation) -> None:
        if validate is None or not validate(inv.payload.view):  # Bolt runs lazies after any ack
            await handler(inv)

    run.__name__ = handler.__name__
    lazy = requiring_link(run) if needs_link else run
    app.view(callback_id)(ack=ack_view, lazy=[safe_lazy(services, lazy)])
