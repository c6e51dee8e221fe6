"""The App Home tab: a connect call to action, or the user's dashboard sections."""

from __future__ import annotations

from typing import Any

from bot.ui.components import (
    MAX_VIEW_BLOCKS,
    Block,
    actions,
    button,
    cap_blocks,
    context,
    divider,
    escape,
    header,
    section,
)
from bot.ui.ids import Action


def home_unlinked(connect_url: str) -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [
            header("Astravue for Slack"),
            section(
                "Work in Astravue without leaving Slack: capture tasks, run timers with one "
                "click, and get your notifications here as messages."
            ),
            actions(button("Connect Astravue", Action.CONNECT, url=connect_url, style="primary")),
            context(
                "Connecting signs you in to Astravue once; everything then runs as you, "
                "with your own permissions. `/astravue help` lists the commands."
            ),
        ],
    }


def home_linked(name: str | None, sections: list[list[Block]]) -> dict[str, Any]:
    blocks: list[Block] = [
        header("Astravue"),
        context(f"Connected as *{escape(name or 'you')}* · `/astravue help` for commands"),
    ]
    for part in sections:
        if part:
            blocks += [divider(), *part]
    return {"type": "home", "blocks": cap_blocks(blocks, MAX_VIEW_BLOCKS)}
