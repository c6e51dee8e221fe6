"""Registering actions and views the same way everywhere: ack at once, work lazily."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.listeners.safe_lazy import Invocation, LazyHandler, safe_lazy
from bot.services.container import ServiceContainer

Ack = Callable[..., Awaitable[None]]


async def ack_only(ack: Ack) -> None:
    await ack()


def requiring_link(handler: LazyHandler) -> LazyHandler:
    """An unlinked user who clicks gets the connect prompt, not an error."""

    async def run(inv: Invocation) -> None:
        if not await inv.linked():
            await inv.connect_prompt()
            return
        await handler(inv)

    run.__name__ = handler.__name__
    return run


def on_action(app: AsyncApp, services: ServiceContainer, action_id: str, handler: LazyHandler,
              *, needs_link: bool = True) -> None:
    lazy = requiring_link(handler) if needs_link else handler
    app.action(action_id)(ack=ack_only, lazy=[safe_lazy(services, lazy)])


def on_view(app: AsyncApp, services: ServiceContainer, callback_id: str, handler: LazyHandler,
            *, validate: Callable[[dict[str, Any]], dict[str, str]] | None = None,
            needs_link: bool = True) -> None:
    """A view submission: `validate(view)` runs in the ack (no I/O) and returns field errors
    keyed by block id, shown inline; otherwise the modal closes and `handler` runs lazily."""

    async def ack_view(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        errors = validate(body["view"]) if validate else {}
        if errors:
            await ack(response_action="errors", errors=errors)
        else:
            await ack()

    async def run(inv: Invocation) -> None:
        if validate is None or not validate(inv.body["view"]):  # Bolt runs lazies after any ack
            await handler(inv)

    run.__name__ = handler.__name__
    lazy = requiring_link(run) if needs_link else run
    app.view(callback_id)(ack=ack_view, lazy=[safe_lazy(services, lazy)])


def view_value(view: dict[str, Any], block_id: str, action_id: str) -> Any:
    """The submitted value of one input, whatever its element type."""
    element = (((view.get("state") or {}).get("values") or {}).get(block_id) or {}).get(action_id)
    if not element:
        return None
    kind = element.get("type")
    if kind in ("static_select", "external_select", "radio_buttons"):
        option = element.get("selected_option")
        return option.get("value") if option else None
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        return [o.get("value") for o in element.get("selected_options") or []]
    if kind == "users_select":
        return element.get("selected_user")
    if kind == "multi_users_select":
        return element.get("selected_users") or []
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "timepicker":
        return element.get("selected_time")
    return element.get("value")


def view_initial(view: dict[str, Any], block_id: str) -> Any:
    """What an input showed when the form opened, in `view_value`'s terms."""
    block = next((b for b in view.get("blocks") or [] if b.get("block_id") == block_id), {})
    element = block.get("element") or {}
    kind = element.get("type")
    if kind in ("static_select", "external_select", "radio_buttons"):
        option = element.get("initial_option")
        return option.get("value") if option else None
    if kind == "multi_users_select":
        return element.get("initial_users") or []
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "timepicker":
        return element.get("initial_time")
    return element.get("initial_value")


def edited(view: dict[str, Any], block_id: str, action_id: str) -> bool:
    """Whether the user changed this input. An edit form changes only these fields: one the
    user left alone keeps its stored value, even where the form shows it rounded (a day
    for an instant, minutes for seconds, the start of a long text)."""
    return (view_value(view, block_id, action_id) or None) != (
        view_initial(view, block_id) or None)
