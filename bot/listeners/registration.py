"""Registering actions and views the same way everywhere: ack at once, work lazily."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.container import ServiceContainer
from bot.listeners.safe_lazy import Invocation, LazyHandler, safe_lazy

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
    validate: Callable[[dict[str, Any]], dict[str, str]] | None = None,
    needs_link: bool = True,
) -> None:
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


# Element type -> (key of the submitted value in view state, key of the initial value in
# the element); any other element (text, number) uses "value" and "initial_value".
_VALUE_KEYS = {
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "multi_static_select": ("selected_options", "initial_options"),
    "multi_external_select": ("selected_options", "initial_options"),
    "checkboxes": ("selected_options", "initial_options"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
}


def _element_value(element: dict[str, Any], *, initial: bool) -> Any:
    keys = _VALUE_KEYS.get(element.get("type") or "", ("value", "initial_value"))
    raw = element.get(keys[initial])
    if keys[0] == "selected_option":
        return raw.get("value") if raw else None
    if keys[0] == "selected_options":
        return [o.get("value") for o in raw or []]
    if keys[0] == "selected_users":
        return raw or []
    return raw


def view_value(view: dict[str, Any], block_id: str, action_id: str) -> Any:
    """The submitted value of one input, whatever its element type."""
    element = (((view.get("state") or {}).get("values") or {}).get(block_id) or {}).get(action_id)
    return _element_value(element, initial=False) if element else None


def view_initial(view: dict[str, Any], block_id: str) -> Any:
    """What an input showed when the form opened, in `view_value`'s terms."""
    block: dict[str, Any] = next(
        (b for b in view.get("blocks") or [] if b.get("block_id") == block_id), {}
    )
    return _element_value(block.get("element") or {}, initial=True)


def edited(view: dict[str, Any], block_id: str, action_id: str) -> bool:
    """Whether the user changed this input. An edit form changes only these fields: one the
    user left alone keeps its stored value, even where the form shows it rounded (a day
    for an instant, minutes for seconds, the start of a long text)."""
    return (view_value(view, block_id, action_id) or None) != (view_initial(view, block_id) or None)
