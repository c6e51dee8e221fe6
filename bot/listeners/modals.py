"""The one way a listener opens a modal that needs remote data: a loading view at once (a
trigger_id dies after 3 s), then the real view, or the failure, in the same modal."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.astravue.errors import AstravueError, ReauthorizationRequired
from bot.container import NotConnected, OrgMissing
from bot.domain.errors import DomainError
from bot.listeners.safe_lazy import Invocation
from bot.ui import modal_states
from bot.ui.errors import UserFacingError

log = logging.getLogger(__name__)

Build = Callable[[], Awaitable[dict[str, Any]]]

# Failures the modal explains by itself; anything else is also reported by safe_lazy (logged
# with its traceback, and the user told), after the modal has said what happened.
EXPLAINED = (AstravueError, UserFacingError, DomainError)


async def open_modal(inv: Invocation, view: dict[str, Any], *, no_trigger: str) -> dict[str, Any]:
    """Open `view` now; `no_trigger` tells the user what to do where Slack gave no trigger."""
    if not inv.trigger_id:
        raise UserFacingError(no_trigger)
    opened = await inv.client.views_open(trigger_id=inv.trigger_id, view=view)
    return dict(opened["view"])


async def open_loaded(
    inv: Invocation, loading: dict[str, Any], build: Build, *, no_trigger: str
) -> None:
    """Open `loading` at once, then replace it with what `build` returns; if building
    fails, the modal shows the cause and the next step instead of spinning forever."""
    opened = await open_modal(inv, loading, no_trigger=no_trigger)
    try:
        view = await build()
    except Exception as exc:
        title = modal_states.title_of(loading)
        setup = isinstance(exc, NotConnected | OrgMissing)
        failed = modal_states.needs_setup(title) if setup else modal_states.failed(title, exc)
        await inv.client.views_update(view_id=opened["id"], view=failed)
        if isinstance(exc, EXPLAINED) and not isinstance(exc, ReauthorizationRequired):
            log.info("%s: modal not filled in: %s", inv.ids, type(exc).__name__)
            return
        raise  # safe_lazy logs it and sends the connect or organisation prompt
    await inv.client.views_update(view_id=opened["id"], view=view)
