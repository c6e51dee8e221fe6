"""Words for commands sent to the bot as direct messages."""

from __future__ import annotations

from typing import Any

from bot.ui.components import context, escape, message, section


def needs_a_form(path: str) -> dict[str, Any]:
    """A command that opens a form: Slack opens forms only from a slash command or a button."""
    words = escape(path)
    return message(
        f"`{words}` opens a form, which Slack lets me open only from a slash command or a button.",
        [
            section(
                f"`{words}` opens a form, and Slack lets me open forms only from a slash "
                f"command or a button. Type `/astravue {words}` in any message box instead."
            ),
            context("Everything else works here: try `help`, `task new Fix login fri` or `timer`."),
        ],
    )
