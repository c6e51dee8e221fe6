"""What `--share` posts in a channel: the result only, as a compact card.

Everyone in the channel reads a shared message, so it carries no control that acts for the
person who shared it (Complete, Start timer, Create, Cancel, pickers): only links and page
turns, and a line naming who shared it. Drafts are never shared (bot.listeners.task_capture
shares the created task instead).
"""

from __future__ import annotations

from typing import Any

from bot.ui.components import Block, context
from bot.ui.ids import Action

DRAFT_NOTE = "Shared: once you create it, the task goes to the channel, not this draft."

#: Controls that only move through what is shown; each click answers the clicker alone.
NAVIGATION = frozenset({Action.TASK_PAGE.value, Action.OPEN_URL.value})
#: Blocks that only make sense to the person filling them in.
_PRIVATE_BLOCKS = frozenset({"input"})


def _keeps(element: dict[str, Any]) -> bool:
    """A link, or a page turn: nothing that changes Astravue on someone's behalf."""
    if element.get("type") != "button":
        return False
    return bool(element.get("url")) or element.get("action_id") in NAVIGATION


def _without_controls(block: Block) -> Block | None:
    kind = block.get("type")
    if kind in _PRIVATE_BLOCKS:
        return None
    if kind == "actions":
        kept = [e for e in block.get("elements") or [] if _keeps(e)]
        return {**block, "elements": kept} if kept else None
    accessory = block.get("accessory")
    if isinstance(accessory, dict) and accessory.get("type") != "image" and not _keeps(accessory):
        return {k: v for k, v in block.items() if k != "accessory"}
    return block


def for_channel(payload: dict[str, Any], sharer: str) -> dict[str, Any]:
    """`payload` as the channel sees it: controls removed, the sharer named at the end."""
    blocks = [kept for b in payload.get("blocks") or [] if (kept := _without_controls(b))]
    if not blocks:
        return dict(payload)
    footer = context(f"Shared by <@{sharer}>")
    return {**payload, "blocks": [*blocks[:49], footer]}


def controls(payload: dict[str, Any]) -> int:
    """How many interactive elements a message carries (for tests and measurements)."""
    count = 0
    for block in payload.get("blocks") or []:
        if block.get("type") == "actions":
            count += len(block.get("elements") or [])
        elif isinstance(block.get("accessory"), dict) and block["accessory"]["type"] != "image":
            count += 1
    return count
