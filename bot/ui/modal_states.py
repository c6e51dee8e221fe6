"""What a loading modal shows when it cannot be filled in: the cause, or what to set up first."""

from __future__ import annotations

from typing import Any

from bot.ui.components import modal, section
from bot.ui.errors import describe
from bot.ui.ids import Callback


def failed(title: str, error: BaseException) -> dict[str, Any]:
    """The modal that could not be filled in, saying why and what to do next."""
    return modal(
        title,
        [section(f":warning: {describe(error)}")],
        callback_id=Callback.LOADING,
        close="Close",
    )


def needs_setup(title: str) -> dict[str, Any]:
    """The modal of a user who must connect, or choose an organisation, first."""
    return modal(
        title,
        [section(":link: Your Astravue account isn't ready yet: I've sent you what to do next.")],
        callback_id=Callback.LOADING,
        close="Close",
    )


def title_of(view: dict[str, Any]) -> str:
    return str((view.get("title") or {}).get("text") or "Astravue")
